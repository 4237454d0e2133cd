import hashlib
import os

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from django_countries.filters import CountryFilter
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.tmp_storages import TempFolderStorage

from events.forms import (
    MeetingConfirmImportForm,
    MeetingImportForm,
    SizeLimitedUploadHandler,
    sign_preview,
)
from events.importing import undo_import
from events.importing.files import COLUMNS
from events.models import (
    Event,
    EventAlias,
    EventFigure,
    EventSeries,
    ImportRecord,
    Meeting,
    Participation,
)
from events.resources import MeetingLogFormat, MeetingResource
from genopole_crm.backoffice import (
    ReturnToRecordPage,
    StackedInline,
    TabularInline,
    TechnicalTable,
    ValidHtmlForms,
)
from genopole_crm.history import HistoryAdmin
from genopole_crm.partial_dates import PeriodForm
from partners.admin import FoldedSearchMixin, ReportedFigureAdmin, ReportedFigureInline


@admin.register(EventSeries)
class EventSeriesAdmin(HistoryAdmin):
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


class EventAliasInline(TabularInline):
    model = EventAlias
    extra = 1


class ParticipationInline(StackedInline):
    model = Participation
    autocomplete_fields = ["co_participants", "accompanied_companies", "sources"]
    extra = 0


class EventFigureInline(ReportedFigureInline):
    model = EventFigure


class MeetingInline(TabularInline):
    model = Meeting
    fields = ["date", "date_precision", "organisation", "topic", "follow_up_status"]
    autocomplete_fields = ["organisation"]
    extra = 0
    show_change_link = True


@admin.register(Event)
class EventAdmin(ReturnToRecordPage, FoldedSearchMixin, HistoryAdmin):
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
    form = PeriodForm
    fieldsets = [
        (None, {"fields": ["name", "series", "edition", "kind", "format", "organiser"]}),
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
class EventAliasAdmin(TechnicalTable, HistoryAdmin):
    list_display = ["name", "event"]
    search_fields = ["name", "event__name"]
    autocomplete_fields = ["event"]
    list_select_related = ["event"]


@admin.register(Participation)
class ParticipationAdmin(TechnicalTable, HistoryAdmin):
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
        if value and value.isdigit():
            return queryset.filter(import_record_id=int(value))
        return queryset


@admin.register(Meeting)
class MeetingAdmin(ReturnToRecordPage, ImportExportMixin, FoldedSearchMixin, HistoryAdmin):
    list_display = ["organisation", "dated", "event", "topic_start", "follow_up_status"]
    list_filter = [
        "follow_up_status",
        "organisation__kind",
        "event__series",
        "sources",
        ImportFilter,
    ]
    search_fields = ["topic", "organisation__name", "organisation__aliases__name", "event__name"]
    autocomplete_fields = ["event", "organisation", "people", "accompanied_companies", "sources"]
    readonly_fields = ["import_record"]
    list_select_related = ["organisation", "event"]
    date_hierarchy = "date"

    # Import and export (django-import-export). Import needs events.import_meeting, export
    # events.export_meeting (settings.IMPORT_EXPORT_*_PERMISSION_CODE).
    resource_classes = [MeetingResource]
    import_formats = [MeetingLogFormat]
    export_formats = [CSV, XLSX]
    import_form_class = MeetingImportForm
    confirm_form_class = MeetingConfirmImportForm
    import_template_name = "admin/events/meeting/import.html"
    tmp_storage_class = TempFolderStorage

    @admin.display(description=_("date"), ordering="date")
    def dated(self, obj):
        return obj.date_display

    @admin.display(description=_("topic"), ordering="topic")
    def topic_start(self, obj):
        # The whole topic is on the meeting's page; here it must leave room for the follow-up.
        return Truncator(obj.topic).chars(90)

    # The import view installs an upload handler before the request body is read, which the
    # CSRF check would otherwise do first (Django's documented pattern): exempt from the
    # middleware, protected inside.
    @method_decorator(csrf_exempt)
    def import_action(self, request, **kwargs):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            request.upload_handlers.insert(0, SizeLimitedUploadHandler(request))
        return csrf_protect(self._import_action)(request, **kwargs)

    def _import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        if "fields_list" in context:
            # The columns a log may have (the follow-up status is export-only: the import
            # derives it from the follow-up column).
            context["fields_list"] = [
                (MeetingResource.get_display_name(), [str(label) for label in COLUMNS.values()])
            ]
        form = context.get("form")
        upload = form.cleaned_data.get("import_file") if form and form.is_bound else None
        tmp_name = getattr(upload, "tmp_storage_name", None)
        if tmp_name and not context.get("confirm_form"):
            # Nothing to confirm (the file has errors): its temporary copy is of no more use.
            TempFolderStorage(name=tmp_name).remove()
        return response

    def get_import_form_kwargs(self, request):
        kwargs = super().get_import_form_kwargs(request)
        kwargs["upload_too_large"] = bool(getattr(request, "import_upload_too_large", False))
        return kwargs

    def get_confirm_form_kwargs(self, request, import_form=None):
        kwargs = super().get_confirm_form_kwargs(request, import_form)
        kwargs["user"] = request.user
        return kwargs

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            initial["default_event"] = import_form.cleaned_data.get("default_event")
            storage = self.get_tmp_storage_class()(name=initial["import_file_name"], read_mode="rb")
            initial["signature"] = sign_preview(
                # The confirm form keeps only the base name (ConfirmImportForm cleans it so).
                tmp_name=os.path.basename(initial["import_file_name"]),
                user=request.user,
                checksum=hashlib.sha256(storage.read()).hexdigest(),
                event=initial["default_event"],
            )
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.pop("form", None)
        if form is not None and form.is_bound:
            kwargs["default_event"] = form.cleaned_data.get("default_event")
            kwargs["expected_checksum"] = form.cleaned_data.get("checksum")
        return kwargs

    def write_to_tmp_storage(self, import_file, input_format):
        # django-import-export concatenates the chunks one by one (quadratic for big files).
        storage = self.get_tmp_storage_class()(read_mode=input_format.get_read_mode())
        storage.save(b"".join(import_file.chunks()))
        return storage

    def process_result(self, result, request):
        if not result.has_errors():
            return super().process_result(result, request)
        # Between preview and confirmation the data changed (someone else imported or edited
        # the same meetings, or renamed an organisation): nothing was written. Say why, with
        # a fresh upload form.
        form = self.get_import_form_class(request)(
            self.get_import_formats(), self.get_import_resource_classes(request)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "opts": self.model._meta,
            "form": form,
            "media": self.media + form.media,
            "result": result,
        }
        return TemplateResponse(request, [self.import_template_name], context)

    def generate_log_entries(self, result, request):
        # One admin log entry for the import as a whole (its record lists the meetings),
        # rather than one per meeting.
        record = result.report.record
        if record is not None:
            self.log_addition(request, record, str(_("Imported a meeting log")))

    def add_success_message(self, result, request):
        report = result.report
        record = report.record
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _(
                    "Imported %(file)s: %(new)s new, %(unchanged)s unchanged, %(skipped)s "
                    "skipped, %(contacts)s new contacts."
                )
                % {
                    "file": report.file_name,
                    "new": report.created,
                    "unchanged": len(report.unchanged),
                    "skipped": len(report.skipped),
                    "contacts": len(report.new_contacts),
                },
                reverse("admin:events_importrecord_change", args=[record.pk]),
                _("See import #%(number)s") % {"number": record.pk},
            ),
        )


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
            meetings, people = undo_import(record=record, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(change_url)
        message = _("Undone: %(meetings)s meetings and %(people)s contacts deleted.") % {
            "meetings": meetings,
            "people": people,
        }
        self.log_change(request, record, str(message))
        messages.success(request, message)
        return HttpResponseRedirect(change_url)
