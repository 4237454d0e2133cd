"""Importing meeting logs (CSV, TSV, TXT, XLSX): see service.py for the rules and the parts."""

from events.importing.files import FileRejected
from events.importing.report import ImportReport, LineError
from events.importing.service import import_meeting_log
from events.importing.writer import undo_import

__all__ = ["FileRejected", "ImportReport", "LineError", "import_meeting_log", "undo_import"]
