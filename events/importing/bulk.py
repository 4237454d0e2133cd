"""Writing an import's rows in bulk, and taking them back out.

Per-row `save()` (or django-import-export's row loop) costs tens of times what the database
needs; these functions hand the database whole sets instead. They run inside the caller's
transaction and trust the caller to have validated every value (the import service does:
dates, lengths, choices, foreign keys and uniqueness are all checked before any write).

- Primary keys are allocated first, so link rows can refer to new rows without reading them
  back: from the table's own sequence on PostgreSQL (one query), from the highest id ever
  used on SQLite (safe: the import record's INSERT already holds SQLite's write lock).
- PostgreSQL receives rows with COPY (psycopg 3 `cursor.copy()`); SQLite with one
  `executemany` per table.
- History: simple-history rows ("+" on import, "-" on undo) are written by one
  INSERT … SELECT from the rows themselves, attributed to the importing user, so history costs
  one statement rather than one round trip per row; the links each version keeps (a meeting's
  people, see core/history.py) by one more per many-to-many relation.
"""

from django.db import connection
from django.db.models import IntegerField, Max, TextField, Value
from simple_history.models import HistoricalRecords
from simple_history.utils import get_history_model_for_model, get_m2m_field_name


def _quote(name):
    return connection.ops.quote_name(name)


def allocate_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model`, never used before (not even by deleted rows,
    whose history rows still carry their ids)."""
    if not count:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Name the sequence once: pg_get_serial_sequence() per row costs ten times more.
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, model._meta.pk.column])
            sequence = cursor.fetchone()[0]
            cursor.execute(
                "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count]
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX({_quote(model._meta.pk.column)}) FROM {_quote(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        highest = max(highest, row[0] if row else 0)
        return list(range(highest + 1, highest + 1 + count))


def insert_rows(model, fields: list[str], rows) -> None:
    """Rows of values in `fields` order (field names; foreign keys as ids)."""
    columns = [model._meta.get_field(name).column for name in fields]
    table = model._meta.db_table
    column_list = ", ".join(_quote(column) for column in columns)
    connection.ensure_connection()
    raw = connection.connection
    # The driver's own exceptions become Django's (IntegrityError, …), as with a Django cursor.
    with connection.wrap_database_errors:
        if connection.vendor == "postgresql":
            sql = f"COPY {_quote(table)} ({column_list}) FROM STDIN"
            with raw.cursor() as cursor, cursor.copy(sql) as copy:
                write_row = copy.write_row
                for row in rows:
                    write_row(row)
            return
        # Dates become ISO text through the adapter Django's SQLite backend registers.
        placeholders = ", ".join(["?"] * len(columns))
        raw.executemany(
            f"INSERT INTO {_quote(table)} ({column_list}) VALUES ({placeholders})", rows
        )


def insert_objects(objects) -> None:
    """Unsaved instances of one model, primary keys already set, every concrete field but
    those the database generates (the searched columns' folded copies)."""
    if not objects:
        return
    model = type(objects[0])
    insert_rows(model, concrete_field_names(model), [prepared(obj) for obj in objects])


def update_objects(objects, fields: list[str]) -> None:
    """Save `fields` of these instances of one model: one UPDATE per row, sent together
    (executemany). `QuerySet.bulk_update()` builds a CASE WHEN per field and row, which for
    500 meetings cost more in Python than the database took to run it."""
    if not objects:
        return
    meta = type(objects[0])._meta
    written = [meta.get_field(name) for name in fields]
    assignments = ", ".join(f"{_quote(field.column)} = %s" for field in written)
    rows = [
        [field.get_db_prep_save(getattr(obj, field.attname), connection) for field in written]
        + [obj.pk]
        for obj in objects
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {_quote(meta.db_table)} SET {assignments} WHERE {_quote(meta.pk.column)} = %s",
            rows,
        )


def written_fields(model) -> list:
    """The concrete fields a row is written with: not the generated ones, which the database
    computes (the folded copies of searched names)."""
    return [field for field in model._meta.concrete_fields if not field.generated]


def concrete_field_names(model) -> list[str]:
    return [field.name for field in written_fields(model)]


def prepared(obj) -> list:
    """The values of every written field of `obj`, ready for the database, in the order of
    `concrete_field_names()`. Preparing a value costs more than writing it: rows that
    differ only in a few fields are best prepared once and copied (see writer.py)."""
    return [
        field.get_db_prep_save(getattr(obj, field.attname), connection)
        for field in written_fields(type(obj))
    ]


def record_history(queryset, *, history_type: str, user, when, reason: str, linked=None) -> None:
    """One history row of `history_type` ("+", "~", "-") per row of `queryset`, as it is
    now, attributed to `user` — in one INSERT … SELECT. `linked` names the many-to-many
    relations that may have links to copy (default: all): rows created in this transaction
    have only those the caller wrote, and copying an empty relation still costs a join."""
    history = get_history_model_for_model(queryset.model)
    tracked = [field.attname for field in history.tracked_fields]
    reason_length = history._meta.get_field("history_change_reason").max_length
    select = queryset.order_by().annotate(
        _h_date=Value(when),
        _h_reason=Value(reason[:reason_length], output_field=TextField()),
        _h_type=Value(history_type, output_field=TextField()),
        _h_user=Value(user.pk if user is not None else None, output_field=IntegerField()),
    )
    sql, params = select.values_list(
        *tracked, "_h_date", "_h_reason", "_h_type", "_h_user"
    ).query.sql_with_params()
    columns = [history._meta.get_field(name).column for name in tracked] + [
        history._meta.get_field(name).column
        for name in ("history_date", "history_change_reason", "history_type", "history_user")
    ]
    last = history.objects.aggregate(last=Max("history_id"))["last"] or 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quote(history._meta.db_table)} "
            f"({', '.join(_quote(column) for column in columns)}) {sql}",
            params,
        )
    # The rows just written: after the last id, of this moment and kind (another writer's
    # rows cannot share the microsecond and the kind, and rows are one per record).
    for relation in history._history_m2m_fields:
        if linked is not None and relation.name not in linked:
            continue
        _record_links(
            history,
            relation,
            [last, connection.ops.adapt_datetimefield_value(when), history_type],
        )


def _record_links(history, relation, written):
    """Copy the link rows of `relation` of each history row just written (`written`: after
    this id, at this date, of this type) into the version's own link table, as simple-history
    does row by row. A join: a correlated subquery per link costs minutes on SQLite."""
    through = relation.remote_field.through
    links = HistoricalRecords.m2m_models[relation]
    names = [field.attname for field in through._meta.concrete_fields]

    def column(model, name):
        return _quote(model._meta.get_field(name).column)

    owner = column(through, get_m2m_field_name(relation))
    targets = [column(links, "history"), *(column(links, name) for name in names)]
    selected = [f"h.{column(history, 'history_id')}", *(f"t.{column(through, n)}" for n in names)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_quote(links._meta.db_table)} ({', '.join(targets)}) "
            f"SELECT {', '.join(selected)} FROM {_quote(through._meta.db_table)} t "
            f"JOIN {_quote(history._meta.db_table)} h ON h.{column(history, 'id')} = t.{owner} "
            f"WHERE h.{column(history, 'history_id')} > %s "
            f"AND h.{column(history, 'history_date')} = %s "
            f"AND h.{column(history, 'history_type')} = %s",
            written,
        )


def delete_with_history(queryset, *, user, when, reason: str) -> int:
    """Delete the rows of `queryset` (and their many-to-many links), each with a "-" history
    row, without loading them: QuerySet.delete() would send per-object signals, and
    simple-history would answer each with its own INSERT."""
    model = queryset.model
    record_history(queryset, history_type="-", user=user, when=when, reason=reason)
    pks = queryset.order_by().values("pk")
    for field in model._meta.many_to_many:
        # Link tables have no signal receivers: this is one DELETE statement.
        field.remote_field.through.objects.filter(**{f"{field.m2m_field_name()}__in": pks}).delete()
    sql, params = pks.query.sql_with_params()
    with connection.cursor() as cursor:
        # Selecting the ids into a derived table lets MySQL-style engines and SQLite alike
        # delete from the table they read. Any other table still referencing one of these
        # rows makes this fail rather than leave it dangling.
        cursor.execute(
            f"DELETE FROM {_quote(model._meta.db_table)} WHERE {_quote(model._meta.pk.column)} "
            f"IN (SELECT * FROM ({sql}) AS doomed)",
            params,
        )
        return cursor.rowcount
