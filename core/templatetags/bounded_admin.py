"""The admin changelist's date hierarchy and counts, bounded (core/changelist.py)."""

import re

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


# Whitespace alone between two tags; HTML shows any run of it as one space.
_SPACES_BETWEEN_TAGS = re.compile(r">\s+<")


class SpacesCollapsedNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context):
        return _SPACES_BETWEEN_TAGS.sub(">\n<", self.nodelist.render(context))


@register.tag
def spaces_collapsed(parser, token):
    """`{% spaces_collapsed %}…{% endspaces_collapsed %}`: each run of whitespace between two tags
    made one line break, which the page shows as the run was shown (unlike `spaceless`,
    which would join two links into one). An admin inline's indented template made
    half of the largest organisation's change page (117 KB) blanks."""
    nodelist = parser.parse(("endspaces_collapsed",))
    parser.delete_first_token()
    return SpacesCollapsedNode(nodelist)
