"""Planning an import: every line checked, resolved and sorted, before anything is written.

`Plan.read()` checks each line and resolves its names; `classify()` sorts the accepted lines
into new and unchanged against the meetings in the CRM; `resolve_contacts()` matches the new
meetings' contacts to people and plans the contacts to create. The report is filled as it
goes; `writer.write_plan()` then writes `new_rows` in bulk.
"""

import datetime
import json
from typing import NamedTuple

from django.db import connection
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import DatePrecision
from events.follow_ups.models import FollowUp
from events.importing import names
from events.importing.columns import COLUMNS
from events.importing.files import LogFile, TooManyCells
from events.importing.report import (
    Completed,
    ImportReport,
    LineError,
    NewContact,
    NotHeld,
    PlannedMeeting,
    Skipped,
    Unchanged,
)
from events.importing.values import (
    HELD,
    Problem,
    parse_date,
    parse_follow_up,
    parse_status,
    split_contacts,
    status_label,
)
from events.models import Event, Meeting
from partners.models import Organisation, Person

PREVIEW_SIZE = 100


class Row(NamedTuple):
    """One accepted line: the first line of the file that gives this meeting."""

    line: int
    organisation: int
    event: int | None
    date: datetime.date
    topic: str
    notes: str
    follow_up: str
    follow_up_status: str
    contacts: str  # the cell as written; resolve_contacts() splits it
    follow_up_due: datetime.date | None = None  # the follow-up task's due date

    @property
    def details(self):
        """What a repeated line is compared on."""
        return (
            self.topic,
            self.notes,
            self.follow_up,
            self.follow_up_status,
            self.contacts,
            self.follow_up_due,
        )


class Existing(NamedTuple):
    """A meeting already in the CRM that a line may be."""

    pk: int
    organisation_id: int
    event_id: int | None
    date: datetime.date
    date_precision: str
    topic: str
    notes: str
    follow_up: str  # what its first open task (else its first task) says; "" without one


class _LineChecker:
    """Checks one line's cells. Each distinct cell text is parsed or resolved once: a log
    repeats the same dates, organisations and events on many lines."""

    def __init__(self, log: LogFile, default_event_id: int | None):
        columns = log.columns
        self.i_date, self.i_org = columns["date"], columns["organisation"]
        self.i_event = columns.get("event")
        self.i_contacts = columns.get("contacts")
        self.i_topic = columns.get("topic")
        self.i_notes = columns.get("notes")
        self.i_follow = columns.get("follow_up")
        self.i_status = columns.get("status")
        self.i_due = columns.get("follow_up_due")
        self.label = {column: log.column_label(column) for column in COLUMNS}
        self.organisations = names.organisation_names()
        self.events = names.event_names()
        self.default_event = default_event_id
        self.date_order = log.date_order
        self.dates, self.orgs, self.evs, self.follows, self.statuses = {}, {}, {}, {}, {}

    def look_up_names(self, lines):
        """Resolve the file's distinct organisation and event names, in a few queries."""
        self.organisations.look_up({cells[self.i_org] for _line, cells in lines})
        if self.i_event is not None:
            self.events.look_up({cells[self.i_event] for _line, cells in lines})

    def held(self, line, cells, errors):
        """HELD, another status of values.MEETING_STATUSES, or None after listing an error."""
        if self.i_status is None:
            return HELD
        raw = cells[self.i_status]
        status = self.statuses.get(raw)
        if status is None:
            status = self.statuses[raw] = parse_status(raw)
        if type(status) is Problem:
            errors.append(LineError(line, self.label["status"], str(raw), status.reason))
            return None
        return status

    def key_cells(self, line, cells, errors):
        """(organisation, event, date) of the line, or None after listing its errors."""
        bad = False
        raw = cells[self.i_date]
        date = self.dates.get(raw)
        if date is None:
            date = self.dates[raw] = parse_date(raw, self.date_order)
        if type(date) is Problem:
            errors.append(LineError(line, self.label["date"], str(raw), date.reason))
            bad = True
        raw = cells[self.i_org]
        org = self.orgs.get(raw)
        if org is None:
            org = self.orgs[raw] = self.organisations.resolve(raw)
        if type(org) is Problem:
            errors.append(LineError(line, self.label["organisation"], str(raw), org.reason))
            bad = True
        event = self.default_event
        if self.i_event is not None:
            raw = cells[self.i_event]
            event = self.evs.get(raw, Problem)
            if event is Problem:
                blank = self.default_event or 0
                event = self.evs[raw] = self.events.resolve(raw, blank=blank) or None
            if type(event) is Problem:
                errors.append(LineError(line, self.label["event"], str(raw), event.reason))
                bad = True
        return None if bad else (org, event, date)

    def text(self, cells, index):
        if index is None:
            return ""
        value = cells[index]
        return value if type(value) is str else str(value)

    def topic(self, line, cells, errors):
        """The topic, or None after listing it as too long."""
        topic = self.text(cells, self.i_topic)
        if len(topic) <= names.TOPIC_LENGTH:
            return topic
        reason = _("The topic is %(length)s characters long; at most %(max)s fit.") % {
            "length": len(topic),
            "max": names.TOPIC_LENGTH,
        }
        errors.append(LineError(line, self.label["topic"], topic, reason))
        return None

    def due(self, line, cells, errors):
        """(due date or None, readable): the follow-up due date, in the file's date order."""
        raw = cells[self.i_due] if self.i_due is not None else ""
        if isinstance(raw, str) and not raw.strip():
            return None, True
        due = parse_date(raw, self.date_order)
        if type(due) is Problem:
            errors.append(LineError(line, self.label["follow_up_due"], str(raw), due.reason))
            return None, False
        return due, True

    def follow_up(self, cells):
        """(status, text) of the follow-up cell."""
        if self.i_follow is None:
            return Meeting.FollowUp.NONE, ""
        raw = cells[self.i_follow]
        follow = self.follows.get(raw)
        if follow is None:
            follow = self.follows[raw] = parse_follow_up(raw)
        return follow


def _too_many_cells(line, cells, width):
    reason = _(
        "This line has %(count)s cells but the header only %(width)s "
        "columns: a cell probably contains an unquoted separator."
    ) % {"count": cells.count, "width": width}
    return LineError(line, "", "; ".join(cells.extra), reason)


class Plan:
    def __init__(self, log: LogFile, report: ImportReport, default_event: Event | None):
        self.log = log
        self.report = report
        self.default_event_id = default_event.pk if default_event else None
        self.rows: list[Row] = []  # accepted lines, first occurrence of each meeting
        self.new_rows: list[Row] = []
        self.contacts_of = {}  # row line -> [person id or NewContact]
        self.completions: list[tuple[Row, Existing, Completed]] = []
        self.added_contacts = {}  # completing line -> [person id or NewContact] not linked yet

    def read(self):
        """Check every line; keep the first line of each meeting, list repeats and errors."""
        report, errors = self.report, self.report.errors
        lines = self.log.lines()
        check = _LineChecker(self.log, self.default_event_id)
        check.look_up_names(lines)
        width = len(self.log.headers)
        seen = {}
        count = 0
        for line, cells in lines:
            count += 1
            if type(cells) is TooManyCells:
                errors.append(_too_many_cells(line, cells, width))
                continue
            held = check.held(line, cells, errors)
            if held is not HELD and held is not None:
                # Not a meeting: its other cells do not matter, it creates no contacts.
                report.not_held.append(NotHeld(line, status_label(held)))
                continue
            key = check.key_cells(line, cells, errors)
            topic = check.topic(line, cells, errors)
            due, due_readable = check.due(line, cells, errors)
            if key is None or topic is None or held is None or not due_readable:
                continue
            status, follow_up = check.follow_up(cells)
            if due is not None:
                status = Meeting.FollowUp.PENDING  # a due date says something is to be done
            org, event, date = key
            row = Row(
                line,
                org,
                event,
                date,
                topic,
                check.text(cells, check.i_notes),
                follow_up,
                status,
                check.text(cells, check.i_contacts),
                due,
            )
            first = seen.get(key)
            if first is not None:
                report.skipped.append(Skipped(line, first.line, row.details != first.details))
                continue
            seen[key] = row
            self.rows.append(row)
        report.lines = count

    def _existing(self):
        """The CRM's meetings a line may be: (exact, by month, by year) lookups.

        Looked up by key: a meeting dated to the month or year is stored on its first day.
        Only lines the CRM has no meeting on that very day can match one of those."""
        exact = {}
        rows = self.rows
        if connection.vendor == "sqlite":
            # SQLite decodes and probes each key in turn: the keys of organisations it has no
            # meeting with (a convention's log names many met for the first time) are dropped
            # first. PostgreSQL joins all the keys in one pass, whatever their number.
            met = _organisations_with_meetings({row.organisation for row in rows})
            rows = [row for row in rows if row.organisation in met]
        days = {(row.organisation, row.event, row.date) for row in rows}
        for meeting in _meetings_at(days, precise=True):
            exact[(meeting.organisation_id, meeting.event_id, meeting.date)] = meeting
        firsts_of = {}  # a log repeats its days: each one's first of month and year, once
        firsts, years = set(), set()
        for org, event, date in days - exact.keys():
            found = firsts_of.get(date)
            if found is None:
                found = firsts_of[date] = (date.replace(day=1), date.replace(month=1, day=1))
            firsts.add((org, event, found[0]))
            firsts.add((org, event, found[1]))
            years.add((org, event, found[1]))
        by_month, by_year = {}, {}
        # Asked by year (half the keys of asking by month and year), kept if on one of the
        # firsts of month or year the lines need.
        for meeting in _meetings_at(years, precise=False):
            org, event, date = meeting.organisation_id, meeting.event_id, meeting.date
            if (org, event, date) not in firsts:
                continue
            if meeting.date_precision == DatePrecision.MONTH:
                by_month[(org, event, date.year, date.month)] = meeting
            else:
                by_year[(org, event, date.year)] = meeting
        return exact, by_month, by_year

    def classify(self):
        """Sort the accepted lines into new, completed and unchanged, against the CRM."""
        if not self.rows:
            return
        exact, by_month, by_year = self._existing()
        # Translated once: again for each of 10,000 lines the CRM has, it cost more than
        # the comparing.
        labels = {column: str(COLUMNS[column]) for column in ("topic", "notes", "follow_up")}
        completed_ids = set()
        for row in self.rows:
            meeting = exact.get((row.organisation, row.event, row.date))
            if meeting is not None:
                differences = _differences(row, meeting, labels)
                self.report.unchanged.append(Unchanged(row.line, meeting.pk, differences, ""))
                continue
            meeting, note = _imprecise_match(row, by_month, by_year)
            if meeting is None:
                self.new_rows.append(row)
            elif meeting.pk in completed_ids or row.date == meeting.date:
                # An earlier line completes it to its own day; this other day of the same
                # month or year is left for someone to reconcile. A line on the very day the
                # CRM stores the month or year (the 1st, 1 January) is how the CRM's own
                # export writes that meeting: nothing to complete.
                differences = _differences(row, meeting, labels)
                self.report.unchanged.append(
                    Unchanged(row.line, meeting.pk, differences, note, meeting.date_precision)
                )
            else:
                completed_ids.add(meeting.pk)
                completion = _completion(row, meeting, note)
                self.completions.append((row, meeting, completion))
                self.report.completed.append(completion)
        if self.completions:
            _say_tasks_already_there(self.completions)

    def resolve_contacts(self):
        """Match each new meeting's contacts to people at its organisation; plan the rest."""
        rows = [row for row in self.new_rows if row.contacts]
        rows += [row for row, _meeting, _completion in self.completions if row.contacts]
        if not rows:
            return
        label = self.log.column_label("contacts")
        people = names.People({row.organisation for row in rows})
        planned = {}  # (organisation, folded name) -> NewContact
        cells = {}  # the same cell text comes back on many lines: split and fold it once
        # (organisation, cell) -> the people it names, when all are in the CRM: nothing more
        # to note for another line saying the same (new contacts list their lines, errors
        # theirs). Shared, as the lines' contacts are only read from here on.
        known = {}
        errors = self.report.errors
        for row in rows:
            line, org = row.line, row.organisation
            found = known.get((org, row.contacts))
            if found is not None:
                self.contacts_of[line] = found
                continue
            split = cells.get(row.contacts)
            if split is None:
                split = cells[row.contacts] = split_contacts(row.contacts)
            found = []
            all_known = True
            for name, key in split:
                contact = planned.get((org, key))
                if contact is None:
                    contact = people.match(org, name, key)
                    if type(contact) is Problem:
                        errors.append(LineError(line, label, name, contact.reason))
                        all_known = False
                        continue
                    if type(contact) is tuple:
                        contact = planned[(org, key)] = NewContact(
                            *contact, org, people.organisation_names[org], []
                        )
                if type(contact) is NewContact:
                    contact.rows.append(line)
                    all_known = False
                found.append(contact)
            self.contacts_of[line] = found
            if all_known:
                known[(org, row.contacts)] = found
        self.report.new_contacts = list(planned.values())
        self._contacts_to_add()

    def _contacts_to_add(self):
        """For each completed meeting, the line's contacts it does not have yet."""
        ids = [meeting.pk for _row, meeting, _completion in self.completions]
        linked = set()
        for batch in names.batches(ids):
            linked.update(
                Meeting.people.through.objects.filter(meeting__in=batch).values_list(
                    "meeting_id", "person_id"
                )
            )
        for row, meeting, completion in self.completions:
            added = [
                contact
                for contact in self.contacts_of.get(row.line, ())
                if type(contact) is not int or (meeting.pk, contact) not in linked
            ]
            self.added_contacts[row.line] = added
            if added:
                completion.fields.append("contacts")

    def preview(self):
        """The first PREVIEW_SIZE new meetings, records named by their real names."""
        shown = self.new_rows[:PREVIEW_SIZE]
        contacts_of = {row.line: self.contacts_of.get(row.line, []) for row in shown}
        org_names = _names_of(Organisation, {row.organisation for row in shown})
        event_names = _names_of(Event, {row.event for row in shown if row.event})
        known = {c for contacts in contacts_of.values() for c in contacts if type(c) is int}
        person_names = {
            person.pk: person.full_name for person in Person.objects.filter(pk__in=known)
        }
        status_labels = dict(Meeting.FollowUp.choices)
        planned = []
        for row in shown:
            follow_up = str(status_labels[row.follow_up_status])
            if row.follow_up:
                follow_up = f"{follow_up}: {row.follow_up}"
            contacts = ", ".join(
                person_names[c] if type(c) is int else c.full_name for c in contacts_of[row.line]
            )
            planned.append(
                PlannedMeeting(
                    row=row.line,
                    date=row.date,
                    event=event_names.get(row.event, ""),
                    organisation=org_names.get(row.organisation, ""),
                    contacts=contacts,
                    topic=row.topic,
                    notes=row.notes,
                    follow_up=follow_up,
                )
            )
        return planned


def _differences(row: Row, meeting: Existing, labels):
    """The columns in which the file says something else than the CRM's meeting; `labels`
    their names."""
    differences = []
    if row.topic != meeting.topic:
        differences.append(labels["topic"])
    if row.notes != meeting.notes:
        differences.append(labels["notes"])
    if _task_text(row) != meeting.follow_up:
        differences.append(labels["follow_up"])
    return tuple(differences)


def _imprecise_match(row: Row, by_month, by_year):
    """(meeting, note): the CRM's meeting dated only to the line's month, or else year."""
    if not (by_month or by_year):
        return None, ""
    org, event, date = row.organisation, row.event, row.date
    meeting = by_month.get((org, event, date.year, date.month))
    if meeting is not None:
        month = date_format(meeting.date, "YEAR_MONTH_FORMAT")
        return meeting, _("recorded in the CRM to the month (%(month)s)") % {"month": month}
    meeting = by_year.get((org, event, date.year))
    if meeting is not None:
        return meeting, _("recorded in the CRM to the year (%(year)s)") % {
            "year": meeting.date.year
        }
    return None, ""


def _completion(row: Row, meeting: Existing, note: str) -> Completed:
    """What a line adds to an imprecise meeting (empty fields only) and where they differ."""
    fields, conflicts = ["date"], []
    pairs = [
        ("topic", row.topic, meeting.topic),
        ("notes", row.notes, meeting.notes),
        ("follow_up", _task_text(row), meeting.follow_up),
    ]
    for column, ours, theirs in pairs:
        if ours and not theirs:
            fields.append(column)
        elif ours and ours != theirs:
            conflicts.append(str(COLUMNS[column]))
    return Completed(row.line, meeting.pk, fields, tuple(conflicts), note)


def _say_tasks_already_there(completions):
    """`_completion()` compares a line's follow-up with the meeting's first task: one of its
    other tasks saying the same is no conflict either."""
    column = str(COLUMNS["follow_up"])
    disputed = [(row, meeting, c) for row, meeting, c in completions if column in c.conflicts]
    if not disputed:
        return
    tasks = {
        (meeting, what.strip())
        for meeting, what in FollowUp.objects.filter(
            meeting__in=[meeting.pk for _row, meeting, _completion in disputed]
        ).values_list("meeting", "what")
    }
    for row, meeting, completion in disputed:
        if (meeting.pk, _task_text(row)) in tasks:
            completion.conflicts = tuple(c for c in completion.conflicts if c != column)


def _task_text(row):
    """What the line's follow-up task says (as the writer makes it), "" without one."""
    if row.follow_up_status != Meeting.FollowUp.PENDING:
        return ""
    return FollowUp.what_of(row.follow_up, row.topic)


def _organisations_with_meetings(ids):
    """Those of these organisations the CRM has a meeting with (SQLite): one statement,
    probing the meetings' organisation index once per organisation."""
    table = connection.ops.quote_name(Meeting._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k.value FROM json_each(%s) AS k WHERE EXISTS "
            f"(SELECT 1 FROM {table} m WHERE m.organisation_id = k.value)",
            [json.dumps(list(ids))],
        )
        return {row[0] for row in cursor.fetchall()}


def _meetings_at(keys, *, precise):
    """The meetings dated to the day (`precise`) with these (organisation, event or None,
    date) keys, or (not `precise`) dated only to the month or year within the year starting
    on each key's date (1 January), as `Existing`. The keys go as text (one parameter per
    column), joined to the table in the database (PostgreSQL: each day's key probes the
    unique index), per 200,000 keys, whatever the size of the CRM."""
    table = connection.ops.quote_name(Meeting._meta.db_table)
    columns = ", ".join(f"m.{connection.ops.quote_name(name)}" for name in _EXISTING_COLUMNS)
    at_events = [key for key in keys if key[1] is not None]
    elsewhere = [key for key in keys if key[1] is None]
    if connection.vendor == "postgresql":
        keys_table = (
            "unnest(string_to_array(%s, ',')::bigint[], string_to_array(%s, ',', '')::bigint[], "
            "string_to_array(%s, ',')::date[]) AS k(o, e, d)"
        )
        o, e, d = "k.o", "k.e", "k.d"
        next_year = "(k.d + interval '1 year')::date"
    else:
        keys_table = "json_each(%s) AS k"
        o, e, d = (f"json_extract(k.value, '$[{i}]')" for i in range(3))
        next_year = f"date({d}, '+1 year')"
    precision = "=" if precise else "<>"
    dates = f"m.date = {d}" if precise else f"m.date >= {d} AND m.date < {next_year}"
    queries = [
        (at_events, f"m.event_id = {e} AND m.event_id IS NOT NULL"),
        (elsewhere, "m.event_id IS NULL"),
    ]
    with connection.cursor() as cursor:
        for keys_of_kind, event_condition in queries:
            conditions = (
                f"m.organisation_id = {o} AND {dates} AND {event_condition} "
                f"AND m.date_precision {precision} %s"
            )
            if precise and connection.vendor == "postgresql":
                # A key has one meeting at most (the unique constraints): probed by the
                # unique index, key by key. Joined, PostgreSQL hashes every meeting at an
                # event (845,000 in the 100x CRM) for 90,000 keys, twice as long.
                sql = (
                    f"SELECT {columns} FROM {keys_table} CROSS JOIN LATERAL "
                    f"(SELECT {columns} FROM {table} m WHERE {conditions} LIMIT 1) AS m"
                )
            else:
                # CROSS JOIN: SQLite then reads the keys first, the table by its index.
                sql = f"SELECT {columns} FROM {keys_table} CROSS JOIN {table} m WHERE {conditions}"
            for batch in names.batches(keys_of_kind, 200_000):
                cursor.execute(sql, [*_key_parameters(batch), DatePrecision.DAY.value])
                found = cursor.fetchall()
                follow_ups = _follow_ups_of([row[0] for row in found])
                for row in found:
                    yield Existing(*row, follow_up=follow_ups.get(row[0], ""))


def _follow_ups_of(ids):
    """{meeting id: what its follow-up says} for those of these meetings with tasks, by the
    rule every page and export applies (`MeetingQuerySet.follow_up_states()`)."""
    follow_ups = {}
    for batch in names.batches(ids):
        states = Meeting.objects.follow_up_states(batch)
        follow_ups.update((pk, what) for pk, (_state, what) in states.items())
    return follow_ups


def _key_parameters(keys):
    """The keys as text: one comma-separated list per column (PostgreSQL), JSON (SQLite).
    Passing them as arrays cost more in the driver than the query did in the database.
    Days repeat from key to key: each is written as text once."""
    iso = {}
    for _org, _event, date in keys:
        if date not in iso:
            iso[date] = date.isoformat()
    if connection.vendor == "postgresql":
        organisations, events, dates = zip(*keys, strict=True)
        return [
            ",".join(map(str, organisations)),
            ",".join("" if event is None else str(event) for event in events),
            ",".join(map(iso.__getitem__, dates)),
        ]
    return [json.dumps([(org, event, iso[date]) for org, event, date in keys])]


def _existing_column(name):
    if name == "pk":
        return Meeting._meta.pk.column
    return Meeting._meta.get_field(name).column


# What the database gives of a meeting; its follow-up comes from its tasks.
_EXISTING_COLUMNS = [_existing_column(name) for name in Existing._fields if name != "follow_up"]


def _names_of(model, pks):
    return dict(model.objects.filter(pk__in=pks).values_list("pk", "name"))
