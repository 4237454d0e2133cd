"""Reading meeting logs as people really save them.

A log is a CSV/TSV/TXT text file or an XLSX workbook. Text files come as UTF-8 (with or
without a byte-order mark), UTF-16 with a mark (Excel's "Unicode text"), or Windows-1252
(Excel in French); separated by commas, semicolons or tabs; with CRLF line ends and quoted
cells spanning several lines. Whatever the shape, `open_log()` gives the same thing: the
header, which column means what, and the data lines with the line number each starts on.

Anything that makes the whole file unusable (empty, binary, an encoding we cannot read, no
date or organisation column) raises `FileRejected` with a message for the person who
uploaded it, never a traceback.
"""

import codecs
import csv
import datetime
import hashlib
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from events.importing.columns import COLUMNS, HEADER_SYNONYMS, HEADERS, REQUIRED_COLUMNS, header_key

CHUNK = 1 << 20


class FileRejected(Exception):
    """The file as a whole cannot be imported; the message says why, for its uploader."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


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
    date_order: str | None = None  # "dmy", "mdy", or None: decide from the file
    _lines: Callable[[], Iterator[tuple[int, list]]] | None = None

    def lines(self) -> Iterator[tuple[int, list]]:
        """(line number, cells) for each non-blank data line; cells padded to the header."""
        return self._lines()

    def column_label(self, column):
        """How the user's file names a column: its header as typed."""
        index = self.columns.get(column)
        if index is None:
            return str(COLUMNS[column])
        return str(self.headers[index]).strip() or str(COLUMNS[column])

    @property
    def description(self):
        if self.kind == "xlsx":
            return "XLSX"
        separator = {",": _("comma"), ";": _("semicolon"), "\t": _("tab")}[self.delimiter]
        return _("%(encoding)s text, %(separator)s-separated") % {
            "encoding": self.encoding,
            "separator": separator,
        }


def open_log(
    stream: BinaryIO,
    *,
    file_name: str,
    progress: Callable[[float], None] | None = None,
    date_order: str | None = None,
    encoding: str | None = None,
) -> LogFile:
    """Sniff a seekable binary stream and return it as a `LogFile` (or raise FileRejected).

    `encoding` (a Python codec name) reads a text file in that encoding instead of detecting
    it; `date_order` ("dmy" or "mdy") says how to read dates such as 03/04/2022 instead of
    deciding from the file. Both come from the command's options and the upload form.
    """
    log = _open(stream, file_name, progress, encoding)
    log.date_order = date_order
    return log


def _open(stream, file_name, progress, encoding):
    stream.seek(0)
    start = stream.read(8)
    stream.seek(0)
    if not start:
        raise FileRejected(_("The file is empty."))
    if start.startswith(b"PK\x03\x04"):
        return _open_xlsx(stream, file_name, progress)
    if start.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRejected(
            _(
                "This is an old-style Excel workbook (.xls). Save it as .xlsx or as CSV "
                "and import that."
            )
        )
    return _open_text(stream, file_name, progress, encoding)


# --- Text files ----------------------------------------------------------------------------


def _scan_text(stream, chosen=None):
    """One pass over the bytes: checksum, size, and which encoding reads them all (only
    `chosen`, when the user chose one)."""
    digest = hashlib.sha256()
    size = 0
    first = stream.read(4)
    stream.seek(0)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif first.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        encoding = "utf-8"
    if chosen:
        encoding = "utf-8-sig" if codecs.lookup(chosen).name == "utf-8" else chosen
    decoders = {encoding: codecs.getincrementaldecoder(encoding)()}
    if encoding == "utf-8" and not chosen:
        decoders["cp1252"] = codecs.getincrementaldecoder("cp1252")()
    failed = {}
    line = 1
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
        if encoding != "utf-16" and b"\x00" in chunk:
            raise FileRejected(
                _(
                    "This is not a text file (it contains binary data). Import a CSV, TSV, "
                    "TXT or XLSX meeting log."
                )
            )
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                failed[name] = line + chunk[: error.start].count(b"\n")
                del decoders[name]
        line += chunk.count(b"\n")
    for name, decoder in list(decoders.items()):
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            failed[name] = line
            del decoders[name]
    stream.seek(0)
    if not decoders and chosen:
        raise FileRejected(
            _("The file is not %(encoding)s text (unreadable characters on line %(line)s).")
            % {"encoding": chosen, "line": max(failed.values())}
        )
    if not decoders:
        raise FileRejected(
            _(
                "The file is neither UTF-8 nor Windows-1252 text (unreadable characters on "
                "line %(line)s). Save it from Excel as “CSV UTF-8” and import it again."
            )
            % {"line": max(failed.values())}
        )
    readable = next(iter(decoders))
    return digest.hexdigest(), size, readable


def _open_text(stream, file_name, progress, chosen_encoding=None):
    checksum, size, encoding = _scan_text(stream, chosen_encoding)
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    first_line, skip = "", 0
    for skip, first_line in enumerate(text, start=1):  # noqa: B007
        if first_line.strip(" \t\r\n,;"):
            break
    else:
        raise FileRejected(_("The file has no header line and no meetings."))
    hint = first_line.strip().lower()
    if len(hint) == 5 and hint.startswith("sep=") and hint[4] in ",;\t":
        # Excel's "sep=;" first line: it names the separator; the header comes next.
        delimiter = hint[4]
    else:
        delimiter, skip = _pick_delimiter(first_line), 0
    log = LogFile(
        file_name=file_name,
        kind="text",
        size=size,
        checksum=checksum,
        encoding={
            "utf-8-sig": "UTF-8",
            "utf-8": "UTF-8",
            "utf-16": "UTF-16",
            "mac_roman": "Mac Roman",
        }.get(encoding, "Windows-1252"),
        delimiter=delimiter,
    )
    # Read the header with the csv module too: it may be quoted.
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    header_line, row = 0, []
    for row in reader:
        if reader.line_num > skip and any(cell.strip() for cell in row):
            header_line = reader.line_num
            break
    else:
        raise FileRejected(_("The file has no header line and no meetings."))
    _map_columns(log, row)
    width = len(log.headers)
    log._lines = lambda: _text_lines(text, delimiter, header_line, width, size, progress)
    return log


def _text_lines(text, delimiter, header_line, width, size, progress):
    """(line number, cells) after the header; `line` is where a (multi-line) row starts."""
    text.seek(0)
    reader = csv.reader(text, delimiter=delimiter, strict=False)
    # Skip up to and including the header.
    for _row in reader:
        if reader.line_num >= header_line:
            break
    previous = reader.line_num
    report_every = 4096
    countdown = report_every
    stream = text.buffer
    for cells in reader:
        line = previous + 1
        previous = reader.line_num
        if progress is not None:
            countdown -= 1
            if not countdown:
                countdown = report_every
                progress(stream.tell() / size)
        count = len(cells)
        if count < width:
            if not any(cells):
                continue
            cells.extend([""] * (width - count))
        elif count > width:
            if any(cell.strip() for cell in cells[width:]):
                yield line, TooManyCells(cells, width)
                continue
            del cells[width:]
        elif not any(cells):
            continue
        yield line, cells
    if progress is not None:
        progress(1.0)


class TooManyCells(list):
    """A line with more non-empty cells than the header has columns (an unquoted separator)."""

    def __init__(self, cells, width):
        super().__init__(cells[:width])
        self.extra = [cell.strip() for cell in cells[width:] if cell.strip()]
        self.count = len(cells)


def _pick_delimiter(line):
    """The separator that splits the header into the most columns we know; ties go to the
    one that occurs most often, then to the comma."""

    def score(delimiter):
        cells = next(csv.reader([line], delimiter=delimiter))
        known = sum(1 for cell in cells if header_key(cell) in HEADERS)
        return (known, line.count(delimiter), delimiter == ",")

    return max([",", ";", "\t"], key=score)


def _map_columns(log, header_cells):
    headers = ["" if cell is None else str(cell) for cell in header_cells]
    while headers and not headers[-1].strip():
        headers.pop()
    log.headers = headers
    for index, header in enumerate(headers):
        column = HEADERS.get(header_key(header))
        if column is None:
            log.unknown_columns.append(
                header.strip() or _("(column %(number)s, no header)") % {"number": index + 1}
            )
            continue
        if column in log.columns:
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
                    "second": header.strip(),
                    "second_number": index + 1,
                }
            )
        log.columns[column] = index
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
    try:
        # Formulas are read as typed ("=HYPERLINK(…)"), never evaluated or replaced.
        workbook = openpyxl.load_workbook(stream, read_only=True, data_only=False)
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = None
        header_line = 0
        for header_line, row in enumerate(rows, start=1):  # noqa: B007
            if any(_xlsx_text(cell).strip() for cell in row):
                header = row
                break
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError, IndexError) as error:
        raise FileRejected(
            _("This file is not a readable XLSX workbook (%(reason)s).") % {"reason": error}
        ) from None
    if header is None:
        raise FileRejected(_("The workbook's first sheet has no header line and no meetings."))
    log = LogFile(file_name=file_name, kind="xlsx", size=size, checksum=digest.hexdigest())
    _map_columns(log, [_xlsx_text(cell) for cell in header])
    width = len(log.headers)
    total = sheet.max_row or 0

    def lines():
        for line, row in enumerate(rows, start=header_line + 1):
            if progress is not None and total and not line % 4096:
                progress(min(line / total, 1.0))
            cells = [_xlsx_cell(cell) for cell in row[:width]]
            if not any(cell != "" for cell in cells):
                continue
            extra = [_xlsx_text(cell) for cell in row[width:] if _xlsx_text(cell).strip()]
            if len(cells) < width:
                cells.extend([""] * (width - len(cells)))
            if extra:
                too_many = TooManyCells(cells + extra, width)
                yield line, too_many
                continue
            yield line, cells
        workbook.close()
        if progress is not None:
            progress(1.0)

    log._lines = lines
    return log


def _xlsx_cell(value):
    """Dates stay dates; everything else becomes the text the cell shows."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time() else value
    if isinstance(value, datetime.date):
        return value
    return _xlsx_text(value)


def _xlsx_text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
