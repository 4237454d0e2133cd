"""Where a line of a log is, as the person who made it sees it: the spreadsheet's row.

A CSV's header is row 1 and its first data line row 2, as Excel shows them (a `sep=;` first
line is not a row: Excel hides it); an XLSX's rows are the sheet's own numbers, title rows
above the header included. A quoted cell spanning several lines of the file is one row, so
after it the file's line numbers run ahead of the rows: messages then give both, "row 5 (file
line 7)", for whoever opens the file in a text editor.
"""

import bisect

from django.utils.translation import gettext as _


def row_label(row, line=None):
    """ "row 5", or "row 5 (file line 7)" when the file has it on another line."""
    if line is None or line == row:
        return _("row %(row)s") % {"row": row}
    return _("row %(row)s (file line %(line)s)") % {"row": row, "line": line}


class FileLines:
    """Row number -> the file line it starts on, stored only where the gap between them
    changes (after each cell spanning lines): a few entries, even for 100k rows."""

    def __init__(self):
        self.rows, self.gaps = [], []

    def note(self, row, line):
        gap = line - row
        if gap != (self.gaps[-1] if self.gaps else 0) and (not self.rows or row > self.rows[-1]):
            self.rows.append(row)
            self.gaps.append(gap)

    def line_of(self, row):
        at = bisect.bisect_right(self.rows, row)
        return row + (self.gaps[at - 1] if at else 0)

    def label(self, row):
        return row_label(row, self.line_of(row))

    def number(self, row):
        """ "5", or "5 (file line 7)": a row in a table whose column says "Row"."""
        line = self.line_of(row)
        if line == row:
            return str(row)
        return _("%(row)s (file line %(line)s)") % {"row": row, "line": line}
