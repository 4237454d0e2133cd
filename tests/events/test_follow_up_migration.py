"""Migration events.0009 moves the meetings' follow-up text and status into follow-up tasks, and
moving back restores them, on the report data (the fixtures)."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.follow_ups.models import FollowUp
from events.models import Meeting
from tests.conftest import FIXTURES
from tests.factories import make_meeting

BEFORE = [("events", "0008_follow_ups")]
AFTER = [("events", "0009_meeting_follow_ups_as_tasks")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target=None):
    """To `target`, or (None) to the latest migration of every app, as the other tests need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def legacy_columns():
    return {
        pk: (text, status)
        for pk, text, status in Meeting.objects.values_list("pk", "follow_up", "follow_up_status")
    }


@pytest.fixture
def reports_before_the_move():
    migrate(BEFORE)
    call_command("loaddata", *FIXTURES, verbosity=0)
    yield
    migrate()


@pytest.mark.usefixtures("reports_before_the_move")
def test_every_meeting_follow_up_becomes_a_task_with_its_text_and_state():
    before = legacy_columns()
    with_follow_up = {pk: v for pk, v in before.items() if v != ("", "none")}
    assert with_follow_up, "the report data has a meeting with a pending follow-up"

    migrate(AFTER)

    tasks = {task.meeting_id: task for task in FollowUp.objects.all()}
    assert set(tasks) == set(with_follow_up)
    for pk, (text, status) in with_follow_up.items():
        assert tasks[pk].what == text
        assert tasks[pk].state == ("open" if status == "pending" else "done")
        assert tasks[pk].due_date is None and tasks[pk].owner is None
    assert legacy_columns() == before, "the columns stay while the import writes them"


@pytest.mark.usefixtures("reports_before_the_move")
def test_going_back_restores_the_columns_exactly():
    before = legacy_columns()
    migrate(AFTER)
    migrate(BEFORE)
    assert legacy_columns() == before
    assert not FollowUp.objects.exists()


@pytest.mark.usefixtures("reports_before_the_move")
def test_going_back_keeps_what_happened_to_the_tasks_since():
    pending = Meeting.objects.get(follow_up_status="pending")
    quiet = make_meeting(topic="Soft landing")
    migrate(AFTER)
    FollowUp.objects.get(meeting=pending).mark_done(None)
    FollowUp.objects.create(meeting=quiet, what="Send the brochure")

    migrate(BEFORE)

    pending.refresh_from_db()
    quiet.refresh_from_db()
    assert pending.follow_up_status == "done"
    assert (quiet.follow_up, quiet.follow_up_status) == ("Send the brochure", "pending")


@pytest.mark.usefixtures("reports_before_the_move")
def test_a_meeting_with_a_status_but_no_text_gets_a_task_named_after_its_topic():
    meeting = make_meeting(topic="Call about COBIOE", follow_up_status="pending")
    migrate(AFTER)
    assert FollowUp.objects.get(meeting=meeting).what == "Call about COBIOE"


@pytest.mark.usefixtures("reports_before_the_move")
def test_follow_ups_written_to_the_columns_after_the_move_are_adopted_once():
    from events.follow_ups.legacy import adopt_meeting_follow_ups

    migrate(AFTER)
    late = make_meeting(follow_up="Call back", follow_up_status="pending")
    assert adopt_meeting_follow_ups() == 1
    assert adopt_meeting_follow_ups() == 0
    assert FollowUp.objects.get(meeting=late).what == "Call back"
