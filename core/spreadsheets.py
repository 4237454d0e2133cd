"""Making cell text safe to open in a spreadsheet.

A cell that starts with "=", "+", "-", "@", a tab or a carriage return is read by Excel and
LibreOffice as a formula ("=HYPERLINK(…)" can leak data or run commands), and so is one where
these follow blanks that a spreadsheet skips (spaces, no-break or zero-width spaces, a
byte-order mark, line feeds). Every export (CSV and XLSX, list pages and admin alike) passes
text cells through `neutralise_formula`, which prefixes such cells with an apostrophe: the text
shows as typed and never runs. Control characters, which XLSX cannot hold (one of them made the
whole download fail), become U+FFFD. Stored data is never changed; only what leaves the
application is.
"""

import re
import unicodedata

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What XLSX (XML 1.0) cannot hold: the C0 controls but tab, line feed and carriage return.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _skipped_by_spreadsheets(char):
    return char.isspace() or unicodedata.category(char) == "Cf"  # Cf: ZWSP, BOM, …


def neutralise_formula(value):
    if not isinstance(value, str):
        return value
    if not value.isprintable():  # most cells are, and need no search for controls
        value = _UNWRITABLE.sub("\ufffd", value)
    if value[:1].isalnum():  # most cells: neither a trigger nor a blank comes first
        return value
    start = 0
    while start < len(value) and value[start] not in FORMULA_TRIGGERS:
        if not _skipped_by_spreadsheets(value[start]):
            break
        start += 1
    if value[start:].startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralised_column(values):
    """`neutralise_formula` of each of a column's text values (or None): the cells that its
    first test returns unchanged (printable, starting with a letter or digit: most of them)
    are kept without a call each, a third of its cost over a million-row export."""
    return [
        value
        if value is None or (value[:1].isalnum() and value.isprintable())
        else neutralise_formula(value)
        for value in values
    ]
