"""Reading meeting logs as people really save them.

A log is a CSV/TSV/TXT text file or an XLSX workbook. Text files come as UTF-8 (with or
without a byte-order mark), UTF-16 with a mark (Excel's "Unicode text"), or Windows-1252
(Excel in French); separated by commas, semicolons or tabs; with CRLF line ends and quoted
cells spanning several lines. Whatever the shape, `open_log()` gives the same thing: the
header, which column means what, and the data lines with their row numbers (rows.py).

Anything that makes the whole file unusable (empty, binary, an encoding we cannot read, no
date or organisation column) raises `FileRejected` with a message for the person who
uploaded it, never a traceback.
"""

import csv
import datetime
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.text import capfirst
from django.utils.translation import gettext as _

from events.importing import limits, textlog, workbook
from events.importing.cleaning import clean_text, is_blank, is_clean
from events.importing.columns import (
    COLUMNS,
    HEADER_SYNONYMS,
    HEADERS,
    NOT_IMPORTED,
    REQUIRED_COLUMNS,
    TIME_HEADERS,
    header_key,
)
from events.importing.dating import decide_date_order, read_dates
from events.importing.limits import CHUNK, FileRejected
from events.importing.rows import FileLines

__all__ = ["FileRejected", "LogFile", "TooManyCells", "open_log"]


@dataclass
class LogFile:
    file_name: str
    kind: str  # "text" or "xlsx"
    size: int
    checksum: str
    encoding: str = ""
    delimiter: str = ""
    headers: list = field(default_factory=list)
    columns: dict = field(default_factory=dict)  # canonical column -> index
    unknown_columns: list = field(default_factory=list)  # header texts we do not use
    # Headers recognised as something a meeting does not hold (a time, an end date, a table).
    not_imported_columns: list = field(default_factory=list)
    # What the reading decided that the user should know (shown with the file's description):
    # rows above the header, the date order, the encoding chosen.
    notes: list = field(default_factory=list)
    date_order: str | None = None  # "dmy" or "mdy" once decided from the date column
    chosen_date_order: str | None = None  # the user's choice, if any
    # (name, start, end) of the event a line names: evidence for an all-ambiguous date column.
    event_dates: Callable[[str], tuple | None] | None = None
    extra_contacts_columns: list = field(default_factory=list)  # "Optional Attendees"…
    time_columns: list = field(default_factory=list)  # "Start Time": AM/PM there is evidence
    # Rows are numbered as the spreadsheet shows them; this says on which line of a text
    # file each starts (they differ after a quoted cell spanning lines).
    file_lines: FileLines = field(default_factory=FileLines)
    _lines: Callable[[], Iterator[tuple[int, list]]] | None = None

    def lines(self) -> list[tuple[int, list]]:
        """(row number, cells) for each non-blank data line; cells padded to the header, the
        date column read in the order decided from the whole column (dating.py).

        The file is read once and its lines kept: the order needs the whole column, and a
        second reading of the file cost as much as checking every line. The columns whose
        values repeat from line to line keep one copy of each value."""
        repeating = [
            self.columns[column]
            for column in ("date", "organisation", "event", "status", "follow_up")
            if column in self.columns
        ]
        lines, shared = [], {}
        for line, cells in self._lines():
            for index in repeating:
                cell = cells[index]
                cells[index] = shared.setdefault(cell, cell)
            lines.append((line, cells))
        decide_date_order(self, lines, self.chosen_date_order, self.event_dates)
        read_dates(self, lines)
        return lines

    def column_label(self, column):
        """How the user's file names a column: its header as typed."""
        index = self.columns.get(column)
        if index is None:
            return str(COLUMNS[column])
        return str(self.headers[index]).strip() or str(COLUMNS[column])

    @property
    def description(self):
        if self.kind == "xlsx":
            text = "XLSX"
        else:
            separator = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}[self.delimiter]
            text = _("%(encoding)s text, %(separator)s-separated") % {
                "encoding": self.encoding,
                "separator": separator,
            }
        return " — ".join([text, *self.notes])


def open_log(
    stream: BinaryIO,
    *,
    file_name: str,
    progress: Callable[[float], None] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
    event_dates: Callable[[str], tuple | None] | None = None,
) -> LogFile:
    """Sniff a seekable binary stream and return it as a `LogFile` (or raise FileRejected).

    `date_order` ("dmy" or "mdy") settles numeric dates the file leaves ambiguous;
    `encoding` overrides the detected encoding of a text file; `event_dates(event cell)`
    gives (name, start, end) of a line's event, as evidence for ambiguous dates."""
    stream.seek(0)
    start = stream.read(8)
    stream.seek(0)
    if not start:
        raise FileRejected(_("The file is empty."))
    if start.startswith(b"PK\x03\x04"):
        log, rows = _open_xlsx(stream, file_name, progress)
    elif start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            _(
                "This is an old-style Excel workbook (.xls). Save it as .xlsx or as CSV "
                "and import that."
            )
        )
    else:
        log, rows = _open_text(stream, file_name, progress, encoding)
    first_rows = _find_header(log, rows())
    log._lines = _data_lines_factory(log, rows, first_rows)
    log.chosen_date_order, log.event_dates = date_order, event_dates
    return log


# --- Text files ----------------------------------------------------------------------------


def _open_text(stream, file_name, progress, encoding):
    checksum, size, codec, label, notes = textlog.detect_encoding(stream, encoding)
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    log = LogFile(file_name=file_name, kind="text", size=size, checksum=checksum, encoding=label)
    log.notes.extend(notes)
    first_lines = []
    for line in textlog.bounded_lines(text):
        if line.strip(" \t\r\n,;"):
            first_lines.append(line)
            if len(first_lines) > limits.HEADER_SEARCH_ROWS:
                break
    if not first_lines:
        raise FileRejected(_("The file has no header line and no meetings."))
    hint = first_lines[0].strip().lower()
    if len(hint) == 5 and hint.startswith("sep=") and hint[4] in ",;\t":
        # Excel's "sep=;" first line: it names the separator; the header comes next.
        log.delimiter = hint[4]
        log.sep_hint = True
    else:
        log.delimiter = _pick_delimiter(first_lines)

    def rows(quiet=True):
        text.seek(0)
        counted = _counting(text.buffer, size, None if quiet else progress)
        hidden = 1 if getattr(log, "sep_hint", False) else 0  # Excel hides a "sep=;" line
        for record, line, cells in textlog.csv_rows(text, log.delimiter):
            if record <= hidden:
                continue
            counted()
            row = record - hidden
            log.file_lines.note(row, line)
            yield row, cells
        if progress is not None and not quiet:
            progress(1.0)

    return log, rows


def _counting(stream, size, progress):
    """A callable telling `progress` how far through the bytes reading is, now and then."""
    state = {"countdown": 4096}

    def tick():
        if progress is None:
            return
        state["countdown"] -= 1
        if not state["countdown"]:
            state["countdown"] = 4096
            progress(min(stream.tell() / size, 1.0))

    return tick


def _pick_delimiter(lines):
    """The separator that splits a header line into the date and organisation columns (the
    first line that does so, title lines above it aside); else the one splitting the first
    line into the most columns we know; ties go to the most frequent, then to the comma."""

    def known(line, delimiter):
        cells = next(csv.reader([line], delimiter=delimiter))
        return {HEADERS.get(header_key(clean_text(cell))) for cell in cells}

    for line in lines:
        for delimiter in (";", "\t", ","):
            if set(REQUIRED_COLUMNS) <= known(line, delimiter):
                return delimiter
    line = lines[0]

    def score(delimiter):
        return (len(known(line, delimiter) - {None}), line.count(delimiter), delimiter == ",")

    return max([",", ";", "\t"], key=score)


# --- Header and data lines, whatever the kind of file ----------------------------------------


def _find_header(log, rows):
    """Map the header: the first row, within the first ten non-blank ones, naming at least
    the date and organisation columns. Returns the rows above it (ignored, but mentioned)."""
    seen, header = [], None
    for line, cells in rows:
        if is_blank(cells):
            continue
        if set(REQUIRED_COLUMNS) <= {HEADERS.get(header_key(clean_text(c))) for c in cells}:
            header = line, cells
            break
        seen.append((line, cells))
        if len(seen) >= limits.HEADER_SEARCH_ROWS:
            break
    if header is None:
        if not seen:
            raise FileRejected(_("The file has no header line and no meetings."))
        header, seen = (
            seen[0],
            [],
        )  # no row names both: the first one's message says what is missing
    line, cells = header
    _map_columns(log, [clean_text(cell) for cell in cells])
    log.header_line = line
    if seen:
        log.notes.append(
            _("Rows above the header ignored: %(rows)s.")
            % {
                "rows": "; ".join(
                    _("row %(row)s (“%(text)s”)")
                    % {"row": row, "text": " ".join(str(c) for c in found if str(c).strip())[:60]}
                    for row, found in seen
                )
            }
        )
    return seen


def _data_lines_factory(log, rows, _first_rows):
    """A factory of the data lines: (line, cells) after the header, blank ones skipped
    whatever their width, cells cleaned of invisible characters and padded to the header."""
    width = len(log.headers)
    extra_contacts = log.extra_contacts_columns
    contacts = log.columns.get("contacts")
    date_index = log.columns["date"]
    text = log.kind == "text"
    cleaned = {}  # cell -> clean_text(cell): a log repeats its names, topics and notes

    def clean(cell):
        found = cleaned[cell] = clean_text(cell)
        return found

    def lines(quiet=False):
        for line, cells in rows(quiet):
            if line <= log.header_line:
                continue
            if text:
                # All text: a line none of whose cells needs cleaning (nearly every one,
                # accented or not) is checked whole; else each distinct cell is cleaned
                # once. csv_rows() has checked the lengths of the cells as written
                # (cleaning can lengthen a cell).
                joined = "\x1f".join(cells)
                if not is_clean(joined):
                    cells = [
                        cell if cell.isascii() else cleaned.get(cell) or clean(cell)
                        for cell in cells
                    ]
                    if max(map(len, cells)) > limits.MAX_CELL:
                        _check_lengths(log, line, cells)
                    joined = "".join(cells)
                if not joined.strip():  # blank ("\x1f" is white space to strip())
                    continue
            else:
                if is_blank(cells):
                    continue
                cells = [
                    clean_text(cell) if index == date_index else _as_text(cell)
                    for index, cell in enumerate(cells)
                ]
                _check_lengths(log, line, cells)
            count = len(cells)
            if count > width:
                if any(str(cell).strip() for cell in cells[width:]):
                    yield line, TooManyCells([str(c) for c in cells], width)
                    continue
                del cells[width:]
            elif count < width:
                cells.extend([""] * (width - count))
            if extra_contacts:
                names = [cells[i] for i in [contacts, *extra_contacts] if str(cells[i]).strip()]
                cells[contacts] = "; ".join(str(name) for name in names)
            yield line, cells

    return lines


def _check_lengths(log, line, cells):
    for cell in cells:
        if type(cell) is str and len(cell) > limits.MAX_CELL:
            raise FileRejected(
                _(
                    "%(where)s has a cell of %(length)s characters; a spreadsheet "
                    "cell holds at most %(size)s."
                )
                % {
                    "where": capfirst(log.file_lines.label(line)),
                    "length": f"{len(cell):,}",
                    "size": f"{limits.MAX_CELL:,}",
                }
            )


def _as_text(cell):
    """A cell outside the date column as text, invisible characters dropped."""
    if type(cell) is str:
        return clean_text(cell)
    if isinstance(cell, int | float):
        return _xlsx_text(cell)
    return cell


class TooManyCells(list):
    """A line with more non-empty cells than the header has columns (an unquoted separator)."""

    def __init__(self, cells, width):
        super().__init__(cells[:width])
        self.extra = [cell.strip() for cell in cells[width:] if cell.strip()]
        self.count = len(cells)


def _map_columns(log, header_cells):
    headers = ["" if cell is None else str(cell) for cell in header_cells]
    while headers and not headers[-1].strip():
        headers.pop()
    if len(headers) > limits.MAX_COLUMNS:
        raise FileRejected(
            _("The header has %(count)s columns; a meeting log has at most %(limit)s.")
            % {"count": f"{len(headers):,}", "limit": limits.MAX_COLUMNS}
        )
    log.headers = headers
    for index, header in enumerate(headers):
        key = header_key(header)
        column = HEADERS.get(key)
        if column is None:
            if key in NOT_IMPORTED:
                if key in TIME_HEADERS:
                    log.time_columns.append(index)
                log.not_imported_columns.append(f"“{header.strip()}” ({NOT_IMPORTED[key]})")
                continue
            log.unknown_columns.append(
                header.strip() or _("(column %(number)s, no header)") % {"number": index + 1}
            )
            continue
        if column in log.columns:
            if column == "contacts":  # Outlook's Required and Optional Attendees
                log.extra_contacts_columns.append(index)
                continue
            _two_columns(log, column, headers, index)
        log.columns[column] = index
    if log.not_imported_columns:
        log.notes.append(
            _("Columns recognised and not imported: %(columns)s.")
            % {"columns": ", ".join(log.not_imported_columns)}
        )
    missing = [column for column in REQUIRED_COLUMNS if column not in log.columns]
    if missing:
        raise FileRejected(
            _(
                "The file has no %(columns)s column. The first line must name the columns; "
                "found: %(found)s. Accepted headers for the %(first)s: %(accepted)s."
            )
            % {
                "columns": _(" or ").join(str(COLUMNS[column]) for column in missing),
                "found": ", ".join(f"“{header.strip()}”" for header in headers if header.strip())
                or _("nothing"),
                "first": COLUMNS[missing[0]],
                "accepted": ", ".join(f"“{word}”" for word in HEADER_SYNONYMS[missing[0]][:6]),
            }
        )


def _two_columns(log, column, headers, index):
    first = log.columns[column]
    raise FileRejected(
        _(
            "Two columns give the %(column)s: “%(first)s” (column %(first_number)s) "
            "and “%(second)s” (column %(second_number)s). Keep only one."
        )
        % {
            "column": COLUMNS[column],
            "first": headers[first].strip(),
            "first_number": first + 1,
            "second": headers[index].strip(),
            "second_number": index + 1,
        }
    )


# --- XLSX workbooks ------------------------------------------------------------------------


def _open_xlsx(stream, file_name, progress):
    import zipfile

    import openpyxl

    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    stream.seek(0)
    workbook.check_parts(stream)
    try:
        # Formulas are read as typed ("=HYPERLINK(…)"), never evaluated or replaced.
        book = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        sheet = book.worksheets[0]
        workbook.check_dimension(sheet)
        merges, total = workbook.scan_sheet(book._archive, sheet._worksheet_path)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as error:
        raise FileRejected(
            _("This file is not a readable XLSX workbook (%(reason)s).") % {"reason": error}
        ) from None
    log = LogFile(file_name=file_name, kind="xlsx", size=size, checksum=digest.hexdigest())

    def rows(quiet=True):
        report = None if quiet else progress
        for number, values in workbook.sheet_rows(sheet, merges, _xlsx_cell):
            if report is not None and total and not number % 4096:
                report(min(number / total, 1.0))
            yield number, values
        if report is not None:
            report(1.0)

    return log, rows


def _xlsx_cell(value):
    """Dates stay dates, numbers stay numbers (a date column may hold Excel serial numbers);
    everything else becomes the text the cell shows."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date | int | float) and not isinstance(value, bool):
        return value
    return _xlsx_text(value)


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
