"""Downloads of the list pages, CSV and Excel: exactly the filtered, sorted rows.

- CSV in UTF-8 with a byte-order mark (Excel then reads accents right), separated by `;`
  in French (what French Excel expects on a double-click) and `,` in English.
- XLSX with real date cells, a frozen bold header row and columns as wide as their text.
- Dates as dates (ISO 2022-06-14 in CSV), with their precision in the next column where
  a source gives only a month or a year, so that they sort and filter in a spreadsheet.
- Every text cell passes through `neutralise_formula` (see core/spreadsheets.py).
"""

import csv
import datetime
import io
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.models import DatePrecision
from core.spreadsheets import neutralise_formula

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDEST_COLUMN = 60  # characters; longer text wraps in Excel rather than widening the sheet


class Column(NamedTuple):
    header: str
    value: object  # a function of the row


def dated(header, date_attr, precision_attr):
    """Two columns for a date known to the day, month or year: the date itself (the first
    day of what is known) and how precise it is."""
    return [
        Column(header, lambda row: getattr(row, date_attr)),
        Column(
            format_lazy(gettext_lazy("{label} (precision)"), label=header),
            lambda row: (
                DatePrecision(getattr(row, precision_attr)).label
                if getattr(row, date_attr)
                else ""
            ),
        ),
    ]


def csv_separator():
    return ";" if (get_language() or "").startswith("fr") else ","


def csv_response(filename, columns, rows):
    """An attachment of `rows` as CSV, one column per (header, value-of-row) in `columns`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=csv_separator())
    writer.writerow([neutralise_formula(str(header)) for header, _value in columns])
    for row in rows:
        writer.writerow([csv_cell(value(row)) for _header, value in columns])
    return response


def csv_cell(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise_formula(cell_text(value))


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return value
    return str(value)


def xlsx_response(filename, columns, rows):
    """The same rows as a workbook: typed cells, frozen bold header, fitted widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([str(header) for header, _value in columns])
    widths = [len(str(header)) for header, _value in columns]
    for row in rows:
        values = [xlsx_cell(value(row)) for _header, value in columns]
        sheet.append(values)
        widths = [max(width, len(str(v or ""))) for width, v in zip(widths, values, strict=True)]
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = min(width + 2, WIDEST_COLUMN)
        for (cell,) in sheet.iter_rows(min_row=2, min_col=number, max_col=number):
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
            elif isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text
    sheet.freeze_panes = "A2"
    content = io.BytesIO()
    workbook.save(content)
    response = HttpResponse(content.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_cell(value):
    if isinstance(value, datetime.date | int | float) and not isinstance(value, bool):
        return value
    return neutralise_formula(cell_text(value))


EXPORTERS = {"csv": csv_response, "xlsx": xlsx_response}
