from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter

from core.admin import (
    FoldedSearchMixin,
    LatestRowsInline,
    ReportedFigureAdmin,
    ReportedFigureInline,
    SortedByLabels,
)
from core.backoffice import (
    ReturnToRecordPage,
    TabularInline,
    TechnicalTable,
    ValidHtmlForms,
)
from core.changelist import ChosenRecordFilter
from core.history import HistoryAdmin
from core.partial_dates import PeriodForm
from partners import duplicates, merging
from partners.admin_duplicates import DuplicatesAdminMixin
from partners.models import (
    DistinctOrganisations,
    DistinctPeople,
    Membership,
    Organisation,
    OrganisationAlias,
    OrganisationFigure,
    Partnership,
    Person,
    Report,
)


@admin.register(Report)
class ReportAdmin(TechnicalTable, ValidHtmlForms, admin.ModelAdmin):
    list_display = ["title", "year", "language", "file_name"]
    list_filter = ["year", "language"]
    search_fields = ["title", "file_name", "covers"]


class OrganisationAliasInline(TabularInline):
    model = OrganisationAlias
    extra = 1


class PersonInline(LatestRowsInline):
    model = Person
    fields = ["first_name", "last_name", "role", "email", "phone"]
    extra = 0
    show_change_link = True


class PartnershipInline(LatestRowsInline):
    model = Partnership
    form = PeriodForm
    fields = ["type", "title", "status", "start", "end"]
    extra = 0
    show_change_link = True


class NetworkMembershipInline(LatestRowsInline):
    model = Membership
    fk_name = "member"
    form = PeriodForm
    fields = ["network", "role", "start", "end"]
    autocomplete_fields = ["network"]
    extra = 0
    verbose_name = _("network this organisation belongs to")
    verbose_name_plural = _("networks this organisation belongs to")


class NetworkMemberInline(NetworkMembershipInline):
    fk_name = "network"
    fields = ["member", "role", "start", "end"]
    autocomplete_fields = ["member"]
    verbose_name = _("member of this network")
    verbose_name_plural = _("members of this network")


class OrganisationFigureInline(ReportedFigureInline):
    model = OrganisationFigure


@admin.register(Organisation)
class OrganisationAdmin(
    SortedByLabels, DuplicatesAdminMixin, ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin
):
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

    distinct_model = DistinctOrganisations

    def find_candidates(self):
        return duplicates.organisation_candidates()

    def find_candidates_for(self, cleaned_data):
        return duplicates.candidates_for_new_organisation(
            cleaned_data.get("name", ""),
            short_name=cleaned_data.get("short_name", ""),
            kind=cleaned_data.get("kind", ""),
            country=cleaned_data.get("country", ""),
        )

    def merge_records(self, keep, other, user):
        return merging.merge_organisations(keep, other, user=user)

    def preview_merge(self, keep, other):
        return merging.preview_organisations(keep, other)


@admin.register(OrganisationAlias)
class OrganisationAliasAdmin(TechnicalTable, HistoryAdmin):
    list_display = ["name", "organisation"]
    search_fields = ["name", "organisation__name"]
    autocomplete_fields = ["organisation"]
    list_select_related = ["organisation"]


@admin.register(Person)
class PersonAdmin(DuplicatesAdminMixin, ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin):
    list_display = ["full_name", "organisation", "role", "email", "phone"]
    list_filter = ["organisation__kind", "sources", ("organisation", ChosenRecordFilter)]
    autocomplete_fields = ["organisation", "sources"]
    list_select_related = ["organisation"]

    @admin.display(description=_("name"), ordering="last_name")
    def full_name(self, obj):
        return obj.full_name

    distinct_model = DistinctPeople

    def find_candidates(self):
        return duplicates.person_candidates()

    def find_candidates_for(self, cleaned_data):
        return duplicates.candidates_for_new_person(
            cleaned_data.get("first_name", ""),
            cleaned_data.get("last_name", ""),
            organisation=cleaned_data.get("organisation"),
            email=cleaned_data.get("email", ""),
        )

    def merge_records(self, keep, other, user):
        return merging.merge_people(keep, other, user=user)

    def preview_merge(self, keep, other):
        return merging.preview_people(keep, other)

    def get_deleted_objects(self, objs, request):
        # People in meetings are protected (Person.delete): list the meetings, as Django
        # lists what protects an organisation, and refuse.
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        meetings = {meeting for person in objs for meeting in person.meetings.all()}
        protected = [*protected, *(f"{_('Meeting')}: {meeting}" for meeting in meetings)]
        return deleted, counts, perms_needed, protected


@admin.register(Partnership)
class PartnershipAdmin(SortedByLabels, ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin):
    list_display = ["organisation", "title", "type", "status", "started", "ended"]
    list_filter = [
        "type",
        "status",
        "organisation__kind",
        "sources",
        ("organisation", ChosenRecordFilter),
    ]
    autocomplete_fields = ["organisation", "sources"]
    list_select_related = ["organisation"]
    date_hierarchy = "start_date"
    form = PeriodForm
    # What matters first: with whom, what, how far along; then when.
    fieldsets = [
        (None, {"fields": ["organisation", "type", "status", "title"]}),
        (_("When"), {"fields": [("start", "end")]}),
        (None, {"fields": ["notes", "sources"]}),
    ]

    def get_changeform_initial_data(self, request):
        # A new partnership is nearly always still being discussed.
        initial = super().get_changeform_initial_data(request)
        return {"status": Partnership.Status.IN_DISCUSSION, **initial}

    @admin.display(description=_("start"), ordering="start_date")
    def started(self, obj):
        return obj.start_display

    @admin.display(description=_("end"), ordering="end_date")
    def ended(self, obj):
        return obj.end_display


@admin.register(Membership)
class MembershipAdmin(SortedByLabels, TechnicalTable, HistoryAdmin):
    list_display = ["member", "network", "role"]
    # Thousands of networks and members at 100 times today's data: only the chosen one.
    list_filter = ["role", ("network", ChosenRecordFilter), ("member", ChosenRecordFilter)]
    search_fields = ["member__name", "network__name", "network__short_name"]
    autocomplete_fields = ["network", "member", "sources"]
    list_select_related = ["network", "member"]


@admin.register(OrganisationFigure)
class OrganisationFigureAdmin(TechnicalTable, ReportedFigureAdmin):
    list_display = ["organisation", *ReportedFigureAdmin.list_display]
    autocomplete_fields = ["organisation", *ReportedFigureAdmin.autocomplete_fields]
    list_select_related = ["organisation"]


@admin.register(DistinctOrganisations, DistinctPeople)
class DistinctPairAdmin(admin.ModelAdmin):
    """Pairs staff said are not duplicates; deleting one lets the pair be proposed again."""

    list_display = ["first", "second", "decided_by", "decided_at"]
    list_select_related = ["first", "second", "decided_by"]
    readonly_fields = ["decided_by", "decided_at"]
    autocomplete_fields = ["first", "second"]
