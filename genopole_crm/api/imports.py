"""The meeting-log import over the API: the one adapter onto `events.importing`.

It calls only the package's public entry points (`import_meeting_log`, `undo_import`) and
reads the report they return; JSON rows are written out as the documented CSV file shape
(docs/importing-meetings.md), so they pass through exactly the same checks as an upload.
"""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from events.importing import ImportReport, import_meeting_log, undo_import
from events.importing.tasks import runs_in_background, start
from events.importing.uploads import ZIP_MAGIC
from events.models import Event, ImportJob, ImportRecord

# The documented columns of a meeting log, in the order a file gives them.
ROW_FIELDS = ("date", "event", "organisation", "contacts", "topic", "notes", "follow_up")
HEADERS = {"follow_up": "follow-up"}


class MeetingRowSerializer(serializers.Serializer):
    """One meeting as JSON; values are text, as in a file (dates in any form a file may use)."""

    date = serializers.CharField(max_length=40)
    organisation = serializers.CharField(max_length=300)
    event = serializers.CharField(max_length=300, required=False, allow_blank=True)
    contacts = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    topic = serializers.CharField(max_length=300, required=False, allow_blank=True)
    notes = serializers.CharField(max_length=20_000, required=False, allow_blank=True)
    follow_up = serializers.CharField(max_length=20_000, required=False, allow_blank=True)

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(str(name) for name in set(data) - set(ROW_FIELDS))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Not a meeting column.")] for name in unknown}
                )
        return super().to_internal_value(data)


class MeetingImportSerializer(serializers.Serializer):
    """Either a file (multipart) or `rows` (JSON), with the command's options."""

    file = serializers.FileField(
        required=False, help_text=gettext_lazy("A CSV, TSV, TXT or XLSX meeting log.")
    )
    rows = MeetingRowSerializer(
        many=True, required=False, help_text=gettext_lazy("Meetings as JSON, instead of a file.")
    )
    dry_run = serializers.BooleanField(
        default=False, help_text=gettext_lazy("Check and preview; write nothing.")
    )
    event = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=gettext_lazy("Event (name or alias) of the lines that name none."),
    )

    def validate_rows(self, rows):
        if not rows:
            raise serializers.ValidationError(_("Give at least one meeting."))
        if len(rows) > settings.API_IMPORT_MAX_ROWS:
            raise serializers.ValidationError(
                _("At most %(count)s meetings at a time.") % {"count": settings.API_IMPORT_MAX_ROWS}
            )
        return rows

    def validate_event(self, name):
        if not name:
            return None
        events = list(Event.objects.named(name)[:2])
        if len(events) != 1:
            raise serializers.ValidationError(
                _("No single event is called “%(name)s” (by name or alias).") % {"name": name}
            )
        return events[0]

    def validate_file(self, upload):
        if upload.size > settings.IMPORT_MAX_UPLOAD_SIZE:
            raise serializers.ValidationError(_("The file is too large."))
        return upload

    def validate(self, attrs):
        if ("file" in attrs) == ("rows" in attrs):
            raise serializers.ValidationError(_("Send either a file or rows, not both."))
        return attrs


@dataclass
class Source:
    stream: io.BufferedIOBase
    file_name: str
    index_of_row: dict[int, int]  # for JSON rows: the spreadsheet row -> index in `rows`


def rows_as_csv(rows) -> Source:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([HEADERS.get(name, name) for name in ROW_FIELDS])
    for row in rows:
        writer.writerow([row.get(name, "") for name in ROW_FIELDS])
    # The header is row 1; each JSON row is one row of the file, line breaks in it or not.
    index_of_row = {index + 2: index for index in range(len(rows))}
    return Source(io.BytesIO(buffer.getvalue().encode()), "rows.json", index_of_row)


def run_import(*, data, user) -> tuple[ImportReport, Source]:
    """Run the import service on a validated MeetingImportSerializer's data."""
    if "rows" in data:
        source = rows_as_csv(data["rows"])
    else:
        upload = data["file"]
        source = Source(upload.file, upload.name[:255], {})
    report = import_meeting_log(
        stream=source.stream,
        file_name=source.file_name,
        user=user,
        source=ImportRecord.Source.API,
        dry_run=data["dry_run"],
        default_event=data.get("event"),
    )
    return report, source


def estimated_lines(content: bytes) -> int:
    """About how many meetings a file holds, without reading it: its rows by the workbook's
    own dimension, or its line breaks (a cell with line breaks counts more, never fewer)."""
    if content.startswith(ZIP_MAGIC):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True).active
            return max((sheet.max_row or 0) - 1, 0)
        except Exception:  # not a workbook after all: the import will say so
            return 0
    return max(content.count(b"\n") - 1, 0)


def queue_if_large(*, data, user) -> ImportJob | None:
    """An import of more than IMPORT_BACKGROUND_LINES meetings, queued as a background task
    (events/importing/tasks.py) rather than run during the request; None for a dry run or a
    smaller one. Its checks are those of any import: they run in the task."""
    if data["dry_run"]:
        return None
    if "rows" in data:
        lines, source = len(data["rows"]), rows_as_csv(data["rows"])
        content = source.stream.getvalue()
    else:
        upload = data["file"]
        content = upload.read()
        upload.seek(0)
        lines, source = estimated_lines(content), Source(None, upload.name[:255], {})
    if not runs_in_background(lines):
        return None
    job = ImportJob.objects.create(
        user=user,
        source=ImportRecord.Source.API,
        file_name=source.file_name,
        data=content,
        checksum="",  # no preview to match: the bytes are stored as they came
        default_event=data.get("event"),
        lines_total=lines,
    )
    start(job)
    return job


def report_as_json(report: ImportReport, source: Source) -> dict:
    def field_of(error):
        index = source.index_of_row.get(error.row)
        if index is None:
            return error.column
        column = next(
            (name for name in ROW_FIELDS if HEADERS.get(name, name) == error.column), None
        )
        return f"rows[{index}].{column}" if column else f"rows[{index}]"

    def where(row):
        """The spreadsheet row, and the line of the file it starts on (they differ after a
        quoted cell spanning lines)."""
        return {"row": row, "file_line": report.file_line(row)}

    return {
        "file_name": report.file_name,
        "file_description": report.file_description,
        "checksum": report.checksum,
        "dry_run": report.dry_run,
        "valid": not report.has_errors,
        "file_error": report.file_error,
        "lines": report.lines,
        "new": report.created,
        "unknown_columns": list(report.unknown_columns),
        "errors": [
            {
                **where(error.row),
                "column": error.column,
                "field": field_of(error),
                "value": error.value,
                "reason": error.reason,
            }
            for error in report.errors
        ],
        "unchanged": [
            {
                **where(item.row),
                "meeting": item.meeting_id,
                "differences": list(item.differences),
                "precision_note": item.precision_note,
            }
            for item in report.unchanged
        ],
        "skipped": [
            {**where(item.row), "repeats_row": item.repeats_row, "differs": item.differs}
            for item in report.skipped
        ],
        "new_contacts": [
            {
                "name": contact.full_name,
                "organisation": contact.organisation_id,
                "rows": list(contact.rows),
            }
            for contact in report.new_contacts
        ],
        "preview": [
            {
                **where(meeting.row),
                "date": meeting.date.isoformat(),
                "event": meeting.event,
                "organisation": meeting.organisation,
                "contacts": meeting.contacts,
                "topic": meeting.topic,
                "notes": meeting.notes,
                "follow_up": meeting.follow_up,
            }
            for meeting in report.preview
        ],
        "earlier_imports": [record.pk for record in report.earlier_imports],
        "record": report.record.pk if report.record else None,
    }


def undo(*, record: ImportRecord, user) -> dict:
    try:
        meetings, restored, people = undo_import(record=record, user=user)
    except DjangoValidationError as error:
        raise serializers.ValidationError({"non_field_errors": error.messages}) from None
    return {"meetings_deleted": meetings, "meetings_restored": restored, "people_deleted": people}


# What the report and the undo answer look like, for the OpenAPI schema.
_ROW = gettext_lazy("The row as a spreadsheet shows it (the header is row 1).")
_FILE_LINE = gettext_lazy("The line of the file the row starts on.")


class _ErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_ROW)
    file_line = serializers.IntegerField(help_text=_FILE_LINE)
    column = serializers.CharField()
    field = serializers.CharField(help_text=gettext_lazy("For JSON rows: rows[index].column."))
    value = serializers.CharField()
    reason = serializers.CharField()


class _UnchangedSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_ROW)
    file_line = serializers.IntegerField(help_text=_FILE_LINE)
    meeting = serializers.IntegerField()
    differences = serializers.ListField(child=serializers.CharField())
    precision_note = serializers.CharField()


class _SkippedSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_ROW)
    file_line = serializers.IntegerField(help_text=_FILE_LINE)
    repeats_row = serializers.IntegerField()
    differs = serializers.BooleanField()


class _NewContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.IntegerField()
    rows = serializers.ListField(child=serializers.IntegerField())


class _PlannedSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text=_ROW)
    file_line = serializers.IntegerField(help_text=_FILE_LINE)
    date = serializers.DateField()
    event = serializers.CharField()
    organisation = serializers.CharField()
    contacts = serializers.CharField()
    topic = serializers.CharField()
    notes = serializers.CharField()
    follow_up = serializers.CharField()


class ImportReportSerializer(serializers.Serializer):
    message = serializers.CharField(required=False)
    file_name = serializers.CharField()
    file_description = serializers.CharField()
    checksum = serializers.CharField()
    dry_run = serializers.BooleanField()
    valid = serializers.BooleanField()
    file_error = serializers.CharField()
    lines = serializers.IntegerField()
    new = serializers.IntegerField(help_text=gettext_lazy("Meetings the import creates."))
    unknown_columns = serializers.ListField(child=serializers.CharField())
    errors = _ErrorSerializer(many=True)
    unchanged = _UnchangedSerializer(many=True)
    skipped = _SkippedSerializer(many=True)
    new_contacts = _NewContactSerializer(many=True)
    preview = _PlannedSerializer(many=True, help_text=gettext_lazy("The first new meetings."))
    earlier_imports = serializers.ListField(child=serializers.IntegerField())
    record = serializers.IntegerField(allow_null=True)


class UndoSerializer(serializers.Serializer):
    meetings_deleted = serializers.IntegerField()
    meetings_restored = serializers.IntegerField()
    people_deleted = serializers.IntegerField()


class JobStatusSerializer(serializers.Serializer):
    """A background import (more than IMPORT_BACKGROUND_LINES meetings), as its status URL
    answers; the 202 answer adds `job` and `status_url`."""

    job = serializers.IntegerField(required=False)
    status_url = serializers.URLField(required=False)
    status = serializers.ChoiceField(choices=ImportJob.Status.choices)
    status_label = serializers.CharField()
    stage = serializers.CharField()
    lines_done = serializers.IntegerField()
    lines_total = serializers.IntegerField()
    finished = serializers.BooleanField()
    message = serializers.CharField(help_text=gettext_lazy("Why it failed; nothing was written."))
    record = serializers.IntegerField(allow_null=True)
    record_url = serializers.CharField(allow_null=True)
    created = serializers.IntegerField(allow_null=True)
    unchanged = serializers.IntegerField(allow_null=True)
    skipped = serializers.IntegerField(allow_null=True)
    new_contacts = serializers.IntegerField(allow_null=True)
