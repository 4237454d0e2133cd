"""The meetings' old follow-up columns (`follow_up`, `follow_up_status`) becoming follow-up
tasks: migration events.0009 copied them, events.0013 adopts what is left and removes them.
Going back puts the columns back from the tasks.

The meetings are written with the models as they were at each migration (the current
Meeting has no such columns); the organisations, whose app stays migrated, with today's.
"""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from events.follow_ups.models import FollowUp
from events.models import Meeting
from tests.factories import make_organisation

BEFORE_COPY = [("events", "0008_follow_ups")]
AFTER_COPY = [("events", "0009_meeting_follow_ups_as_tasks")]
BEFORE_REMOVAL = [("events", "0012_merge_history_links_indexes_and_import_jobs")]
AFTER_REMOVAL = [("events", "0013_meeting_follow_ups_only_as_tasks")]

pytestmark = pytest.mark.django_db(transaction=True)


def migrate(target=None):
    """To `target`, or (None) to the latest migration of every app, as the other tests need."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target or executor.loader.graph.leaf_nodes())


def models_at(target):
    """(Meeting, FollowUp) as they were once `target` ran."""
    state = MigrationExecutor(connection).loader.project_state(target)
    return state.apps.get_model("events", "Meeting"), state.apps.get_model("events", "FollowUp")


def old_meeting(target, topic="", follow_up="", status="none"):
    OldMeeting, _ = models_at(target)
    return OldMeeting.objects.create(
        organisation_id=make_organisation(f"Partner {OldMeeting.objects.count()}").pk,
        date="2022-06-14",
        topic=topic,
        follow_up=follow_up,
        follow_up_status=status,
    ).pk


def columns(target):
    OldMeeting, _ = models_at(target)
    rows = OldMeeting.objects.values_list("pk", "follow_up", "follow_up_status")
    return {pk: (text, status) for pk, text, status in rows}


def tasks(target=AFTER_REMOVAL):
    _, TaskThen = models_at(target)
    return {
        task.meeting_id: (task.what, task.state, task.closed_at is not None)
        for task in TaskThen.objects.all()
    }


def table_columns(model):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
    return {column.name for column in description}


@pytest.fixture
def before_the_removal():
    migrate(BEFORE_REMOVAL)
    yield
    migrate()


@pytest.fixture
def before_the_copy():
    migrate(BEFORE_COPY)
    yield
    migrate()


# --- events.0013: what is left in the columns becomes tasks, then the columns go ---------


@pytest.mark.usefixtures("before_the_removal")
def test_every_follow_up_left_in_the_columns_becomes_a_task_with_its_text_and_state():
    pending = old_meeting(BEFORE_REMOVAL, follow_up=" Send the brochure ", status="pending")
    done = old_meeting(BEFORE_REMOVAL, follow_up="Called back", status="done")
    note = old_meeting(BEFORE_REMOVAL, follow_up="Nothing to do for now", status="none")
    untitled = old_meeting(BEFORE_REMOVAL, topic="Call about COBIOE", status="pending")
    old_meeting(BEFORE_REMOVAL, topic="Nothing said")

    migrate(AFTER_REMOVAL)

    assert tasks() == {
        pending: ("Send the brochure", "open", False),
        done: ("Called back", "done", True),
        # "None needed" with a text: a note about a follow-up nobody has to do.
        note: ("Nothing to do for now", "done", True),
        untitled: ("Call about COBIOE", "open", False),
    }
    assert not FollowUp.objects.filter(owner__isnull=False).exists()


@pytest.mark.usefixtures("before_the_removal")
def test_a_meeting_that_has_a_task_already_keeps_it_and_gets_no_second_one():
    meeting = old_meeting(BEFORE_REMOVAL, follow_up="Send the brochure", status="pending")
    _, OldFollowUp = models_at(BEFORE_REMOVAL)
    OldFollowUp.objects.create(
        meeting_id=meeting, what="Send the brochure", state="done", closed_at=timezone.now()
    )

    migrate(AFTER_REMOVAL)

    assert tasks() == {meeting: ("Send the brochure", "done", True)}


@pytest.mark.usefixtures("before_the_removal")
def test_the_columns_and_their_history_columns_are_gone():
    migrate(AFTER_REMOVAL)
    for model in (Meeting, Meeting.history.model):
        assert not {"follow_up", "follow_up_status"} & table_columns(model), model


@pytest.mark.usefixtures("before_the_removal")
def test_going_back_fills_the_columns_from_each_meeting_s_first_open_task_else_its_first():
    both = old_meeting(BEFORE_REMOVAL, topic="Two tasks")
    closed = old_meeting(BEFORE_REMOVAL, topic="All done")
    quiet = old_meeting(BEFORE_REMOVAL, topic="No task")
    migrate(AFTER_REMOVAL)
    FollowUp.objects.create(meeting_id=both, what="Sent", state="done", closed_at=timezone.now())
    FollowUp.objects.create(meeting_id=both, what="Call back")
    FollowUp.objects.create(meeting_id=closed, what="Sent", state="done", closed_at=timezone.now())
    FollowUp.objects.create(meeting_id=closed, what="Met", state="done", closed_at=timezone.now())

    migrate(BEFORE_REMOVAL)

    assert columns(BEFORE_REMOVAL) == {
        both: ("Call back", "pending"),
        closed: ("Sent", "done"),
        quiet: ("", "none"),
    }
    assert FollowUp.objects.count() == 4, "the tasks stay"


@pytest.mark.usefixtures("before_the_removal")
def test_going_back_and_forward_again_adds_no_task():
    old_meeting(BEFORE_REMOVAL, follow_up="Send the brochure", status="pending")
    migrate(AFTER_REMOVAL)
    before = tasks()
    migrate(BEFORE_REMOVAL)
    migrate(AFTER_REMOVAL)
    assert tasks() == before


# --- events.0009: the columns copied into tasks -------------------------------------------


@pytest.mark.usefixtures("before_the_copy")
def test_the_copy_makes_a_task_of_each_meeting_follow_up_and_keeps_the_columns():
    pending = old_meeting(BEFORE_COPY, follow_up="Send the brochure", status="pending")
    untitled = old_meeting(BEFORE_COPY, topic="Call about COBIOE", status="done")
    old_meeting(BEFORE_COPY, topic="Nothing said")
    before = columns(BEFORE_COPY)

    migrate(AFTER_COPY)

    assert tasks(AFTER_COPY) == {
        pending: ("Send the brochure", "open", False),
        untitled: ("Call about COBIOE", "done", True),
    }
    assert columns(AFTER_COPY) == before


@pytest.mark.usefixtures("before_the_copy")
def test_going_back_before_the_copy_restores_the_columns_and_keeps_what_happened_since():
    pending = old_meeting(BEFORE_COPY, follow_up="Send the brochure", status="pending")
    quiet = old_meeting(BEFORE_COPY, topic="Soft landing")
    migrate(AFTER_COPY)
    _, CopiedFollowUp = models_at(AFTER_COPY)
    CopiedFollowUp.objects.filter(meeting_id=pending).update(state="done", closed_at=timezone.now())
    CopiedFollowUp.objects.create(meeting_id=quiet, what="Send the offer")

    migrate(BEFORE_COPY)

    assert columns(BEFORE_COPY) == {
        pending: ("Send the brochure", "done"),
        quiet: ("Send the offer", "pending"),
    }
    assert not FollowUp.objects.exists()
