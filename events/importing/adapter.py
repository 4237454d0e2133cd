"""The one place that touches django-import-export's internals: its admin import flow.

Written against django-import-export 4.4 (pinned in pyproject.toml); tests/imports/
test_adapter.py fails when an upgrade renames, removes or re-signs a hook overridden here.
Everything else calls our own service (`events.importing.import_meeting_log`).

We keep the library's admin screens (upload, preview, confirm, its permissions and buttons)
but not its row-by-row import, which is about 40 times slower than the database's bulk load
and cannot read Windows-1252 or semicolon-separated files: `MeetingResource.import_data` hands
the untouched bytes (`MeetingLogFormat`) to the import service and wraps its report in a
`Result` (`MeetingImportResult`) for the library's templates. So the resource's
`import_id_fields` and `skip_unchanged` only document the business key; the service applies it.

Export goes through the library as usual, every text cell through `neutralise_formula`. Its
columns are the meeting log's own (date as YYYY-MM-DD, the import's column names, follow-up in
the import's words), so an admin export imports back with every meeting unchanged. The list
page's CSV (events/views.py) has other columns on purpose: it is a report for people (dates as
"June 2022", the organisation's kind and country, accompanied companies), not a log to import.
"""

import hashlib
import io
import os
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from import_export import fields, resources, widgets
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX, Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import Result, RowResult
from import_export.tmp_storages import BaseStorage

from core.exports import PerChunk, names
from core.spreadsheets import neutralise_formula
from events.importing.columns import COLUMNS
from events.importing.service import import_meeting_log
from events.importing.tasks import runs_in_background, start
from events.importing.uploads import (
    ACCEPTED_EXTENSIONS,
    DATE_ORDER_CHOICES,
    ENCODING_CHOICES,
    SizeLimitedUploadHandler,
    check_upload,
    read_signature,
    sign_preview,
    too_large_message,
    with_lines,
)
from events.models import Event, ImportJob, ImportPreview, ImportRecord, Meeting
from partners.models import Organisation

# --- Forms ----------------------------------------------------------------------------------


class MeetingImportForm(ImportForm):
    """Only CSV, TSV, TXT and XLSX files, by name and by their first bytes, within the size
    limit; an optional event applies to lines that name none (partnering-platform exports)."""

    default_event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-start_date", "name"),
        required=False,
        label=_("Event for lines without one"),
        help_text=_(
            "For files with no event column, such as partnering-platform exports, or lines "
            "whose event cell is empty. Leave empty for meetings outside any event."
        ),
    )

    date_order = forms.ChoiceField(
        label=_("Dates such as 03/04/2022"), required=False, choices=DATE_ORDER_CHOICES
    )
    encoding = forms.ChoiceField(
        label=_("Text encoding"),
        required=False,
        choices=ENCODING_CHOICES,
        help_text=_("For CSV, TSV and TXT files only; an XLSX workbook says its own."),
    )

    field_order = ["resource", "import_file", "format", "default_event", "date_order", "encoding"]

    def __init__(self, *args, upload_too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_too_large = upload_too_large
        self.fields["import_file"].help_text = _("CSV, TSV, TXT or XLSX, at most %(limit)s.") % {
            "limit": filesizeformat(settings.IMPORT_MAX_UPLOAD_SIZE)
        }
        self.fields["import_file"].widget.attrs["accept"] = ",".join(ACCEPTED_EXTENSIONS)

    def full_clean(self):
        super().full_clean()
        if self.is_bound and self.upload_too_large:
            self.errors.pop("import_file", None)
            self.add_error("import_file", too_large_message())

    def clean_import_file(self):
        return check_upload(self.cleaned_data["import_file"])


class MeetingConfirmImportForm(ConfirmImportForm):
    """Valid only with the preview's signature, for the user who previewed (uploads.py)."""

    default_event = forms.ModelChoiceField(
        queryset=Event.objects.all(), required=False, widget=forms.HiddenInput
    )
    signature = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self):
        cleaned = super().clean()
        signed = read_signature(cleaned.get("signature", ""))
        event = cleaned.get("default_event")
        expected = {
            "file": cleaned.get("import_file_name"),
            "user": self.user.pk if self.user else None,
            "event": event.pk if event else None,
        }
        if signed is None or {key: signed.get(key) for key in expected} != expected:
            raise forms.ValidationError(
                _("This preview has expired or was altered; upload the file again.")
            )
        cleaned["checksum"] = signed.get("checksum", "")
        # What the form says of the file and the reading options is ignored: the signed
        # preview is the only source (the record's file name is never the client's word).
        cleaned["original_file_name"] = signed.get("name", "")
        cleaned["date_order"] = signed.get("date_order")
        cleaned["encoding"] = signed.get("encoding")
        cleaned["lines"] = signed.get("lines") or 0
        return cleaned


# --- Preview storage ----------------------------------------------------------------------


class PreviewStorage(BaseStorage):
    """Uploads waiting for confirmation, in the database (events.ImportPreview): they expire
    and their total is bounded, where the library's temporary files piled up."""

    def save(self, data):
        if not self.name:
            self.name = uuid.uuid4().hex
        ImportPreview.objects.store(self.name, bytes(data))

    def read(self):
        data = ImportPreview.objects.filter(name=self.name).values_list("data", flat=True).first()
        return None if data is None else bytes(data)

    def remove(self):
        ImportPreview.objects.filter(name=self.name).delete()


# --- Resource -------------------------------------------------------------------------------


class UploadedLog:
    """The uploaded file's bytes, untouched: the import service does its own sniffing."""

    def __init__(self, data: bytes):
        self.data = data

    def __len__(self):
        return len(self.data)


class MeetingLogFormat(Format):
    """One import format for every meeting-log shape: CSV, TSV, TXT or XLSX."""

    def __init__(self, encoding=None):
        self.encoding = encoding

    def get_title(self):
        return _("Meeting log (CSV, TSV, TXT or XLSX)")

    def create_dataset(self, in_stream):
        return UploadedLog(in_stream)

    def can_import(self):
        return True

    def get_extension(self):
        return "csv"


class MeetingImportResult(Result):
    """The library's result, wrapping the import report for the admin's templates."""

    def __init__(self, report):
        super().__init__()
        self.report = report
        self.total_rows = report.lines
        self.totals[RowResult.IMPORT_TYPE_NEW] = report.created
        self.totals[RowResult.IMPORT_TYPE_SKIP] = len(report.unchanged) + len(report.skipped)
        self.totals[RowResult.IMPORT_TYPE_ERROR] = report.error_lines

    def has_errors(self):
        return self.report.has_errors

    def has_validation_errors(self):
        return False


# Read once per chunk for the two follow-up columns of the admin's CSV.
follow_up_states = Meeting.objects.follow_up_states


class MeetingResource(resources.ModelResource):
    date = fields.Field(attribute="date", column_name="date", widget=widgets.DateWidget("%Y-%m-%d"))
    event = fields.Field(
        attribute="event", column_name="event", widget=widgets.ForeignKeyWidget(Event, "name")
    )
    organisation = fields.Field(
        attribute="organisation",
        column_name="organisation",
        widget=widgets.ForeignKeyWidget(Organisation, "name"),
    )
    contacts = fields.Field(column_name="contacts")
    topic = fields.Field(attribute="topic", column_name="topic")
    notes = fields.Field(attribute="notes", column_name="notes")
    follow_up = fields.Field(column_name="follow-up")
    follow_up_status = fields.Field(column_name="follow-up status")

    class Meta:
        model = Meeting
        name = _("Meeting log")
        fields = (
            "date",
            "event",
            "organisation",
            "contacts",
            "topic",
            "notes",
            "follow_up",
            "follow_up_status",
        )
        export_order = fields
        # The business key: one meeting per organisation, event and day.
        import_id_fields = ("organisation", "event", "date")
        skip_unchanged = True

    # The admin's CSV (core/admin_exports.py) reads each field as these export values, a
    # chunk of rows at a time, as the list pages do: the same cells as the methods below.
    export_columns = {
        "date": "date",
        "event": "event__name",
        "organisation": "organisation__name",
        "contacts": names("people"),
        "topic": "topic",
        "notes": "notes",
        "follow_up": PerChunk(follow_up_states, pick=1),
        "follow_up_status": PerChunk(follow_up_states, pick=0, default=Meeting.FollowUp.NONE.value),
    }

    def filter_export(self, queryset, **kwargs):
        queryset = queryset.select_related("event", "organisation").prefetch_related("people")
        # The follow-up columns are the meeting's tasks (the admin's list has them already).
        if "follow_up_state" not in queryset.query.annotations:
            queryset = queryset.with_follow_up_state()
        return queryset

    def dehydrate_contacts(self, meeting):
        return "; ".join(person.full_name for person in meeting.people.all())

    def dehydrate_follow_up(self, meeting):
        # The first open task's text, else the first task's: imported back, it is that task.
        return meeting.follow_up_what or ""

    def dehydrate_follow_up_status(self, meeting):
        return meeting.follow_up_state

    def export_field(self, field, instance, **kwargs):
        # Every exported cell, admin CSV and XLSX alike: text a spreadsheet would run as a
        # formula gets a leading apostrophe. Stored values are untouched.
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        report = import_meeting_log(
            stream=io.BytesIO(dataset.data),
            file_name=kwargs.get("file_name") or "upload",
            user=kwargs.get("user"),
            source=ImportRecord.Source.ADMIN,
            dry_run=dry_run,
            default_event=kwargs.get("default_event"),
            expected_checksum=kwargs.get("expected_checksum"),
            date_order=kwargs.get("date_order") or None,
            encoding=kwargs.get("encoding") or None,
        )
        return MeetingImportResult(report)


# --- Admin ----------------------------------------------------------------------------------


class MeetingImportExportMixin(ImportExportMixin):
    """The meeting admin's import and export. Import needs events.import_meeting, export
    events.export_meeting (settings.IMPORT_EXPORT_*_PERMISSION_CODE)."""

    resource_classes = [MeetingResource]
    import_formats = [MeetingLogFormat]
    export_formats = [CSV, XLSX]
    import_form_class = MeetingImportForm
    confirm_form_class = MeetingConfirmImportForm
    import_template_name = "admin/events/meeting/import.html"
    tmp_storage_class = PreviewStorage

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
        confirm_form, result = context.get("confirm_form"), context.get("result")
        if confirm_form is not None and result is not None:
            confirm_form.initial["signature"] = with_lines(
                confirm_form.initial["signature"], result.report.lines
            )
        form = context.get("form")
        upload = form.cleaned_data.get("import_file") if form and form.is_bound else None
        tmp_name = getattr(upload, "tmp_storage_name", None)
        if tmp_name and not context.get("confirm_form"):
            # Nothing to confirm (the file has errors): its temporary copy is of no more use.
            self.get_tmp_storage_class()(name=tmp_name).remove()
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
                name=import_form.cleaned_data["import_file"].name,
                date_order=import_form.cleaned_data.get("date_order") or None,
                encoding=import_form.cleaned_data.get("encoding") or None,
            )
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.pop("form", None)
        if form is not None and form.is_bound:
            for name in ("default_event", "date_order", "encoding"):
                kwargs[name] = form.cleaned_data.get(name)
            kwargs["expected_checksum"] = form.cleaned_data.get("checksum")
        return kwargs

    def process_import(self, request, **kwargs):
        """The confirmation: imports the previewed upload once. The library would read the
        stored copy, then delete it, so a second click or a replayed form read a missing copy
        (a server error) or imported twice; here the copy is claimed (read and deleted at
        once) and a confirmation that finds none says so."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        confirm_form = self.create_confirm_form(request)
        if not confirm_form.is_valid():
            return super().process_import(request, **kwargs)  # shows the form's errors
        data = ImportPreview.objects.claim(confirm_form.cleaned_data["import_file_name"])
        if data is None:
            messages.error(
                request,
                _(
                    "This preview was already confirmed, or has expired: nothing more was "
                    "imported. Check the import records, or upload the file again."
                ),
            )
            return HttpResponseRedirect(reverse("admin:events_meeting_import"))
        if runs_in_background(confirm_form.cleaned_data["lines"]):
            return self.import_in_background(request, confirm_form.cleaned_data, data)
        result = self.process_dataset(UploadedLog(data), confirm_form, request, **kwargs)
        return self.process_result(result, request)

    def import_in_background(self, request, cleaned, data):
        """A large file: queued for a task worker, followed on its progress page."""
        job = ImportJob.objects.create(
            user=request.user,
            source=ImportRecord.Source.ADMIN,
            file_name=cleaned["original_file_name"] or "upload",
            data=data,
            checksum=cleaned["checksum"],
            default_event=cleaned.get("default_event"),
            date_order=cleaned.get("date_order") or "",
            encoding=cleaned.get("encoding") or "",
            lines_total=cleaned["lines"],
        )
        start(job)
        return HttpResponseRedirect(job.get_absolute_url())

    def write_to_tmp_storage(self, import_file, input_format):
        # The library concatenates the chunks one by one (quadratic for big files).
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
        summary = _(
            "Imported %(file)s: %(new)s new, %(unchanged)s unchanged, %(skipped)s "
            "skipped, %(contacts)s new contacts."
        ) % {
            "file": report.file_name,
            "new": report.created,
            "unchanged": len(report.unchanged),
            "skipped": len(report.skipped),
            "contacts": len(report.new_contacts),
        }
        messages.success(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                summary,
                reverse("admin:events_importrecord_change", args=[record.pk]),
                _("See import #%(number)s") % {"number": record.pk},
            ),
        )
