"""Importing a meeting log: the one code path behind the admin upload and `import_meetings`.

`import_meeting_log()` reads the file (files.py), checks every line, resolves names to records,
sorts each line into new / unchanged / skipped / error, and — only if no line has an error and it
is not a dry run — writes everything in one transaction, recorded as an `ImportRecord`.
The parts: columns.py (column names, headers), files.py (reading), values.py (cell values),
names.py (names to records), planner.py (checking and sorting lines), report.py (what was
found), writer.py and bulk.py (writing, undoing), adapter.py (the admin's import screens).

The outcome of each line (docs/importing-meetings.md explains them for users):

- **new**: no meeting with this organisation, event and day exists; the import creates it.
- **unchanged**: the CRM already has that meeting (same organisation, event and day, or a
  meeting there dated only to the month or year that contains the day). It is left exactly
  as it is, even when the file's topic, notes or follow-up differ: staff edits are never
  overwritten. Lines whose details differ are listed so someone can reconcile them.
- **skipped**: an earlier line of the same file already gives this meeting; listed with the
  line it repeats (and whether its details differ).
- **error**: the line cannot be imported as written. One error anywhere and nothing is
  written; the report lists every bad line (line, column, value, reason).
"""

import gc
from collections.abc import Callable
from contextlib import contextmanager
from typing import BinaryIO

from django.db import IntegrityError
from django.db.models import Q
from django.utils.translation import gettext as _

from core.models import DatePrecision
from events.importing import names
from events.importing.files import FileRejected, open_log
from events.importing.planner import Plan
from events.importing.report import ImportReport
from events.importing.writer import write_plan
from events.models import Event, ImportRecord


@contextmanager
def _cycle_collection_paused():
    """An import holds every line, row and name of its file as Python objects, hundreds of
    thousands of them, which form no reference cycles: each pass of the cycle collector
    walks them all for nothing, 15% of a 100,000-line import. Reference counting still frees
    what the import drops; the collector resumes (if it was on) when the import ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@_cycle_collection_paused()
def import_meeting_log(
    *,
    stream: BinaryIO,
    file_name: str,
    user=None,
    source: str = ImportRecord.Source.COMMAND,
    dry_run: bool = False,
    default_event: Event | None = None,
    progress: Callable[[str, float], None] | None = None,
    expected_checksum: str | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
) -> ImportReport:
    """Validate a meeting log and, unless it has errors or `dry_run` is set, import it.

    `stream` is a seekable binary file. `default_event` is the event of lines that name none
    (a partnering-platform export has no event column). `progress(stage, fraction)` is told
    how far reading has got, then when checking and writing start and end (the command draws
    its progress bar with it). `expected_checksum`, when given,
    refuses any other file (the admin's confirm step imports exactly what it previewed).
    `date_order` ("dmy", "mdy") and `encoding` (a codec name) go to the reading (files.py).
    Returns the report; `report.record` is the ImportRecord when something was written.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)

    def stage(name, fraction):
        if progress is not None:
            progress(name, fraction)

    options = {
        "date_order": date_order,
        "encoding": encoding,
        "event_dates": _event_dates(default_event),
    }
    log = _open(report, stream, stage, expected_checksum, options)
    if log is None:
        return report
    plan = Plan(log, report, default_event)
    try:
        plan.read()
    except FileRejected as rejected:  # found while reading on: a line too long, a time bound
        report.file_error = rejected.message
        return report
    report.file_description = log.description  # with what reading decided (the date order)
    if report.lines == 0 and not report.errors:
        report.file_error = _("The file has a header line but no meetings.")
        return report
    stage(_("checking against the CRM"), 0.0)
    plan.classify()
    plan.resolve_contacts()
    stage(_("checking against the CRM"), 1.0)
    report.errors.sort(key=lambda error: error.row)
    report.created = len(plan.new_rows)
    report.preview = plan.preview()
    if report.has_errors or dry_run:
        return report
    try:
        stage(_("writing"), 0.0)
        report.record = write_plan(plan, user=user, source=source)
        stage(_("writing"), 1.0)
    except IntegrityError:
        report.file_error = _(
            "Some of these meetings were added by someone else while the file was being "
            "imported. Nothing was written; import the file again."
        )
    return report


def _event_dates(default_event):
    """`event_dates(cell)` for the reading: (name, start, end) in the CRM of the event a
    line's cell names (the default event for an empty cell), or None. Its lookups are made
    only if asked: when a file's dates are all ambiguous."""
    found = {}

    def dates_of(cell):
        if not found:
            found["names"] = names.event_names()
            found["spans"] = {
                pk: (name, start, end)
                for pk, name, start, end in Event.objects.filter(
                    # Only dates known to the day are evidence of a day.
                    Q(end_date__isnull=True) | Q(end_precision=DatePrecision.DAY),
                    start_date__isnull=False,
                    start_precision=DatePrecision.DAY,
                ).values_list("pk", "name", "start_date", "end_date")
            }
        pk = found["names"].resolve(cell, blank=default_event.pk if default_event else 0)
        return found["spans"].get(pk) if type(pk) is int and pk else None

    return dates_of


def _open(report, stream, stage, expected_checksum, options):
    """The file read as a LogFile, its facts noted in the report; None if it is refused."""
    try:
        log = open_log(
            stream,
            file_name=report.file_name,
            progress=lambda fraction: stage(_("reading"), fraction),
            **options,
        )
    except LookupError:
        report.file_error = _("Unknown text encoding: %(encoding)s.") % options
        return None
    except FileRejected as rejected:
        report.file_error = rejected.message
        return None
    if expected_checksum and expected_checksum != log.checksum:
        report.file_error = _("The file changed since it was previewed; upload it again.")
        return None
    report.file_description = log.description
    report.file_lines = log.file_lines
    report.checksum = log.checksum
    report.size = log.size
    report.unknown_columns = log.unknown_columns
    report.earlier_imports = list(
        ImportRecord.objects.of_file(log.checksum).select_related("user").order_by("created_at")
    )
    return log
