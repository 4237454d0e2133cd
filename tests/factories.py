"""Small builders for test data: each returns a saved record with sensible defaults."""

import datetime
from itertools import count

from events.models import Event, Meeting
from partners.models import Organisation, Partnership, Person
from projects.models import ConsortiumMember, Project

_sequence = count(1)


def make_organisation(name=None, **fields):
    fields.setdefault("kind", Organisation.Kind.CLUSTER)
    return Organisation.objects.create(name=name or f"Organisation {next(_sequence)}", **fields)


def make_person(organisation=None, **fields):
    fields.setdefault("first_name", "Ada")
    fields.setdefault("last_name", f"Lovelace {next(_sequence)}")
    return Person.objects.create(organisation=organisation or make_organisation(), **fields)


def make_partnership(organisation=None, **fields):
    fields.setdefault("type", Partnership.Type.COOPERATION)
    fields.setdefault("title", f"Cooperation {next(_sequence)}")
    fields.setdefault("status", Partnership.Status.ACTIVE)
    return Partnership.objects.create(organisation=organisation or make_organisation(), **fields)


def make_event(name=None, **fields):
    fields.setdefault("kind", Event.Kind.CONVENTION)
    fields.setdefault("start_date", datetime.date(2022, 6, 13))
    return Event.objects.create(name=name or f"Event {next(_sequence)}", **fields)


def make_meeting(organisation=None, **fields):
    fields.setdefault("date", datetime.date(2022, 6, 14))
    return Meeting.objects.create(organisation=organisation or make_organisation(), **fields)


def make_follow_up(meeting, what="Follow up", **fields):
    """A follow-up task on a meeting (done ones closed now, as the constraint wants)."""
    from django.utils import timezone

    from events.follow_ups.models import FollowUp

    if fields.get("state") == FollowUp.State.DONE:
        fields.setdefault("closed_at", timezone.now())
    return FollowUp.objects.create(meeting=meeting, what=what, **fields)


def make_project(acronym=None, **fields):
    fields.setdefault("status", Project.Status.RUNNING)
    return Project.objects.create(acronym=acronym or f"PRJ{next(_sequence)}", **fields)


def make_consortium_member(project=None, organisation=None, **fields):
    fields.setdefault("role", ConsortiumMember.Role.PARTNER)
    return ConsortiumMember.objects.create(
        project=project or make_project(),
        organisation=organisation or make_organisation(),
        **fields,
    )
