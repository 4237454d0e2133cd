"""Writing a checked plan to the database, and undoing an import.

One transaction: the import record, the new contacts, the new meetings, their people links
and the history rows, each set in one bulk statement (see bulk.py). The plan has already
checked every value; the database's unique constraint on a meeting's organisation, event and
day still stops a meeting someone else added meanwhile (IntegrityError, caller's to report).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.models import DatePrecision
from events.follow_ups.models import FollowUp
from events.importing import bulk
from events.importing.planner import Plan
from events.models import ImportRecord, Meeting
from partners.models import Person

# The meeting columns the writer fills, in the order of `_meeting_rows()`'s tuples.
MEETING_FIELDS = [
    "id",
    "date",
    "date_precision",
    "event",
    "organisation",
    "topic",
    "notes",
    "import_record",
]


# What completing a meeting may change, and so what undoing it restores from history.
COMPLETED_FIELDS = ("date", "date_precision", "topic", "notes")


@transaction.atomic
def write_plan(plan: Plan, *, user, source) -> ImportRecord:
    report = plan.report
    record = ImportRecord.objects.create(
        user=user,
        source=source,
        file_name=report.file_name[: ImportRecord._meta.get_field("file_name").max_length],
        checksum=report.checksum,
        file_size=report.size,
        default_event_id=plan.default_event_id,
        lines=report.lines,
        created=len(plan.new_rows),
        completed=len(report.completed),
        unchanged=len(report.unchanged),
        skipped=report.skipped_count,
        new_contacts=len(report.new_contacts),
    )
    history = {
        "user": user,
        "when": timezone.now(),
        "reason": _("Imported from %(file)s (import #%(number)s)")
        % {"file": report.file_name, "number": record.pk},
    }
    person_ids = _create_contacts(plan, record, history)
    meeting_ids = bulk.allocate_ids(Meeting, len(plan.new_rows))
    bulk.insert_rows(Meeting, MEETING_FIELDS, _meeting_rows(plan, meeting_ids, record.pk))
    links = []
    for pk, row in zip(meeting_ids, plan.new_rows, strict=True):
        for contact in plan.contacts_of.get(row.line, ()):
            links.append((pk, contact if type(contact) is int else person_ids[id(contact)]))
    bulk.insert_rows(Meeting.people.through, ["meeting", "person"], links)
    bulk.record_history(
        Meeting.objects.filter(import_record=record),
        history_type="+",
        linked=["people"],  # new meetings: no one else can have linked them yet
        **history,
    )
    pending = Meeting.FollowUp.PENDING.value  # a plain str: comparing to the enum is slower
    _create_follow_ups(
        [
            (pk, row)
            for pk, row in zip(meeting_ids, plan.new_rows, strict=True)
            if row.follow_up_status == pending
        ],
        history,
        written=Q(meeting__import_record=record),
    )
    if plan.completions:
        _complete_meetings(plan, record, person_ids, history)
    return record


def _create_follow_ups(pairs, history, written=None):
    """An open follow-up task for each (meeting id, row), owned by the importing user and
    due when the file says; `written` selects them for their history rows (a filter on the
    meetings scales better than 100k ids). Their ids."""
    if not pairs:
        return []
    ids = bulk.allocate_ids(FollowUp, len(pairs))
    written = Q(pk__in=ids) if written is None else written
    fields = bulk.concrete_field_names(FollowUp)
    at_pk, at_meeting, at_due = (fields.index(name) for name in ("id", "meeting", "due_date"))
    # Tasks differ by their meeting and due date; their text comes from the line's follow-up
    # and topic, which a log repeats: each distinct task is built and prepared once (building
    # a model instance per line cost as much as the rest of the writing).
    prepared = {}
    rows = []
    for pk, (meeting_id, row) in zip(ids, pairs, strict=True):
        values = prepared.get((row.follow_up, row.topic))
        if values is None:
            task = FollowUp.from_meeting_log(
                text=row.follow_up,
                topic=row.topic,
                pending=True,
                owner=history["user"],
                created_at=history["when"],
            )
            values = prepared[(row.follow_up, row.topic)] = bulk.prepared(task)
        values = values.copy()
        values[at_pk], values[at_meeting], values[at_due] = pk, meeting_id, row.follow_up_due
        rows.append(values)
    bulk.insert_rows(FollowUp, fields, rows)
    bulk.record_history(FollowUp.objects.filter(written), history_type="+", **history)
    return ids


def _complete_meetings(plan, record, person_ids, history):
    """Fill what each completing line adds; note it on the record for undo."""
    meetings, links, completions, tasks = [], [], [], []
    for row, existing, completion in plan.completions:
        filled = set(completion.fields)
        meeting = Meeting(
            pk=existing.pk,
            date=row.date,
            date_precision=DatePrecision.DAY,
            topic=row.topic if "topic" in filled else existing.topic,
            notes=row.notes if "notes" in filled else existing.notes,
        )
        meetings.append(meeting)
        people = [
            contact if type(contact) is int else person_ids[id(contact)]
            for contact in plan.added_contacts.get(row.line, ())
        ]
        links += [(existing.pk, person) for person in people]
        if "follow_up" in filled:
            tasks.append((existing.pk, row))
        completions.append(
            {
                "row": row.line,
                "file_line": plan.log.file_lines.line_of(row.line),
                "meeting": existing.pk,
                "fields": completion.fields,
                "people": people,
            }
        )
    # Their state before the import, in history as of the record's creation: what undo puts
    # back (meetings loaded from fixtures have no history row of their own).
    ids = [meeting.pk for meeting in meetings]
    bulk.record_history(
        Meeting.objects.filter(pk__in=ids),
        history_type="~",
        user=history["user"],
        when=record.created_at,
        reason=_("Before import #%(number)s") % {"number": record.pk},
    )
    bulk.update_objects(meetings, list(COMPLETED_FIELDS))
    bulk.insert_rows(Meeting.people.through, ["meeting", "person"], links)
    record.completions = completions
    bulk.record_history(Meeting.objects.filter(pk__in=ids), history_type="~", **history)
    # A follow-up the meeting lacked becomes a task, as on a new meeting; undo deletes it.
    task_ids = _create_follow_ups(tasks, history)
    task_of = dict(zip([pk for pk, _row in tasks], task_ids, strict=True))
    for item in completions:
        item["follow_ups"] = [task_of[item["meeting"]]] if item["meeting"] in task_of else []
    record.save(update_fields=["completions"])


def _meeting_rows(plan, ids, record_id):
    day = DatePrecision.DAY.value
    for pk, row in zip(ids, plan.new_rows, strict=True):
        yield (
            pk,
            row.date,
            day,
            row.event,
            row.organisation,
            row.topic,
            row.notes,
            record_id,
        )


def _create_contacts(plan, record, history):
    """Create the planned contacts; {id(NewContact): person id}."""
    contacts = plan.report.new_contacts
    if not contacts:
        return {}
    ids = bulk.allocate_ids(Person, len(contacts))
    people = []
    for pk, contact in zip(ids, contacts, strict=True):
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
    bulk.insert_objects(people)
    bulk.insert_rows(
        ImportRecord.new_people.through,
        ["importrecord", "person"],
        [(record.pk, pk) for pk in ids],
    )
    bulk.record_history(
        Person.objects.filter(created_by_imports=record), history_type="+", **history
    )
    return {id(contact): pk for pk, contact in zip(ids, contacts, strict=True)}


@transaction.atomic
def undo_import(*, record: ImportRecord, user) -> tuple[int, int, int]:
    """Delete every meeting an import created, restore the meetings it completed as their
    history had them before it (and unlink the contacts it added to them), then delete the
    contacts it created that no meeting mentions any more. The record stays, marked undone.
    Returns (meetings deleted, meetings restored, people deleted)."""
    record = ImportRecord.objects.select_for_update().get(pk=record.pk)
    if record.is_undone:
        raise ValidationError(_("This import has already been undone."))
    when = timezone.now()
    reason = _("Undo of import #%(number)s (%(file)s)") % {
        "number": record.pk,
        "file": record.file_name,
    }
    # Follow-up tasks first: the database refuses to delete a meeting a task points to. The
    # import's own, and any added since to meetings it created (they go with the meeting).
    completed_tasks = [pk for item in record.completions for pk in item.get("follow_ups", ())]
    bulk.delete_with_history(
        FollowUp.objects.filter(Q(meeting__import_record=record) | Q(pk__in=completed_tasks)),
        user=user,
        when=when,
        reason=reason,
    )
    meetings = bulk.delete_with_history(
        Meeting.objects.filter(import_record=record), user=user, when=when, reason=reason
    )
    restored = _restore_completed(record, user=user, when=when, reason=reason)
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
    return meetings, restored, people


def _restore_completed(record, *, user, when, reason):
    """Put each meeting the import completed back as its history had it when the import
    began (the "before" row write_plan added); unlink the contacts the import linked to it.
    A meeting deleted since is left deleted. Returns how many were restored."""
    completions = {item["meeting"]: item for item in record.completions}
    restored = []
    for meeting in Meeting.objects.filter(pk__in=completions):
        before = (
            meeting.history.filter(history_date__lte=record.created_at)
            .order_by("-history_date", "-history_id")
            .first()
        )
        if before is None:
            continue
        for name in COMPLETED_FIELDS:
            setattr(meeting, name, getattr(before, name))
        restored.append(meeting)
        # Not through `meeting.people.remove()`, which would add a version per meeting:
        # the one version below records the fields and the links restored together.
        Meeting.people.through.objects.filter(
            meeting=meeting, person__in=completions[meeting.pk]["people"]
        ).delete()
    if not restored:
        return 0
    bulk.update_objects(restored, list(COMPLETED_FIELDS))
    bulk.record_history(
        Meeting.objects.filter(pk__in=[m.pk for m in restored]),
        history_type="~",
        user=user,
        when=when,
        reason=reason,
    )
    return len(restored)
