from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from django_countries.filters import CountryFilter
from simple_history.admin import SimpleHistoryAdmin

from events.models import (
    Event,
    EventAlias,
    EventFigure,
    EventSeries,
    Meeting,
    Participation,
)
from partners.admin import FoldedSearchMixin, ReportedFigureAdmin, ReportedFigureInline


@admin.register(EventSeries)
class EventSeriesAdmin(SimpleHistoryAdmin):
    ordering = ["name"]
    list_display = ["name", "short_name", "organiser", "edition_count"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["organiser", "sources"]
    list_select_related = ["organiser"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_editions=Count("events"))

    @admin.display(description=_("editions"), ordering="_editions")
    def edition_count(self, obj):
        return obj._editions


class EventAliasInline(admin.TabularInline):
    model = EventAlias
    extra = 1


class ParticipationInline(admin.StackedInline):
    model = Participation
    autocomplete_fields = ["co_participants", "accompanied_companies", "sources"]
    extra = 0


class EventFigureInline(ReportedFigureInline):
    model = EventFigure


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = ["date", "date_precision", "organisation", "topic", "follow_up_status"]
    autocomplete_fields = ["organisation"]
    extra = 0
    show_change_link = True


@admin.register(Event)
class EventAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    ordering = ["-start_date", "name"]
    list_display = [
        "name",
        "series",
        "kind",
        "format",
        "starts",
        "city",
        "country",
        "genopole_role",
        "meeting_count",
    ]
    list_filter = ["kind", "format", "series", ("country", CountryFilter), "participation__role"]
    search_fields = ["name", "aliases__name", "series__name", "city"]
    autocomplete_fields = ["series", "organiser", "sources"]
    list_select_related = ["series", "participation"]
    date_hierarchy = "start_date"
    inlines = [EventAliasInline, ParticipationInline, EventFigureInline, MeetingInline]
    fieldsets = [
        (None, {"fields": ["name", "series", "edition", "kind", "format", "organiser"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                    "city",
                    "country",
                    "venue",
                ]
            },
        ),
        (_("About"), {"fields": ["website", "description", "sources"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meetings=Count("meetings"))

    @admin.display(description=_("start"), ordering="start_date")
    def starts(self, obj):
        return obj.start_display

    @admin.display(description=_("Genopole's role"), ordering="participation__role")
    def genopole_role(self, obj):
        participation = getattr(obj, "participation", None)
        return participation.get_role_display() if participation else "—"

    @admin.display(description=_("meetings"), ordering="_meetings")
    def meeting_count(self, obj):
        return obj._meetings


@admin.register(EventAlias)
class EventAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "event"]
    search_fields = ["name", "event__name"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]


@admin.register(Participation)
class ParticipationAdmin(SimpleHistoryAdmin):
    list_display = ["event", "role"]
    list_filter = ["role"]
    search_fields = ["event__name", "notes"]
    autocomplete_fields = ["event", "co_participants", "accompanied_companies", "sources"]
    list_select_related = ["event"]


@admin.register(EventFigure)
class EventFigureAdmin(ReportedFigureAdmin):
    list_display = ["event", *ReportedFigureAdmin.list_display]
    autocomplete_fields = ["event", *ReportedFigureAdmin.autocomplete_fields]
    list_select_related = ["event"]


@admin.register(Meeting)
class MeetingAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "dated", "event", "topic", "follow_up_status"]
    list_filter = ["follow_up_status", "organisation__kind", "event__series", "sources"]
    search_fields = ["topic", "organisation__name", "organisation__aliases__name", "event__name"]
    autocomplete_fields = ["event", "organisation", "people", "accompanied_companies", "sources"]
    list_select_related = ["organisation", "event"]
    date_hierarchy = "date"

    @admin.display(description=_("date"), ordering="date")
    def dated(self, obj):
        return obj.date_display
