"""A meeting's follow-ups are its tasks only: the old columns (`Meeting.follow_up`,
`Meeting.follow_up_status`) go.

First, what is still in the columns becomes tasks, by the rules `adopt_meeting_follow_ups`
applied (and migration 0009 before it): a meeting with a follow-up in its columns and no task
yet gets one, saying the column's text (else the meeting's topic), open while "pending",
else done. Meetings that have a task keep theirs: the columns were copied already. Then the
columns, their index and their history columns are removed.

Going back puts the columns back, filled from each meeting's tasks: the first open task's
text (else the first task's), "pending" while one is open, else "done". The tasks stay
(going forward again finds them and adds nothing); their owners, due dates and any further
task of a meeting have no column to go back to.
"""

from django.db import migrations
from django.db.models import Case, When
from django.utils import timezone

PENDING, DONE, NONE = "pending", "done", "none"


def columns_to_tasks(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    FollowUp = apps.get_model("events", "FollowUp")
    now = timezone.now()
    left = (
        Meeting.objects.filter(follow_ups__isnull=True)
        .exclude(follow_up_status=NONE, follow_up="")
        .order_by("pk")
    )
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                meeting=meeting,
                # FollowUp.what_of(), as of this migration.
                what=meeting.follow_up.strip() or meeting.topic.strip() or "Follow up",
                # "None needed" with a text is a note about a follow-up nobody has to do.
                state="open" if meeting.follow_up_status == PENDING else "done",
                closed_at=None if meeting.follow_up_status == PENDING else now,
            )
            for meeting in left.iterator(chunk_size=2000)
        ),
        batch_size=500,
    )


def tasks_to_columns(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    FollowUp = apps.get_model("events", "FollowUp")
    first, any_open = {}, set()
    # Open tasks first, oldest first: each meeting's first one seen is the one kept.
    tasks = (
        FollowUp.objects.filter(meeting__isnull=False)
        .annotate(done=Case(When(state="open", then=0), default=1))
        .order_by("done", "pk")
        .values_list("meeting", "what", "state")
    )
    for meeting, what, state in tasks.iterator(chunk_size=2000):
        first.setdefault(meeting, what)
        if state == "open":
            any_open.add(meeting)
    changed = [
        Meeting(pk=pk, follow_up=what, follow_up_status=PENDING if pk in any_open else DONE)
        for pk, what in first.items()
    ]
    Meeting.objects.bulk_update(changed, ["follow_up", "follow_up_status"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0012_merge_history_links_indexes_and_import_jobs"),
    ]

    operations = [
        migrations.RunPython(columns_to_tasks, tasks_to_columns),
        migrations.RemoveIndex(
            model_name="meeting",
            name="meeting_follow_up_idx",
        ),
        migrations.RemoveField(
            model_name="historicalmeeting",
            name="follow_up",
        ),
        migrations.RemoveField(
            model_name="historicalmeeting",
            name="follow_up_status",
        ),
        migrations.RemoveField(
            model_name="meeting",
            name="follow_up",
        ),
        migrations.RemoveField(
            model_name="meeting",
            name="follow_up_status",
        ),
    ]
