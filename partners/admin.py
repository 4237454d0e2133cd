from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin import FoldedSearchMixin, ReportedFigureAdmin, ReportedFigureInline
from core.history import HistoryAdmin
from partners.models import (
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationFigure,
    Partnership,
    Person,
    Report,
)


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["title", "year", "language", "file_name"]
    list_filter = ["year", "language"]
    search_fields = ["title", "file_name", "covers"]


class OrganisationAliasInline(admin.TabularInline):
    model = OrganisationAlias
    extra = 1


class PersonInline(admin.TabularInline):
    model = Person
    fields = ["first_name", "last_name", "role", "email", "phone"]
    extra = 0
    show_change_link = True


class PartnershipInline(admin.TabularInline):
    model = Partnership
    fields = [
        "type",
        "title",
        "status",
        "start_date",
        "start_precision",
        "end_date",
        "end_precision",
    ]
    extra = 0
    show_change_link = True


class NetworkMembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "member"
    fields = ["network", "role", "start_date", "end_date"]
    autocomplete_fields = ["network"]
    extra = 0
    verbose_name = _("network this organisation belongs to")
    verbose_name_plural = _("networks this organisation belongs to")


class NetworkMemberInline(NetworkMembershipInline):
    fk_name = "network"
    fields = ["member", "role", "start_date", "end_date"]
    autocomplete_fields = ["member"]
    verbose_name = _("member of this network")
    verbose_name_plural = _("members of this network")


class OrganisationFigureInline(ReportedFigureInline):
    model = OrganisationFigure


@admin.register(Organisation)
class OrganisationAdmin(FoldedSearchMixin, HistoryAdmin):
    ordering = ["name"]
    list_display = [
        "name",
        "short_name",
        "kind",
        "country",
        "city",
        "parent",
        "genopole_accompanied",
        "partnership_count",
    ]
    list_filter = [
        "kind",
        ("country", CountryFilter),
        "genopole_accompanied",
        "partnerships__status",
        "sources",
    ]
    autocomplete_fields = ["parent", "sources"]
    list_select_related = ["parent"]
    inlines = [
        OrganisationAliasInline,
        PersonInline,
        PartnershipInline,
        NetworkMembershipInline,
        NetworkMemberInline,
        OrganisationFigureInline,
    ]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind", "genopole_accompanied", "parent"]}),
        (_("Location and contact"), {"fields": ["country", "city", "website"]}),
        (_("About"), {"fields": ["description", "sources"]}),
    ]

    def get_queryset(self, request):
        # The pages' subquery counts: not multiplied by the joins the filters add.
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("partnerships"), ordering="partnership_count")
    def partnership_count(self, obj):
        return obj.partnership_count


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(HistoryAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(Person)
class PersonAdmin(FoldedSearchMixin, HistoryAdmin):
    list_display = ["full_name", "organisation", "role", "email", "phone"]
    list_filter = ["organisation__kind", "sources"]
    autocomplete_fields = ["organisation", "sources"]
    list_select_related = ["organisation"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    def get_deleted_objects(self, objs, request):
        # People in meetings are protected (Person.delete): list the meetings, as Django
        # lists what protects an organisation, and refuse.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        meetings = {meeting for person in objs for meeting in person.meetings.all()}
        protected = [*protected, *(f"{_('Meeting')}: {meeting}" for meeting in meetings)]
        return deleted, counts, perms_needed, protected


@admin.register(Partnership)
class PartnershipAdmin(FoldedSearchMixin, HistoryAdmin):
    list_display = ["organisation", "title", "type", "status", "started", "ended"]
    list_filter = ["type", "status", "organisation__kind", "sources"]
    autocomplete_fields = ["organisation", "sources"]
    list_select_related = ["organisation"]
    date_hierarchy = "start_date"

    @admin.display(description=_("start"), ordering="start_date")
    def started(self, obj):
        return obj.start_display

    @admin.display(description=_("end"), ordering="end_date")
    def ended(self, obj):
        return obj.end_display


@admin.register(Membership)
class MembershipAdmin(HistoryAdmin):
    list_display = ["member", "network", "role"]
    list_filter = ["role", "network"]
    search_fields = ["member__name", "network__name", "network__short_name"]
    autocomplete_fields = ["network", "member", "sources"]
    list_select_related = ["network", "member"]


@admin.register(OrganisationFigure)
class OrganisationFigureAdmin(ReportedFigureAdmin):
    list_display = ["organisation", *ReportedFigureAdmin.list_display]
    autocomplete_fields = ["organisation", *ReportedFigureAdmin.autocomplete_fields]
    list_select_related = ["organisation"]
