"""Logging a meeting outside the admin: the meeting, the new people met and its follow-up
written together (a service: one write spanning three models), validated as the admin and
the database validate them."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from events.follow_ups.models import FollowUp
from events.models import Meeting
from partners.models import Person


@dataclass(frozen=True)
class NewPerson:
    first_name: str
    last_name: str
    role: str = ""
    email: str = ""


def existing_meeting(*, organisation, event, date) -> Meeting | None:
    """The meeting the database would refuse a second of (one per organisation, day, event)."""
    return Meeting.objects.filter(
        organisation=organisation,
        date=date,
        **({"event": event} if event else {"event__isnull": True}),
    ).first()


@transaction.atomic
def log_meeting(
    *,
    user,
    date: datetime.date,
    organisation,
    event=None,
    people=(),
    new_people: list[NewPerson] = (),
    topic: str = "",
    notes: str = "",
    follow_up: str = "",
    follow_up_due: datetime.date | None = None,
    follow_up_owner=None,
) -> Meeting:
    meeting = Meeting(date=date, organisation=organisation, event=event, topic=topic, notes=notes)
    meeting.full_clean()
    meeting.save()
    created = []
    for new in new_people:
        person = Person(
            organisation=organisation,
            first_name=new.first_name,
            last_name=new.last_name,
            role=new.role,
            email=new.email,
        )
        person.full_clean()
        person.save()
        created.append(person)
    meeting.people.set([*people, *created])
    if follow_up:
        task = FollowUp(
            meeting=meeting, what=follow_up, due_date=follow_up_due, owner=follow_up_owner
        )
        task.full_clean()
        task.save()
    elif follow_up_due or follow_up_owner:
        raise ValidationError({"follow_up": "say what is to be done"})
    return meeting
