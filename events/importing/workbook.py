"""Reading an XLSX log's first sheet, with the work bounded before and while reading.

A workbook is a zip of XML parts, so a 1 MB upload can expand to gigabytes. Before openpyxl
parses anything, each part's uncompressed size is checked; the sheet's XML is then scanned
once (at C speed) for its rows, its widest row and its merged ranges, so that a sheet
declaring or holding more than a log ever has is refused without being expanded in memory.
"""

import re
import time
import zipfile

from django.utils.translation import gettext as _

from events.importing import limits
from events.importing.limits import FileRejected

_TAGS = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c|mergeCell)[\s/>]")
_MERGE = re.compile(
    rb'<(?:[A-Za-z_][\w.-]*:)?mergeCell\s+ref="([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?"'
)


def _too_big(what):
    return FileRejected(
        _(
            "This workbook is far larger than a meeting log (%(what)s); it was not read. "
            "Keep only the log's sheet and its rows, or save it as CSV."
        )
        % {"what": what}
    )


def check_parts(stream):
    """Refuse a zip whose parts would expand beyond what a log needs (a zip bomb)."""
    try:
        archive = zipfile.ZipFile(stream)
        parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise FileRejected(
            _("This file is not a readable XLSX workbook (%(reason)s).") % {"reason": error}
        ) from None
    total = 0
    for part in parts:
        name = part.filename.lower()
        if name.startswith("xl/worksheets/"):
            limit = limits.MAX_SHEET_XML
        elif name.endswith("sharedstrings.xml"):
            limit = limits.MAX_SHARED_STRINGS_XML
        else:
            limit = limits.MAX_OTHER_PART
        if part.file_size > limit:
            raise _too_big(
                _("its part %(part)s expands to %(size)s MB")
                % {"part": part.filename, "size": part.file_size >> 20}
            )
        total += part.file_size
    if total > limits.MAX_WORKBOOK_XML:
        raise _too_big(_("it expands to %(size)s MB") % {"size": total >> 20})
    stream.seek(0)


def _column_number(letters):
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def scan_sheet(archive, path):
    """(merged ranges, row count) of a sheet's XML, refusing too many rows or cells per row.

    Merged ranges are (first row, last row, column) for ranges more than one row high:
    the value of the range's top cell applies to each row of it, as Excel shows it."""
    merges, rows, cells, tail = [], 0, 0, b""
    with archive.open(path) as source:
        while chunk := source.read(limits.CHUNK):
            data = tail + chunk
            cut = data.rfind(b"<")
            data, tail = data[:cut], data[cut:]
            for match in _TAGS.finditer(data):
                tag = match.group(1)
                if tag == b"c":
                    cells += 1
                    if cells > limits.MAX_COLUMNS:
                        raise _too_big(
                            _("a row has more than %(count)s cells") % {"count": limits.MAX_COLUMNS}
                        )
                elif tag == b"row":
                    rows, cells = rows + 1, 0
                    if rows > limits.MAX_ROWS:
                        raise _too_big(_("more than %(count)s rows") % {"count": limits.MAX_ROWS})
            for match in _MERGE.finditer(data):
                first_column, first_row, _last_column, last_row = match.groups()
                if last_row and int(last_row) > int(first_row):
                    merges.append(
                        (int(first_row), int(last_row), _column_number(first_column.decode()) - 1)
                    )
    return merges, rows


def check_dimension(sheet):
    """The sheet's declared size: openpyxl pads every row to it, so it is checked first."""
    if (sheet.max_row or 0) > limits.MAX_ROWS + limits.HEADER_SEARCH_ROWS:
        raise _too_big(_("its sheet declares %(count)s rows") % {"count": f"{sheet.max_row:,}"})
    if (sheet.max_column or 0) > limits.MAX_COLUMNS:
        raise _too_big(
            _("its sheet declares %(count)s columns") % {"count": f"{sheet.max_column:,}"}
        )


def sheet_rows(sheet, merges, to_cell):
    """(row number, values) for every row, merged ranges filled down, with a time bound."""
    started = time.monotonic()
    starts = {}
    for first, last, column in merges:
        starts.setdefault(first, []).append((last, column))
    active = []  # (last row, column, value)
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if not number % 1024 and time.monotonic() - started > limits.MAX_READING_SECONDS:
            raise _too_big(
                _("reading it took over %(seconds)s seconds")
                % {"seconds": limits.MAX_READING_SECONDS}
            )
        values = [to_cell(value) for value in row]
        for last, column in starts.pop(number, ()):
            if column < len(values):
                active.append((last, column, values[column]))
        if active:
            for _last, column, value in active:
                while len(values) <= column:
                    values.append("")
                values[column] = value
            active = [merge for merge in active if merge[0] > number]
        yield number, values
