"""What every admin page of the project shares, the stock and third-party ones included.

At a million meetings a changelist must not count, group or sort the whole table on each
request: the counts are capped (`CappedCountPaginator`), "N total" and the filters' facet
counts are off, the date hierarchy reads two index ends instead of grouping every row
(`date_hierarchy_choices`), and a column is sorted only if `sortable_by` allows it.
"""

import calendar
import datetime
import math

from django.contrib.admin import RelatedFieldListFilter, ShowFacets
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import SEARCH_VAR, ChangeList
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Max, Min
from django.utils import formats
from django.utils.functional import cached_property
from django.utils.text import capfirst

# Counted exactly up to here (100 pages of 100); beyond, "more than 10,000" and no page
# after the 100th: narrowing the search is faster than paging that far.
COUNT_CAP = 10_000
# The date hierarchy lists at most this many years, the latest.
MAX_YEARS = 40


def could_be_id(value):
    """Whether `value` could be the id of a record (every model here has integer ids)."""
    low, high = connection.ops.integer_field_range("BigIntegerField")
    try:
        return low <= int(value) <= high
    except (TypeError, ValueError):
        return False


class CappedCountPaginator(Paginator):
    """A paginator that never counts past `COUNT_CAP` rows.

    The whole table (no filter, no search) is estimated on PostgreSQL from the planner's
    statistics when that says it is large (`is_estimate`: "about 1,000,000"); anything else
    is counted up to the cap (`is_lower_bound`: "more than 10,000"). Pages stop at the cap.
    """

    is_estimate = is_lower_bound = False

    @cached_property
    def count(self):
        estimate = self._table_estimate()
        if estimate is not None and estimate > COUNT_CAP:
            self.is_estimate = True
            return estimate
        # The ids only: the changelist's annotations (an organisation's partnership and
        # meeting counts) were computed for each of the 10,001 rows counted.
        counted = self.object_list.order_by().values("pk")[: COUNT_CAP + 1].count()
        if counted > COUNT_CAP:
            self.is_lower_bound = True
            return COUNT_CAP
        return counted

    @cached_property
    def num_pages(self):
        return min(super().num_pages, math.ceil(COUNT_CAP / self.per_page))

    def _table_estimate(self):
        query = getattr(self.object_list, "query", None)
        if connection.vendor != "postgresql" or query is None or query.where:
            return None
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [query.model._meta.db_table],
            )
            row = cursor.fetchone()
        # -1 (never analysed) or 0: count instead.
        return row[0] if row and row[0] > 0 else None


class ChosenRecordFilter(RelatedFieldListFilter):
    """A filter on a relation with thousands of records (a meeting's event or organisation):
    the sidebar shows only the record chosen, by a "see all" link from its page, instead
    of listing every record."""

    def field_choices(self, field, request, model_admin):
        pks = [value for value in self.lookup_val or () if could_be_id(value)]
        if not pks:
            return []
        return [
            (record.pk, str(record)) for record in field.related_model.objects.filter(pk__in=pks)
        ]

    def has_output(self):
        return bool(self.lookup_choices)


class SturdyChangeList(ChangeList):
    """A changelist class, refusing (with its "?e=1" message) a date-hierarchy year too big
    for Python's dates (`?start_date__year=99999999999999999999` raised OverflowError, a 500)
    and NUL characters, which PostgreSQL cannot compare; and sorting only by the columns
    `sortable_by` names, whatever `?o=` says (a sort by a column without an index reads the
    whole table)."""

    def get_filters(self, request):
        # PostgreSQL refuses NUL in any string (a 500 from every choice filter): refuse first.
        filters = [(key, values) for key, values in request.GET.lists() if key != SEARCH_VAR]
        if any("\x00" in text for key, values in filters for text in (key, *values)):
            raise IncorrectLookupParameters("NUL character in the query")
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error

    def get_ordering_field(self, field_name):
        if self.sortable_by is not None and field_name not in self.sortable_by:
            return None
        return super().get_ordering_field(field_name)


def date_hierarchy_choices(cl):
    """The context of admin/date_hierarchy.html for `cl`, without grouping its rows.

    Django's tag runs MIN/MAX and then DISTINCT DATE_TRUNC over the filtered rows (three
    more runs of a search, a pass over a million meetings). Here the years run between the
    first and last dates of the whole table (two index reads, whatever the filters), and
    a year lists its twelve months, a month its days: some may hold no row.
    """
    field = cl.date_hierarchy
    year, month, day = (cl.params.get(f"{field}__{part}") for part in ("year", "month", "day"))

    def link(filters):
        return cl.get_query_string(filters, [f"{field}__"])

    def title(date, format_name):
        return capfirst(formats.date_format(date, format_name))

    try:
        year, month, day = (int(value) if value else None for value in (year, month, day))
        chosen = datetime.date(year or 2000, month or 1, day or 1)
    except (TypeError, ValueError, OverflowError):
        return {"show": False}
    if year and month and day:
        return {
            "show": True,
            "back": {
                "link": link({f"{field}__year": year, f"{field}__month": month}),
                "title": title(chosen, "YEAR_MONTH_FORMAT"),
            },
            "choices": [{"title": title(chosen, "MONTH_DAY_FORMAT")}],
        }
    if year and month:
        days = range(1, calendar.monthrange(year, month)[1] + 1)
        return {
            "show": True,
            "back": {"link": link({f"{field}__year": year}), "title": str(year)},
            "choices": [
                {
                    "link": link(
                        {f"{field}__year": year, f"{field}__month": month, f"{field}__day": number}
                    ),
                    "title": title(chosen.replace(day=number), "MONTH_DAY_FORMAT"),
                }
                for number in days
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link({}), "title": cl.opts.verbose_name_plural},
            "choices": [
                {
                    "link": link({f"{field}__year": year, f"{field}__month": number}),
                    "title": title(chosen.replace(month=number), "YEAR_MONTH_FORMAT"),
                }
                for number in range(1, 13)
            ],
        }
    ends = cl.model._default_manager.aggregate(first=Min(field), last=Max(field))
    if not ends["first"]:
        return {"show": False}
    years = range(max(ends["first"].year, ends["last"].year - MAX_YEARS + 1), ends["last"].year + 1)
    return {
        "show": True,
        "choices": [
            {"link": link({f"{field}__year": number}), "title": str(number)} for number in years
        ],
    }


def use_sturdy_changelists(site):
    """Every changelist of `site`, ours and those of Django, django-axes…, customised or not,
    gets SturdyChangeList's checks, counts at most `COUNT_CAP` rows, and never counts the
    whole table or each filter's choices ("N total", facets).

    Called once the admin modules are loaded (genopole_crm/urls.py).
    """
    for model_admin in site._registry.values():
        model_admin.get_changelist = _made_sturdy(model_admin.get_changelist)
        model_admin.paginator = CappedCountPaginator
        model_admin.show_full_result_count = False
        model_admin.show_facets = ShowFacets.NEVER


def _made_sturdy(get_changelist):
    """`get_changelist`, returning its class with SturdyChangeList's checks in front: a
    customised changelist (sorted by labels, a third party's) keeps its own behaviour too."""

    def sturdy_changelist(request, **kwargs):
        changelist = get_changelist(request, **kwargs)
        if issubclass(changelist, SturdyChangeList):
            return changelist
        return type(f"Sturdy{changelist.__name__}", (SturdyChangeList, changelist), {})

    return sturdy_changelist
