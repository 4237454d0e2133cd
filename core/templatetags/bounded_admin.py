"""The admin changelist's date hierarchy and counts, bounded (core/changelist.py)."""

from django import template
from django.utils.formats import number_format

from core.changelist import date_hierarchy_choices

register = template.Library()


@register.inclusion_tag("admin/date_hierarchy.html")
def bounded_date_hierarchy(cl):
    return date_hierarchy_choices(cl)


@register.filter
def grouped(number):
    """10000 → "10,000" (or "10 000" in French): a capped or estimated count reads better."""
    return number_format(number, force_grouping=True)
