"""Making cell text safe to open in a spreadsheet.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is read by Excel and
LibreOffice as a formula ("=HYPERLINK(…)" can leak data or run commands). Every export (CSV
and XLSX, list pages and admin alike) passes text cells through `neutralise_formula`, which
prefixes such cells with an apostrophe: the text shows as typed and never runs. Stored data is
never changed; only what leaves the application is.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
