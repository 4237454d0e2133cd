"""Importing a meeting log: the one code path behind the admin upload and `import_meetings`.

`import_meeting_log()` reads the file, checks every line, resolves names to records, sorts
each line into new / unchanged / skipped / error, and — only if no line has an error and it
is not a dry run — writes everything in one transaction, recorded as an `ImportRecord`.

The outcome of each line (docs/importing-meetings.md explains them for users):

- **new**: no meeting with this organisation, event and day exists; the import creates it.
- **unchanged**: the CRM already has that meeting (same organisation, event and day, or a
  meeting there dated only to the month or year that contains the day). It is left exactly
  as it is, even when the file's topic, notes or follow-up differ: staff edits are never
  overwritten. Lines whose details differ are listed so someone can reconcile them.
- **skipped**: an earlier line of the same file already gives this meeting; listed with the
  line it repeats (and whether its details differ).
- **error**: the line cannot be imported as written. One error anywhere and nothing is
  written; the report lists every bad line (line, column, value, reason).
"""

import datetime
import difflib
import re
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import DatePrecision
from core.search import fold
from events.importing import bulk
from events.importing.files import COLUMNS, FileRejected, LogFile, _TooManyCells, open_log
from events.models import Event, EventAlias, ImportRecord, Meeting
from partners.models import Organisation, OrganisationAlias, Person

PREVIEW_SIZE = 100
TOPIC_LENGTH = Meeting._meta.get_field("topic").max_length
NAME_LENGTH = Person._meta.get_field("last_name").max_length


@dataclass(frozen=True)
class LineError:
    line: int
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Unchanged:
    line: int
    meeting_id: int
    differences: tuple[str, ...]  # what the file says differently: "topic", "notes", …
    precision_note: str = ""  # "recorded in the CRM to the month (June 2022)"


@dataclass(frozen=True)
class Skipped:
    line: int
    repeats_line: int
    differs: bool


@dataclass
class NewContact:
    first_name: str
    last_name: str
    organisation_id: int
    organisation: str
    lines: list[int] = field(default_factory=list)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class PlannedMeeting:
    """What the preview shows of one new meeting; text exactly as the file has it."""

    line: int
    date: datetime.date
    event: str
    organisation: str
    contacts: str
    topic: str
    notes: str
    follow_up: str


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool
    file_description: str = ""
    checksum: str = ""
    size: int = 0
    file_error: str = ""
    errors: list[LineError] = field(default_factory=list)
    unknown_columns: list[str] = field(default_factory=list)
    lines: int = 0
    created: int = 0
    unchanged: list[Unchanged] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    new_contacts: list[NewContact] = field(default_factory=list)
    preview: list[PlannedMeeting] = field(default_factory=list)
    earlier_imports: list[ImportRecord] = field(default_factory=list)
    record: ImportRecord | None = None

    @property
    def has_errors(self):
        return bool(self.file_error or self.errors)

    @property
    def error_lines(self):
        """How many lines have at least one error."""
        return len({error.line for error in self.errors})

    @property
    def unchanged_with_differences(self):
        return [item for item in self.unchanged if item.differences or item.precision_note]

    @property
    def skipped_with_differences(self):
        return [item for item in self.skipped if item.differs]


def import_meeting_log(
    *,
    stream: BinaryIO,
    file_name: str,
    user=None,
    source: str = ImportRecord.Source.COMMAND,
    dry_run: bool = False,
    default_event: Event | None = None,
    progress: Callable[[str, float], None] | None = None,
    expected_checksum: str | None = None,
) -> ImportReport:
    """Validate a meeting log and, unless it has errors or `dry_run` is set, import it.

    `stream` is a seekable binary file. `default_event` is the event of lines that name none
    (a partnering-platform export has no event column). `progress(stage, fraction)` is told
    how far reading has got, then when checking and writing start and end (the command draws
    its progress bar with it). `expected_checksum`, when given,
    refuses any other file (the admin's confirm step imports exactly what it previewed).
    Returns the report; `report.record` is the ImportRecord when something was written.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)

    def stage(name, fraction):
        if progress is not None:
            progress(name, fraction)

    try:
        log = open_log(
            stream, file_name=file_name, progress=lambda fraction: stage(_("reading"), fraction)
        )
    except FileRejected as rejected:
        report.file_error = rejected.message
        return report
    if expected_checksum and expected_checksum != log.checksum:
        report.file_error = _("The file changed since it was previewed; upload it again.")
        return report
    report.file_description = log.description
    report.checksum = log.checksum
    report.size = log.size
    report.unknown_columns = log.unknown_columns
    report.earlier_imports = list(
        ImportRecord.objects.of_file(log.checksum).select_related("user").order_by("created_at")
    )

    plan = _Plan(log, report, default_event)
    plan.read()
    if report.lines == 0 and not report.errors:
        report.file_error = _("The file has a header line but no meetings.")
        return report
    stage(_("checking against the CRM"), 0.0)
    plan.classify()
    plan.resolve_contacts()
    stage(_("checking against the CRM"), 1.0)
    report.errors.sort(key=lambda error: error.line)
    report.created = len(plan.new_rows)
    report.preview = plan.preview()
    if report.has_errors or dry_run:
        return report
    try:
        stage(_("writing"), 0.0)
        report.record = plan.write(user=user, source=source)
        stage(_("writing"), 1.0)
    except IntegrityError:
        report.file_error = _(
            "Some of these meetings were added by someone else while the file was being "
            "imported. Nothing was written; import the file again."
        )
    return report


class _Problem:
    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2})?.*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]\d{1,2}[:h]\d{2}.*)?")


def parse_date(value):
    """A day from "2022-06-14", "14/06/2022", "14.06.2022" (day first), or an XLSX date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = value.strip()
    if not text:
        return _Problem(_("A date is required."))
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DAY_FIRST.fullmatch(text)
        if not match:
            return _Problem(_("Not a date: write it as 2022-06-14 or 14/06/2022."))
        day, month, year = match.groups()
        if len(year) == 2:
            return _Problem(_("Write the year with four digits (14/06/2022)."))
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return _Problem(_("This date does not exist."))


_YES = {"yes", "y", "oui", "o", "true", "vrai", "x", "1"}
_NO = {"", "no", "n", "non", "false", "faux", "0", "-"}


def parse_follow_up(value):
    """(status, text): yes/oui → pending; no/non/empty → none; other text → pending + text."""
    if type(value) is not str:
        value = str(value)
    key = fold(value).strip(" .!")
    if key in _YES:
        return Meeting.FollowUp.PENDING, ""
    if key in _NO:
        return Meeting.FollowUp.NONE, ""
    return Meeting.FollowUp.PENDING, value


class _Names:
    """Folded name → record id for every name, short name and alias, built once per import.

    `messages` are whole sentences per kind of record (translations need them whole):
    "required", "ambiguous" (value), "closest" (names), "unknown".
    """

    def __init__(self, pairs, messages):
        self.messages = messages
        self.ids = defaultdict(set)
        self.display = {}
        for pk, name in pairs:
            if not name:
                continue
            key = fold(name)
            self.ids[key].add(pk)
            self.display.setdefault(key, name)

    def resolve(self, raw, blank=None):
        if type(raw) is not str:
            raw = str(raw)
        key = fold(raw)
        if not key:
            return blank if blank is not None else _Problem(self.messages["required"])
        ids = self.ids.get(key)
        if ids and len(ids) == 1:
            return next(iter(ids))
        if ids:
            return _Problem(self.messages["ambiguous"] % {"value": raw.strip()})
        close = difflib.get_close_matches(key, self.display, n=3, cutoff=0.6)
        if close:
            names = ", ".join(f"“{self.display[name]}”" for name in close)
            return _Problem(self.messages["closest"] % {"names": names})
        return _Problem(self.messages["unknown"])


def _organisation_names():
    pairs = []
    for pk, name, short_name in Organisation.objects.values_list("pk", "name", "short_name"):
        pairs += [(pk, name), (pk, short_name)]
    pairs += OrganisationAlias.objects.values_list("organisation_id", "name")
    return _Names(
        pairs,
        {
            "required": _("The organisation is required."),
            "ambiguous": _(
                "“%(value)s” is the name of several organisations; write the full name."
            ),
            "closest": _(
                "No organisation has this name, short name or alias. Closest known names: "
                "%(names)s."
            ),
            "unknown": _(
                "No organisation has this name, short name or alias, nor a close one. Add it in "
                "the CRM first (or give it this alias), then import again."
            ),
        },
    )


def _event_names():
    pairs = list(Event.objects.values_list("pk", "name"))
    pairs += EventAlias.objects.values_list("event_id", "name")
    return _Names(
        pairs,
        {
            "required": _("The event is required."),
            "ambiguous": _("“%(value)s” is the name of several events; write the full name."),
            "closest": _("No event has this name or alias. Closest known names: %(names)s."),
            "unknown": _(
                "No event has this name or alias, nor a close one. Add it in the CRM first (or "
                "give it this alias), then import again."
            ),
        },
    )


_CONTACT_SEPARATORS = re.compile(r"\s*[;,\n\r]+\s*")


def split_contacts(cell):
    if type(cell) is not str:
        cell = str(cell)
    names, seen = [], set()
    for name in _CONTACT_SEPARATORS.split(cell):
        name = " ".join(name.split())
        if name and fold(name) not in seen:
            seen.add(fold(name))
            names.append(name)
    return names


def split_full_name(name):
    """("Jean-Pierre", "de la Tour") from "Jean-Pierre de la Tour"; ("Jane", "DOE") from the
    partnering-platform style "DOE Jane" (a surname in capitals first)."""
    words = name.split()
    if len(words) < 2:
        return None
    if words[0].isupper() and len(words[0]) > 1 and not words[-1].isupper():
        surname = [w for w in words if w.isupper() and len(w) > 1]
        given = words[len(surname) :]
        if given and words[: len(surname)] == surname:
            return " ".join(given), " ".join(surname)
    return words[0], " ".join(words[1:])


MEETING_FIELDS = [
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
]

# Row tuple layout while planning (kept as plain tuples: 100k of them must stay cheap).
LINE, ORG, EVENT, DATE, TOPIC, NOTES, FOLLOW_UP, STATUS, CONTACTS = range(9)


class _Plan:
    def __init__(self, log: LogFile, report: ImportReport, default_event: Event | None):
        self.log = log
        self.report = report
        self.default_event_id = default_event.pk if default_event else None
        self.rows = []  # accepted lines, first occurrence of each meeting
        self.new_rows = []
        self.contacts_of = {}  # row line -> [person id or NewContact]
        self.organisations = None
        self.events = None

    def read(self):
        log, report = self.log, self.report
        errors = report.errors
        columns = log.columns
        i_date, i_org = columns["date"], columns["organisation"]
        i_event = columns.get("event")
        i_contacts = columns.get("contacts")
        i_topic = columns.get("topic")
        i_notes = columns.get("notes")
        i_follow = columns.get("follow_up")
        label = {column: log.column_label(column) for column in COLUMNS}
        self.organisations = organisations = _organisation_names()
        self.events = events = _event_names()
        default_event = self.default_event_id
        dates, orgs, evs, follows = {}, {}, {}, {}
        seen = {}
        rows = self.rows
        skipped = report.skipped
        Problem = _Problem
        count = 0
        for line, cells in log.lines():
            count += 1
            if type(cells) is _TooManyCells:
                errors.append(
                    LineError(
                        line,
                        "",
                        "; ".join(cells.extra),
                        _(
                            "This line has %(count)s cells but the header only %(width)s "
                            "columns: a cell probably contains an unquoted separator."
                        )
                        % {"count": cells.count, "width": len(log.headers)},
                    )
                )
                continue
            bad = False
            raw = cells[i_date]
            date = dates.get(raw)
            if date is None:
                date = dates[raw] = parse_date(raw)
            if type(date) is Problem:
                errors.append(LineError(line, label["date"], str(raw), date.reason))
                bad = True
            raw = cells[i_org]
            org = orgs.get(raw)
            if org is None:
                org = orgs[raw] = organisations.resolve(raw)
            if type(org) is Problem:
                errors.append(LineError(line, label["organisation"], str(raw), org.reason))
                bad = True
            if i_event is None:
                event = default_event
            else:
                raw = cells[i_event]
                event = evs.get(raw, Problem)
                if event is Problem:
                    event = evs[raw] = events.resolve(raw, blank=default_event or 0) or None
                if type(event) is Problem:
                    errors.append(LineError(line, label["event"], str(raw), event.reason))
                    bad = True
            topic = "" if i_topic is None else cells[i_topic]
            if type(topic) is not str:
                topic = str(topic)
            if len(topic) > TOPIC_LENGTH:
                errors.append(
                    LineError(
                        line,
                        label["topic"],
                        topic,
                        _("The topic is %(length)s characters long; at most %(max)s fit.")
                        % {"length": len(topic), "max": TOPIC_LENGTH},
                    )
                )
                bad = True
            if bad:
                continue
            notes = "" if i_notes is None else cells[i_notes]
            if type(notes) is not str:
                notes = str(notes)
            if i_follow is None:
                status, follow_text = Meeting.FollowUp.NONE, ""
            else:
                raw = cells[i_follow]
                follow = follows.get(raw)
                if follow is None:
                    follow = follows[raw] = parse_follow_up(raw)
                status, follow_text = follow
            contacts = "" if i_contacts is None else cells[i_contacts]
            key = (org, event, date)
            first = seen.get(key)
            if first is not None:
                differs = (topic, notes, follow_text, status, contacts) != first[TOPIC:]
                skipped.append(Skipped(line, first[LINE], differs))
                continue
            row = (line, org, event, date, topic, notes, follow_text, status, contacts)
            seen[key] = row
            rows.append(row)
        report.lines = count

    def classify(self):
        """Sort the accepted lines into new and unchanged, against the meetings in the CRM."""
        if not self.rows:
            return
        first = min(row[DATE] for row in self.rows)
        last = max(row[DATE] for row in self.rows)
        organisations = {row[ORG] for row in self.rows}
        existing = Meeting.objects.filter(
            # A meeting dated only to its year is stored on 1 January of that year.
            date__gte=first.replace(month=1, day=1),
            date__lte=last,
        )
        if len(organisations) <= 500:
            existing = existing.filter(organisation__in=organisations)
        exact, by_month, by_year = {}, {}, {}
        for meeting in existing.values_list(
            "pk",
            "organisation_id",
            "event_id",
            "date",
            "date_precision",
            "topic",
            "notes",
            "follow_up",
            "follow_up_status",
        ):
            pk, org, event, date, precision = meeting[:5]
            if precision == DatePrecision.DAY:
                exact[(org, event, date)] = meeting
            elif precision == DatePrecision.MONTH:
                by_month[(org, event, date.year, date.month)] = meeting
            else:
                by_year[(org, event, date.year)] = meeting
        unchanged = self.report.unchanged
        new_rows = self.new_rows
        for row in self.rows:
            org, event, date = row[ORG], row[EVENT], row[DATE]
            meeting = exact.get((org, event, date))
            note = ""
            if meeting is None and (by_month or by_year):
                meeting = by_month.get((org, event, date.year, date.month))
                if meeting is not None:
                    note = _("recorded in the CRM to the month (%(month)s)") % {
                        "month": date_format(meeting[3], "YEAR_MONTH_FORMAT")
                    }
                else:
                    meeting = by_year.get((org, event, date.year))
                    if meeting is not None:
                        note = _("recorded in the CRM to the year (%(year)s)") % {
                            "year": meeting[3].year
                        }
            if meeting is None:
                new_rows.append(row)
                continue
            differences = []
            if row[TOPIC] != meeting[5]:
                differences.append(str(COLUMNS["topic"]))
            if row[NOTES] != meeting[6]:
                differences.append(str(COLUMNS["notes"]))
            if (row[FOLLOW_UP], row[STATUS]) != (meeting[7], meeting[8]):
                differences.append(str(COLUMNS["follow_up"]))
            unchanged.append(Unchanged(row[LINE], meeting[0], tuple(differences), note))

    def resolve_contacts(self):
        """Match each new meeting's contacts to people at its organisation; plan the rest."""
        rows = [row for row in self.new_rows if row[CONTACTS]]
        if not rows:
            return
        label = self.log.column_label("contacts")
        organisations = {row[ORG] for row in rows}
        # organisation -> folded "first last" and "last first" -> person id (None: ambiguous)
        known = defaultdict(dict)
        by_single_name = defaultdict(lambda: defaultdict(set))
        people = Person.objects.filter(organisation__in=organisations)
        for pk, org, first, last in people.values_list(
            "pk", "organisation_id", "first_name", "last_name"
        ):
            names = known[org]
            for key in {fold(f"{first} {last}"), fold(f"{last} {first}")}:
                names[key] = None if key in names else pk
            for word in (first, last):
                by_single_name[org][fold(word)].add(pk)
        organisation_names = dict(
            Organisation.objects.filter(pk__in=organisations).values_list("pk", "name")
        )
        planned = {}
        cells = {}  # the same cell text comes back on many lines: split and fold it once
        errors = self.report.errors
        contacts_of = self.contacts_of
        for row in rows:
            line, org, cell = row[LINE], row[ORG], row[CONTACTS]
            names = cells.get(cell)
            if names is None:
                names = cells[cell] = [(name, fold(name)) for name in split_contacts(cell)]
            found = []
            org_names = known[org]
            for name, key in names:
                pk = org_names.get(key, 0)
                if pk:
                    found.append(pk)
                    continue
                if pk is None:
                    errors.append(
                        LineError(
                            line,
                            label,
                            name,
                            _("Several people at %(organisation)s have this name.")
                            % {"organisation": organisation_names[org]},
                        )
                    )
                    continue
                contact = planned.get((org, key))
                if contact is not None:
                    contact.lines.append(line)
                    found.append(contact)
                    continue
                problem = None
                parts = split_full_name(name)
                if parts is None:
                    matches = by_single_name[org].get(key, ())
                    if len(matches) == 1:
                        found.append(next(iter(matches)))
                        continue
                    problem = _(
                        "Nobody at %(organisation)s is known by this name alone; give a first "
                        "and a last name so that a new contact can be created."
                    ) % {"organisation": organisation_names[org]}
                elif max(len(part) for part in parts) > NAME_LENGTH:
                    problem = _("A first or last name may have at most %(max)s characters.") % {
                        "max": NAME_LENGTH
                    }
                if problem:
                    errors.append(LineError(line, label, name, problem))
                    continue
                contact = NewContact(*parts, org, organisation_names[org], [line])
                planned[(org, key)] = contact
                found.append(contact)
            contacts_of[line] = found
        self.report.new_contacts = list(planned.values())

    def preview(self):
        """The first PREVIEW_SIZE new meetings, records named by their real names."""
        shown = self.new_rows[:PREVIEW_SIZE]
        org_names = dict(
            Organisation.objects.filter(pk__in={row[ORG] for row in shown}).values_list(
                "pk", "name"
            )
        )
        event_names = dict(
            Event.objects.filter(pk__in={row[EVENT] for row in shown if row[EVENT]}).values_list(
                "pk", "name"
            )
        )
        person_names = {
            person.pk: person.full_name
            for person in Person.objects.filter(
                pk__in={
                    contact
                    for row in shown
                    for contact in self.contacts_of.get(row[LINE], ())
                    if not isinstance(contact, NewContact)
                }
            )
        }
        status_labels = dict(Meeting.FollowUp.choices)
        planned = []
        for row in shown:
            contacts = self.contacts_of.get(row[LINE], [])
            follow_up = status_labels[row[STATUS]]
            if row[FOLLOW_UP]:
                follow_up = f"{follow_up}: {row[FOLLOW_UP]}"
            planned.append(
                PlannedMeeting(
                    line=row[LINE],
                    date=row[DATE],
                    event=event_names.get(row[EVENT], ""),
                    organisation=org_names.get(row[ORG], ""),
                    contacts=", ".join(
                        c.full_name if isinstance(c, NewContact) else person_names[c]
                        for c in contacts
                    ),
                    topic=row[TOPIC],
                    notes=row[NOTES],
                    follow_up=str(follow_up),
                )
            )
        return planned

    @transaction.atomic
    def write(self, *, user, source):
        report = self.report
        record = ImportRecord.objects.create(
            user=user,
            source=source,
            file_name=report.file_name[: ImportRecord._meta.get_field("file_name").max_length],
            checksum=report.checksum,
            file_size=report.size,
            default_event_id=self.default_event_id,
            lines=report.lines,
            created=len(self.new_rows),
            unchanged=len(report.unchanged),
            skipped=len(report.skipped),
            new_contacts=len(report.new_contacts),
        )
        when = timezone.now()
        reason = _("Imported from %(file)s (import #%(number)s)") % {
            "file": report.file_name,
            "number": record.pk,
        }
        person_ids = {}
        if report.new_contacts:
            ids = bulk.allocate_ids(Person, len(report.new_contacts))
            people = []
            for pk, contact in zip(ids, report.new_contacts, strict=True):
                person = Person(
                    pk=pk,
                    first_name=contact.first_name,
                    last_name=contact.last_name,
                    organisation_id=contact.organisation_id,
                )
                person.full_clean(
                    exclude=["organisation"], validate_unique=False, validate_constraints=False
                )
                people.append(person)
                person_ids[id(contact)] = pk
            bulk.insert_objects(people)
            bulk.insert_rows(
                ImportRecord.new_people.through,
                ["importrecord", "person"],
                [(record.pk, pk) for pk in ids],
            )
            bulk.record_history(
                Person.objects.filter(created_by_imports=record),
                history_type="+",
                user=user,
                when=when,
                reason=reason,
            )
        ids = bulk.allocate_ids(Meeting, len(self.new_rows))
        record_id = record.pk
        day = DatePrecision.DAY.value
        bulk.insert_rows(
            Meeting,
            MEETING_FIELDS,
            [
                (
                    pk,
                    row[DATE],
                    day,
                    row[EVENT],
                    row[ORG],
                    row[TOPIC],
                    row[NOTES],
                    row[FOLLOW_UP],
                    row[STATUS],
                    record_id,
                )
                for pk, row in zip(ids, self.new_rows, strict=True)
            ],
        )
        links = []
        contacts_of = self.contacts_of
        for pk, row in zip(ids, self.new_rows, strict=True):
            for contact in contacts_of.get(row[LINE], ()):
                links.append((pk, contact if type(contact) is int else person_ids[id(contact)]))
        bulk.insert_rows(Meeting.people.through, ["meeting", "person"], links)
        bulk.record_history(
            Meeting.objects.filter(import_record=record),
            history_type="+",
            user=user,
            when=when,
            reason=reason,
        )
        return record


@transaction.atomic
def undo_import(*, record: ImportRecord, user) -> tuple[int, int]:
    """Delete every meeting an import created, and the contacts it created that no meeting
    mentions any more. The record stays, marked undone. Returns (meetings, people) deleted."""
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_undone:
        raise ValidationError(_("This import has already been undone."))
    when = timezone.now()
    reason = _("Undo of import #%(number)s (%(file)s)") % {
        "number": record.pk,
        "file": record.file_name,
    }
    meetings = bulk.delete_with_history(
        Meeting.objects.filter(import_record=record), user=user, when=when, reason=reason
    )
    people = 0
    # Few, and referenced from several link tables: the ORM's delete handles those links.
    for person in record.new_people.filter(meetings__isnull=True):
        person._history_user = user
        person._change_reason = reason
        person.delete()
        people += 1
    record.undone_at = when
    record.undone_by = user
    record.save(update_fields=["undone_at", "undone_by"])
    return meetings, people
