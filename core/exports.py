"""CSV downloads of the list pages: exactly the filtered, sorted rows, safe to open in Excel."""

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _

from core.spreadsheets import neutralise_formula


def csv_response(filename, columns, rows):
    """An attachment of `rows` as CSV, one column per (header, value-of-row) in `columns`.

    UTF-8 with a byte-order mark so that Excel reads accents correctly; every cell passes
    through `neutralise_formula`.
    """
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([neutralise_formula(str(header)) for header, _value in columns])
    for row in rows:
        writer.writerow([neutralise_formula(cell_text(value(row))) for _header, value in columns])
    return response


def cell_text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int | float):
        return value
    return str(value)
