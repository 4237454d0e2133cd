"""Pages computed once per version of the data they show, so an edit shows at the next load.

The dashboard and the annual report aggregate a million rows; their figures change only
when a record they count does. Every domain write leaves a django-simple-history row (the
admin, the forms and the API through the models; the import, its undo and merges write
theirs themselves), and every new record a new primary key, so the largest history id and
the largest id of each table a page reads, together, are a version of its data: read in one
query, each the last entry of a primary-key index. The cache key is that version plus what
else the page depends on (the year asked, the reader's permissions, the language…), so a
stale entry is never read again: nothing has to be invalidated, and a cache per process (the
default) is as correct as a shared one, only computed once per process.

Ids are taken when rows are written but seen when their transaction commits, not always in
that order: while a write is under way (on PostgreSQL, a history sequence ahead of the
table's largest visible id) a version may not yet count it, so the result is kept only
briefly (`UNSETTLED_TIMEOUT`).
"""

import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.utils.translation import get_language

TIMEOUT = 24 * 60 * 60  # a version's entry is useless once the data moves on; let it expire
UNSETTLED_TIMEOUT = 10  # seconds: a write in flight may not be counted by this version


class DataVersion(NamedTuple):
    value: tuple  # the largest ids, table by table
    settled: bool  # False while ids are taken that no committed row shows yet


def _tables(models):
    """(table, primary-key column, is a history table) of each model and of its history."""
    for model in models:
        yield model._meta.db_table, model._meta.pk.column, False
        # Set by django-simple-history on the models it audits.
        manager = getattr(model._meta, "simple_history_manager_attribute", None)
        if manager:
            history = getattr(model, manager).model
            yield history._meta.db_table, history._meta.pk.column, True


def data_version(models) -> DataVersion:
    """The version of the rows of `models` and of their history, in one query."""
    quote = connection.ops.quote_name
    tables = list(_tables(models))
    columns = [f"(SELECT MAX({quote(column)}) FROM {quote(table)})" for table, column, _h in tables]
    # PostgreSQL hands out ids before commit: a sequence ahead of the largest visible id is
    # a write in flight (or one rolled back, until the next write).
    sequences = []
    if connection.vendor == "postgresql":
        sequences = [
            f"pg_sequence_last_value(pg_get_serial_sequence('{quote(table)}', '{column}'))"
            for table, column, is_history in tables
            if is_history
        ]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns + sequences)}")
        row = cursor.fetchone()
    value = tuple(row[: len(columns)])
    visible = [v for v, (_t, _c, is_history) in zip(value, tables, strict=True) if is_history]
    taken = row[len(columns) :] or [None] * len(visible)  # no sequences to read on SQLite
    settled = all(
        last is None or (seen or 0) >= last for seen, last in zip(visible, taken, strict=True)
    )
    return DataVersion(value, settled)


def cached_per_version(name, *, models, vary, compute):
    """`compute()`, or what it returned for the same version of `models`' data and the same
    `vary` (a tuple of what else the result depends on) in the active language.

    The version is read before computing: rows committed meanwhile can only make the stored
    result newer than its key says, never older.
    """
    version = data_version(models)
    parts = repr((version.value, tuple(vary), get_language()))
    key = f"{name}:{hashlib.sha256(parts.encode()).hexdigest()}"
    result = cache.get(key)
    if result is None:
        result = compute()
        cache.set(key, result, TIMEOUT if version.settled else UNSETTLED_TIMEOUT)
    return result
