"""Importing meeting logs (CSV, TSV, TXT, XLSX): see service.py for the rules."""

from events.importing.files import FileRejected
from events.importing.service import ImportReport, LineError, import_meeting_log, undo_import

__all__ = ["FileRejected", "ImportReport", "LineError", "import_meeting_log", "undo_import"]
