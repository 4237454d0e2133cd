from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from django_countries.filters import CountryFilter

from core.admin import (
    FoldedSearchMixin,
    ReadOnlyLatestRowsInline,
    ReportedFigureAdmin,
    ReportedFigureInline,
    SortedByLabels,
)
from core.admin_exports import BoundedExportMixin
from core.backoffice import (
    ReturnToRecordPage,
    StackedInline,
    TabularInline,
    TechnicalTable,
    ValidHtmlForms,
)
from core.changelist import ChosenRecordFilter, could_be_id
from core.history import HistoryAdmin
from core.models import count_of
from core.partial_dates import PeriodForm
from events.follow_ups.models import FollowUp
from events.importing import undo_import
from events.importing.adapter import MeetingImportExportMixin
from events.importing.columns import COLUMNS
from events.importing.rows import row_label
from events.models import (
    Event,
    EventAlias,
    EventFigure,
    EventSeries,
    ImportRecord,
    Meeting,
    Participation,
)


@admin.register(EventSeries)
class EventSeriesAdmin(HistoryAdmin):
    ordering = ["name"]
    list_display = ["name", "short_name", "organiser", "edition_count"]
    search_fields = ["name", "short_name"]
    autocomplete_fields = ["organiser", "sources"]
    list_select_related = ["organiser"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_editions=count_of(Event.objects.all(), "series"))
        )

    @admin.display(description=_("editions"), ordering="_editions")
    def edition_count(self, obj):
        return obj._editions


class EventAliasInline(TabularInline):
    model = EventAlias
    extra = 1


class ParticipationInline(StackedInline):
    model = Participation
    autocomplete_fields = ["co_participants", "accompanied_companies", "sources"]
    extra = 0


class EventFigureInline(ReportedFigureInline):
    model = EventFigure


class MeetingInline(ReadOnlyLatestRowsInline):
    """The event's latest meetings, each a link to its page, and one to all of them."""

    model = Meeting
    fields = readonly_fields = ["dated", "organisation", "topic", "follow_up"]
    ordering = ["-date", "-pk"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("organisation", "event")
            .with_follow_up_state()
        )

    @admin.display(description=_("date"))
    def dated(self, obj):
        return obj.date_display

    @admin.display(description=_("follow-up"))
    def follow_up(self, obj):
        return obj.follow_up_state_label


@admin.register(Event)
class EventAdmin(SortedByLabels, ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin):
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
    autocomplete_fields = ["series", "organiser", "host", "sources"]
    list_select_related = ["series", "participation"]
    date_hierarchy = "start_date"
    inlines = [EventAliasInline, ParticipationInline, EventFigureInline, MeetingInline]
    form = PeriodForm
    fieldsets = [
        (None, {"fields": ["name", "series", "edition", "kind", "format", "organiser", "host"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start", "end"),
                    "city",
                    "country",
                    "venue",
                ]
            },
        ),
        (_("About"), {"fields": ["website", "description", "sources"]}),
    ]

    def get_queryset(self, request):
        # The pages' subquery counts: not multiplied by the joins the filters add.
        return super().get_queryset(request).with_counts()

    @admin.display(description=_("start"), ordering="start_date")
    def starts(self, obj):
        return obj.start_display

    @admin.display(description=_("Genopole's role"), ordering="participation__role")
    def genopole_role(self, obj):
        participation = getattr(obj, "participation", None)
        return participation.get_role_display() if participation else "—"

    @admin.display(description=_("meetings"), ordering="meeting_count")
    def meeting_count(self, obj):
        return obj.meeting_count


@admin.register(EventAlias)
class EventAliasAdmin(TechnicalTable, HistoryAdmin):
    list_display = ["name", "event"]
    search_fields = ["name", "event__name"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]


@admin.register(Participation)
class ParticipationAdmin(SortedByLabels, TechnicalTable, HistoryAdmin):
    list_display = ["event", "role"]
    list_filter = ["role"]
    search_fields = ["event__name", "notes"]
    autocomplete_fields = ["event", "co_participants", "accompanied_companies", "sources"]
    list_select_related = ["event"]


@admin.register(EventFigure)
class EventFigureAdmin(TechnicalTable, ReportedFigureAdmin):
    list_display = ["event", *ReportedFigureAdmin.list_display]
    autocomplete_fields = ["event", *ReportedFigureAdmin.autocomplete_fields]
    list_select_related = ["event"]


class ImportFilter(admin.SimpleListFilter):
    """Meetings created by one import; the import record links here."""

    title = _("import")
    parameter_name = "import_record"

    def lookups(self, request, model_admin):
        recent = ImportRecord.objects.active().filter(created__gt=0)[:10]
        return [("none", _("Not imported")), *[(str(record.pk), str(record)) for record in recent]]

    def queryset(self, request, queryset):
        value = self.value()
        if value == "none":
            return queryset.filter(import_record__isnull=True)
        if could_be_id(value):  # ?import_record=99999999999999999999 was a 500
            return queryset.filter(import_record_id=int(value))
        return queryset


class FollowUpStateFilter(admin.SimpleListFilter):
    """Meetings by their follow-up tasks: one open, all done, or none."""

    title = _("follow-up")
    parameter_name = "follow_up"

    def lookups(self, request, model_admin):
        return Meeting.FollowUp.choices

    def queryset(self, request, queryset):
        if self.value() in Meeting.FollowUp.values:
            return queryset.in_follow_up_state(self.value())
        return queryset


class MeetingFollowUpInline(ReadOnlyLatestRowsInline):
    """The meeting's follow-up tasks, each a link to its own page, and one to add another."""

    model = FollowUp
    fk_name = "meeting"
    fields = readonly_fields = ["what", "due_date", "owner", "state"]
    ordering = ["pk"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner")


@admin.register(Meeting)
class MeetingAdmin(
    ReturnToRecordPage,
    BoundedExportMixin,
    MeetingImportExportMixin,
    FoldedSearchMixin,
    HistoryAdmin,
):
    """Meetings; the import and export screens come from events/importing/adapter.py, the
    export streamed or bounded by core/admin_exports.py."""

    list_display = ["organisation", "dated", "event", "topic_start", "follow_up"]
    list_filter = [
        FollowUpStateFilter,
        "organisation__kind",
        "event__series",
        "sources",
        ImportFilter,
        ("event", ChosenRecordFilter),
        ("organisation", ChosenRecordFilter),
    ]
    autocomplete_fields = ["event", "organisation", "people", "accompanied_companies", "sources"]
    readonly_fields = ["import_record"]
    list_select_related = ["organisation", "event"]
    date_hierarchy = "date"
    # A million rows: sorted only by an indexed column (the follow-up is the tasks' state,
    # which no index orders).
    sortable_by = ["dated"]
    inlines = [MeetingFollowUpInline]

    def get_queryset(self, request):
        return super().get_queryset(request).with_follow_up_state()

    @admin.display(description=_("date"), ordering="date")
    def dated(self, obj):
        return obj.date_display

    @admin.display(description=_("topic"), ordering="topic")
    def topic_start(self, obj):
        # The whole topic is on the meeting's page; here it must leave room for the follow-up.
        return Truncator(obj.topic).chars(90)

    @admin.display(description=_("follow-up"))
    def follow_up(self, obj):
        return obj.follow_up_state_label


@admin.register(ImportRecord)
class ImportRecordAdmin(ValidHtmlForms, admin.ModelAdmin):
    """Imports are the audit trail: read-only, never deleted; undone as a whole."""

    list_display = [
        "__str__",
        "created_at",
        "user",
        "source",
        "lines",
        "created",
        "completed",
        "unchanged",
        "skipped",
        "new_contacts",
        "undone",
    ]
    list_filter = ["source", ("undone_at", admin.EmptyFieldListFilter), "user"]
    search_fields = ["file_name", "checksum", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "created_at"
    fields = [
        "file_name",
        "created_at",
        "user",
        "source",
        "file_size",
        "checksum",
        "default_event",
        "lines",
        "meetings_created",
        "meetings_completed",
        "unchanged",
        "skipped",
        "contacts_created",
        "undone_at",
        "undone_by",
    ]
    readonly_fields = fields
    change_form_template = "admin/events/importrecord/change_form.html"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_undo_permission(self, request):
        return request.user.has_perm("events.undo_importrecord")

    @admin.display(description=_("undone"), boolean=True, ordering="undone_at")
    def undone(self, record):
        return record.is_undone

    @admin.display(description=_("new meetings"))
    def meetings_created(self, record):
        if record.is_undone:
            return ngettext(
                "%(count)s (deleted by the undo)", "%(count)s (deleted by the undo)", record.created
            ) % {"count": record.created}
        url = reverse("admin:events_meeting_changelist") + f"?import_record={record.pk}"
        return format_html(
            '{} — <a href="{}">{}</a>', record.created, url, _("list these meetings")
        )

    @admin.display(description=_("meetings completed"))
    def meetings_completed(self, record):
        if not record.completions:
            return 0
        links = format_html_join(
            "; ",
            '{} <a href="{}">#{}</a> ({})',
            (
                (
                    # Records made before rows were named as spreadsheets show them: "line".
                    row_label(item.get("row", item.get("line")), item.get("file_line")),
                    reverse("admin:events_meeting_change", args=[item["meeting"]]),
                    item["meeting"],
                    ", ".join(str(COLUMNS.get(name, name)) for name in item["fields"]),
                )
                for item in record.completions
            ),
        )
        return format_html("{}: {}", len(record.completions), links)

    @admin.display(description=_("new contacts"))
    def contacts_created(self, record):
        people = record.new_people.all()
        if not people:
            return record.new_contacts
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (reverse("admin:partners_person_change", args=[person.pk]), person.full_name)
                for person in people
            ),
        )
        return format_html("{}: {}", record.new_contacts, links)

    def get_urls(self):
        return [
            path(
                "<path:object_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="events_importrecord_undo",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "can_undo": self.has_undo_permission(request)}
        return super().change_view(request, object_id, form_url, extra_context)

    def undo_view(self, request, object_id):
        if not self.has_undo_permission(request):
            raise PermissionDenied
        record = get_object_or_404(ImportRecord, pk=unquote(object_id))
        change_url = reverse("admin:events_importrecord_change", args=[record.pk])
        if request.method == "POST":
            return self._undo(request, record, change_url)
        meetings = Meeting.objects.filter(import_record=record)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Undo %(record)s?") % {"record": record},
            "opts": self.opts,
            "record": record,
            "meeting_count": meetings.count(),
            "edited_count": Meeting.history.filter(import_record=record, history_type="~")
            .values("id")
            .distinct()
            .count(),
            "people": list(record.new_people.select_related("organisation")),
            "change_url": change_url,
        }
        return TemplateResponse(request, "admin/events/importrecord/undo.html", context)

    @method_decorator(require_POST)
    def _undo(self, request, record, change_url):
        try:
            meetings, restored, people = undo_import(record=record, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(change_url)
        message = _("Undone: %(meetings)s meetings and %(people)s contacts deleted.") % {
            "meetings": meetings,
            "people": people,
        }
        if restored:
            message = "{} {}".format(
                message,
                _("%(count)s completed meetings restored as they were before the import.")
                % {"count": restored},
            )
        self.log_change(request, record, str(message))
        messages.success(request, message)
        return HttpResponseRedirect(change_url)


# The follow-ups' admin lives beside them (events/follow_ups/); importing it registers it.
from events.follow_ups import admin as follow_up_admin  # noqa: E402, F401
