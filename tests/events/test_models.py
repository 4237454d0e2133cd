import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from events.models import Event, EventAlias, EventSeries, Meeting
from tests.factories import make_event, make_follow_up, make_meeting, make_organisation
from tests.helpers import assert_rejected_by_database

pytestmark = pytest.mark.django_db


def test_event_names_are_unique_whatever_the_case():
    make_event("BIO-Europe 2022")
    assert_rejected_by_database(lambda: make_event("bio-europe 2022"))


def test_a_series_has_each_edition_once():
    bio = EventSeries.objects.create(name="BIO International Convention")
    make_event("BIO 2022", series=bio, edition="2022")
    assert_rejected_by_database(lambda: make_event("BIO USA 2022", series=bio, edition="2022"))


def test_an_event_needs_a_start_date():
    assert_rejected_by_database(lambda: make_event(start_date=None))


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(ValidationError, match="cannot be before the start"):
        Event(
            name="Backwards",
            kind=Event.Kind.CONFERENCE,
            start_date=datetime.date(2022, 6, 16),
            end_date=datetime.date(2022, 6, 13),
        ).full_clean()


def test_an_event_with_meetings_cannot_be_deleted():
    event = make_event()
    make_meeting(event=event)
    with pytest.raises(ProtectedError):
        event.delete()


def test_event_search_finds_the_short_names_staff_use():
    event = make_event("BIO International Convention 2022")
    EventAlias.objects.create(event=event, name="BIO 2022")
    make_event("BIO International Convention 2021")
    assert list(Event.objects.search("bio 2022")) == [event]


def test_in_year_selects_editions_by_their_start():
    bio_2022 = make_event(start_date=datetime.date(2022, 6, 13))
    make_event(start_date=datetime.date(2021, 6, 10))
    assert list(Event.objects.in_year(2022)) == [bio_2022]


class TestMeetingIdentity:
    """One organisation, one day, one event: one meeting."""

    def test_the_same_meeting_at_an_event_cannot_be_recorded_twice(self):
        organisation, event = make_organisation(), make_event()
        make_meeting(organisation=organisation, event=event)
        assert_rejected_by_database(lambda: make_meeting(organisation=organisation, event=event))

    def test_the_same_meeting_outside_any_event_cannot_be_recorded_twice(self):
        organisation = make_organisation()
        make_meeting(organisation=organisation, event=None)
        assert_rejected_by_database(lambda: make_meeting(organisation=organisation, event=None))

    def test_the_same_organisation_can_be_met_on_the_same_day_at_two_events(self):
        organisation = make_organisation()
        make_meeting(organisation=organisation, event=make_event())
        make_meeting(organisation=organisation, event=make_event())
        assert Meeting.objects.filter(organisation=organisation).count() == 2

    def test_pending_follow_ups_are_selectable(self):
        pending = make_meeting()
        make_follow_up(pending, "Send NDA")
        make_follow_up(pending, "Call", state="done")
        make_follow_up(make_meeting(), state="done")
        make_meeting()
        assert list(Meeting.objects.follow_up_pending()) == [pending]
