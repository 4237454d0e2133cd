"""Writing an import's meetings in bulk, and taking them back out.

Per-row `save()` (or django-import-export's row loop) costs tens of times what the database
needs; these functions hand the database whole sets instead. They run inside the caller's
transaction and trust the caller to have validated every value (the import service does:
dates, lengths, choices, foreign keys and uniqueness are all checked before any write).

- PostgreSQL: meeting ids are drawn from the table's own sequence in one query, and the rows
  are sent with COPY (psycopg 3 `cursor.copy()`).
- SQLite: one `executemany` per table; the write lock taken by the import record's INSERT
  makes reading the next free id safe.
- History: simple-history rows ("+" on import, "-" on undo) are written by one
  INSERT … SELECT from the meetings themselves, attributed to the importing user, so the
  history costs one statement rather than one row trip per meeting.
"""

from django.db import connection

from events.models import Meeting

MEETING_COLUMNS = (
    "id",
    "date",
    "date_precision",
    "event",
    "organisation",
    "topic",
    "notes",
    "follow_up",
    "follow_up_status",
    "import_record",
)


def _column(model, name):
    return model._meta.get_field(name).column


def _quote(name):
    return connection.ops.quote_name(name)


def allocate_meeting_ids(count: int) -> list[int]:
    """`count` fresh primary keys for meetings, never used before (not even by deleted rows,
    whose history rows still carry their ids)."""
    if not count:
        return []
    table = Meeting._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT MAX(id) FROM {_quote(table)}")
        highest = cursor.fetchone()[0] or 0
        if connection.vendor == "sqlite":
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            row = cursor.fetchone()
            highest = max(highest, row[0] if row else 0)
        return list(range(highest + 1, highest + 1 + count))


def insert_meetings(rows: list[tuple]) -> None:
    """Rows in MEETING_COLUMNS order, ids included."""
    if not rows:
        return
    columns = [_column(Meeting, name) for name in MEETING_COLUMNS]
    _insert(Meeting._meta.db_table, columns, rows, date_columns=(1,))


def insert_meeting_people(pairs: list[tuple[int, int]]) -> None:
    """(meeting id, person id) pairs for the people-met link table."""
    if not pairs:
        return
    through = Meeting.people.through
    columns = [_column(through, "meeting"), _column(through, "person")]
    _insert(through._meta.db_table, columns, pairs)


def _insert(table, columns, rows, date_columns=()):
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
        if date_columns:
            # SQLite keeps dates as ISO text; convert here rather than rely on the sqlite3
            # module's deprecated default adapters.
            rows = _iso_dates(rows, date_columns)
        placeholders = ", ".join(["?"] * len(columns))
        raw.executemany(
            f"INSERT INTO {_quote(table)} ({column_list}) VALUES ({placeholders})", rows
        )


def _iso_dates(rows, date_columns):
    (index,) = date_columns
    for row in rows:
        row = list(row)
        row[index] = row[index].isoformat()
        yield row


def _history_statement(history_type):
    """INSERT … SELECT copying the tracked columns of meetings into their history table."""
    history = Meeting.history.model
    tracked = [field.column for field in history.tracked_fields]
    tracked_list = ", ".join(_quote(column) for column in tracked)
    return (
        f"INSERT INTO {_quote(history._meta.db_table)} ({tracked_list}, "
        f"{_quote('history_date')}, {_quote('history_change_reason')}, "
        f"{_quote('history_type')}, {_quote('history_user_id')}) "
        f"SELECT {tracked_list}, %s, %s, '{history_type}', %s "
        f"FROM {_quote(Meeting._meta.db_table)} "
        f"WHERE {_quote(_column(Meeting, 'import_record'))} = %s"
    )


def _history_params(*, when, reason, user, record_id):
    reason = reason[: Meeting.history.model._meta.get_field("history_change_reason").max_length]
    return [
        connection.ops.adapt_datetimefield_value(when),
        reason,
        user.pk if user is not None else None,
        record_id,
    ]


def record_history(*, record_id: int, user, when, reason: str) -> None:
    """One "+" history row per meeting the import created, attributed to `user`."""
    with connection.cursor() as cursor:
        cursor.execute(
            _history_statement("+"),
            _history_params(when=when, reason=reason, user=user, record_id=record_id),
        )


def delete_meetings(*, record_id: int, user, when, reason: str) -> int:
    """Delete every meeting of an import, writing a "-" history row for each first."""
    meetings = Meeting.objects.filter(import_record_id=record_id)
    with connection.cursor() as cursor:
        cursor.execute(
            _history_statement("-"),
            _history_params(when=when, reason=reason, user=user, record_id=record_id),
        )
        # The link tables have no signal receivers, so these are single DELETE statements.
        for field in Meeting._meta.many_to_many:
            field.remote_field.through.objects.filter(
                **{f"{field.m2m_field_name()}__in": meetings.values("pk")}
            ).delete()
        # Not QuerySet.delete(): its per-object signals would add a second history row each.
        # Any other table referencing a meeting would make this fail rather than dangle.
        cursor.execute(
            f"DELETE FROM {_quote(Meeting._meta.db_table)} "
            f"WHERE {_quote(_column(Meeting, 'import_record'))} = %s",
            [record_id],
        )
        return cursor.rowcount
