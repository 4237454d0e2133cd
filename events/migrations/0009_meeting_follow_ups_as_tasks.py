"""Copy each meeting's follow-up (text and status, as the admin and the import wrote them)
into a follow-up task (the roles get the follow-ups' permissions after `migrate`, from
core.roles).

The meeting keeps its two columns while the meeting-log import still writes them, so going
forward loses nothing; going back writes what happened to the tasks (done, or new ones on
meetings that had none) into those columns and removes the meetings' tasks (their owner and
due date have no column to go back to).
"""

from django.db import migrations
from django.utils import timezone

PENDING, DONE, NONE = "pending", "done", "none"


def what_of(meeting):
    return meeting.follow_up.strip() or meeting.topic.strip() or "Follow up"


def meetings_to_tasks(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    FollowUp = apps.get_model("events", "FollowUp")
    now = timezone.now()
    legacy = Meeting.objects.exclude(follow_up_status=NONE, follow_up="").order_by("pk")
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                meeting=meeting,
                what=what_of(meeting),
                # "None needed" with a text is a note about a follow-up nobody has to do.
                state="open" if meeting.follow_up_status == PENDING else "done",
                closed_at=None if meeting.follow_up_status == PENDING else now,
            )
            for meeting in legacy.iterator()
        ],
        batch_size=500,
    )


def tasks_to_meetings(apps, schema_editor):
    Meeting = apps.get_model("events", "Meeting")
    FollowUp = apps.get_model("events", "FollowUp")
    tasks = FollowUp.objects.filter(meeting__isnull=False).order_by("pk")
    by_meeting = {}
    for task in tasks.iterator():
        by_meeting.setdefault(task.meeting_id, []).append(task)
    changed = []
    for meeting in Meeting.objects.filter(pk__in=by_meeting):
        meeting_tasks = by_meeting[meeting.pk]
        any_open = any(task.state == "open" for task in meeting_tasks)
        if meeting.follow_up_status == NONE and not meeting.follow_up:
            # A task added after the move: the columns are all there is to keep it in.
            meeting.follow_up = "\n\n".join(task.what for task in meeting_tasks)
            meeting.follow_up_status = PENDING if any_open else DONE
        elif any_open:
            meeting.follow_up_status = PENDING
        elif meeting.follow_up_status == PENDING:
            meeting.follow_up_status = DONE
        else:
            continue
        changed.append(meeting)
    Meeting.objects.bulk_update(changed, ["follow_up", "follow_up_status"], batch_size=500)
    # Their text and state are back in the columns; going forward again recreates them.
    tasks.delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0008_follow_ups")]

    operations = [
        migrations.RunPython(meetings_to_tasks, tasks_to_meetings),
    ]
