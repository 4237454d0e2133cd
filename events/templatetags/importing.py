"""How the import pages name a line of a log: its spreadsheet row (events/importing/rows.py)."""

from django import template

register = template.Library()


@register.filter
def where(report, row):
    """{{ report|where:item.row }}: "row 5", or "row 5 (file line 7)"."""
    return report.where(row)


@register.filter
def row_number(report, row):
    """{{ report|row_number:error.row }}: "5", or "5 (file line 7)", under a "Row" header."""
    return report.file_lines.number(row)
