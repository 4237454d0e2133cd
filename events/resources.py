"""django-import-export resources for meetings.

`MeetingResource` declares the meeting-log columns and the business key of a meeting
(organisation, event, date). Export goes through django-import-export as usual, with every
text cell passed through `neutralise_formula`. Import keeps django-import-export's admin flow
(upload, preview, confirm) but hands the file to `events.importing.import_meeting_log`, the
code path `manage.py import_meetings` uses too: its row-by-row loop is about 40 times slower
than the database's bulk load, and it cannot read Windows-1252 or semicolon-separated files.
"""

import io

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats.base_formats import Format
from import_export.results import Result, RowResult

from core.spreadsheets import neutralise_formula
from events.importing import import_meeting_log
from events.models import Event, ImportRecord, Meeting
from partners.models import Organisation


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
    """django-import-export's result, wrapping the import report for the admin's templates."""

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
    follow_up_status = fields.Field(attribute="follow_up_status", column_name="follow-up status")

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

    def filter_export(self, queryset, **kwargs):
        return queryset.select_related("event", "organisation").prefetch_related("people")

    def dehydrate_contacts(self, meeting):
        return "; ".join(person.full_name for person in meeting.people.all())

    def dehydrate_follow_up(self, meeting):
        if meeting.follow_up:
            return meeting.follow_up
        return str(_("yes")) if meeting.follow_up_status == Meeting.FollowUp.PENDING else ""

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
        )
        return MeetingImportResult(report)
