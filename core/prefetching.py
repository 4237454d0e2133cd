"""Adapter over a private hook of Django (5.2): a sliced `Prefetch` for one record.

`Prefetch("meetings", Meeting.objects.order_by("-date")[:20])` reads the latest 20 rows of
each record with `ROW_NUMBER() OVER (PARTITION BY …)`: right for a list of records, but
for the one record of a detail page it numbers every related row before keeping 20 (the
7,100 meetings of the largest event, joined to their organisations: 0.1–0.2 s at 100
times today's data). For one record of a reverse foreign key, the rows are read with the
slice itself (`ORDER BY … LIMIT 20`, from an index). Same rows, same number of queries.

`django.db.models.fields.related_descriptors._filter_prefetch_queryset` is private:
tests/core/test_prefetching.py fails if an upgrade renames it or changes how it is called.
"""

from django.db.models import ForeignKey, Q
from django.db.models.fields import related_descriptors

_stock = related_descriptors._filter_prefetch_queryset


def _filter_prefetch_queryset(queryset, field_name, instances):
    if queryset.query.is_sliced and len(instances) == 1 and _is_foreign_key(queryset, field_name):
        # What the stock function does, less the window: the slice stays a LIMIT. (Many-to-
        # many relations are left alone: Django then adds `extra()`, refused once sliced.)
        queryset.query.add_q(Q(**{f"{field_name}__in": instances}), reuse_all=True)
        return queryset
    return _stock(queryset, field_name, instances)


def _is_foreign_key(queryset, field_name):
    try:
        return isinstance(queryset.model._meta.get_field(field_name), ForeignKey)
    except LookupError:
        return False


def install():
    related_descriptors._filter_prefetch_queryset = _filter_prefetch_queryset
