"""The exports read a chunk's follow-up columns with `Meeting.objects.follow_up_states(ids)`,
the pages with the `with_follow_up_state()` annotation: one rule, the same answers."""

import pytest

from events.follow_ups.models import FollowUp
from events.models import Meeting
from tests.factories import make_follow_up, make_meeting

pytestmark = pytest.mark.django_db
OPEN, DONE = FollowUp.State.OPEN, FollowUp.State.DONE


@pytest.fixture
def meetings():
    """Meetings with no task, done ones, open ones, and open ones after done ones."""
    tasks = {
        "none": [],
        "done": [DONE],
        "two done": [DONE, DONE],
        "open": [OPEN],
        "done then open": [DONE, OPEN],
        "open then done": [OPEN, DONE],
        "done, open, open": [DONE, OPEN, OPEN],
    }
    for topic, states in tasks.items():
        meeting = make_meeting(topic=topic)
        for n, state in enumerate(states):
            make_follow_up(meeting, f"{topic} {n}", state=state)
    return Meeting.objects.all()


def test_the_states_read_per_chunk_are_those_the_annotation_gives(meetings):
    annotated = {
        meeting.pk: (meeting.follow_up_state, meeting.follow_up_what)
        for meeting in meetings.with_follow_up_state()
    }
    read = Meeting.objects.follow_up_states([meeting.pk for meeting in meetings])
    assert {pk: read.get(pk, ("none", None)) for pk in annotated} == annotated


def test_what_is_to_be_done_is_the_first_open_task_else_the_first_task(meetings):
    read = Meeting.objects.follow_up_states([meeting.pk for meeting in meetings])
    by_topic = {meeting.topic: read.get(meeting.pk) for meeting in meetings}
    assert by_topic["done, open, open"] == ("pending", "done, open, open 1")
    assert by_topic["two done"] == ("done", "two done 0")
    assert by_topic["none"] is None


def test_only_the_meetings_asked_for_are_read(meetings):
    one = meetings.get(topic="open")
    assert Meeting.objects.follow_up_states([one.pk]) == {one.pk: ("pending", "open 0")}
