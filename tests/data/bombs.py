# ruff: noqa: E501 -- the XML parts are kept on one line each, as Excel writes them
"""XLSX zip bombs and oversized CSV files, written on demand (too big to keep in the repository).

Each is a small file that expands to far more than a meeting log: `python bombs.py DIR`
writes the full-size ones the attacker used (50 million cells, a 1 GB shared string) for
bench/zip_bombs.py; the tests call the functions with sizes just over the limits.
"""

import sys
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
    "</Types>"
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Log" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
_HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c>'
    '<c r="B1" t="inlineStr"><is><t>Organisation</t></is></c></row>'
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _workbook(path, sheet_chunks, shared_chunks=None, dimension="A1:B2"):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with archive.open("xl/sharedStrings.xml", "w", force_zip64=True) as part:
            part.write(
                b'<?xml version="1.0" encoding="UTF-8"?>'
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            for chunk in shared_chunks or ():
                part.write(chunk)
            part.write(b"</sst>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(_SHEET_START.format(dimension=dimension).encode())
            part.write(_HEADER_ROW.encode())
            for chunk in sheet_chunks:
                part.write(chunk)
            part.write(_SHEET_END.encode())
    return path


def many_cells(path, rows, columns=10):
    """A sheet of `rows` × `columns` numeric cells (50 million cells compress to ~1 MB).
    Cells and rows without their optional "r" reference, so that one block repeats."""
    row = ("<row>" + "<c><v>1</v></c>" * columns + "</row>").encode()
    batch, written = row * 1000, 0

    def chunks():
        nonlocal written
        while written + 1000 <= rows:
            written += 1000
            yield batch
        yield row * (rows - written)

    return _workbook(path, chunks(), dimension=f"A1:{chr(64 + min(columns, 26))}{rows + 1}")


def empty_rows(path, rows):
    """Many rows behind a small declared dimension (the dimension lies)."""
    return _workbook(path, (f'<row r="{n}"/>'.encode() for n in range(2, rows + 2)))


def declared_dimension(path, dimension="A1:XFD1048576"):
    """A tiny sheet declaring the largest dimension Excel allows: openpyxl would pad to it."""
    return _workbook(path, [], dimension=dimension)


def wide_row(path, columns):
    cells = "".join(f'<c r="A2"><v>{i}</v></c>' for i in range(columns))
    return _workbook(path, [f'<row r="2">{cells}</row>'.encode()])


def huge_shared_string(path, megabytes):
    """One shared string of `megabytes` MB (1 GB compresses to ~1 MB)."""
    block = b"A" * (1 << 20)

    def strings():
        yield b"<si><t>"
        for _ in range(megabytes):
            yield block
        yield b"</t></si>"

    return _workbook(path, [b'<row r="2"><c r="A2" t="s"><v>0</v></c></row>'], strings())


def long_cell(path, characters):
    """An XLSX cell longer than a spreadsheet cell may be (inline, within the part limits)."""
    text = "A" * characters
    row = f'<row r="2"><c r="A2" t="inlineStr"><is><t>2022-10-14</t></is></c><c r="B2" t="inlineStr"><is><t>{text}</t></is></c></row>'
    return _workbook(path, [row.encode()])


def csv_long_cell(path, characters):
    path.write_bytes(b"Date;Organisation;Notes\n2022-10-14;BioWin;" + b"x" * characters + b"\n")
    return path


def csv_long_line(path, megabytes):
    with path.open("wb") as file:
        file.write(b"Date;Organisation;Notes\n2022-10-14;BioWin;")
        for _ in range(megabytes):
            file.write(b"x;" * (1 << 19))
        file.write(b"\n")
    return path


def csv_long_header(path, kilobytes):
    path.write_bytes(b"Date;Organisation;" + b"H" * (kilobytes << 10) + b"\n2022-10-14;BioWin;\n")
    return path


if __name__ == "__main__":
    directory = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    directory.mkdir(parents=True, exist_ok=True)
    many_cells(directory / "bomb_50m_cells.xlsx", rows=5_000_000, columns=10)
    huge_shared_string(directory / "bomb_1gb_string.xlsx", megabytes=1024)
    declared_dimension(directory / "bomb_dimension.xlsx")
    csv_long_cell(directory / "long_cell.csv", 200_000)
    csv_long_line(directory / "long_line.csv", 50)
    csv_long_header(directory / "long_header.csv", 128)
