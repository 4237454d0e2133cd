"""Meetings' follow-up columns (`Meeting.follow_up`, `Meeting.follow_up_status`) turned into
follow-up tasks, for what writes those columns after migration events.0009 ran: the report
fixtures on a fresh database (`make run`). The meeting-log import creates its tasks itself
(events/importing/writer.py); the columns stay until the fixtures stop writing them.

The rules are migration events.0009's (which keeps its own copy, as migrations must).
"""

from django.db.models import Q

from events.follow_ups.models import FollowUp
from events.models import Meeting


def adopt_meeting_follow_ups(meetings=None) -> int:
    """A task for each meeting with a follow-up in its columns and no task yet; returns how
    many were created. Safe to run again and again."""
    meetings = Meeting.objects.all() if meetings is None else meetings
    legacy = (
        meetings.filter(follow_ups__isnull=True)
        .filter(~Q(follow_up_status=Meeting.FollowUp.NONE) | ~Q(follow_up=""))
        .order_by("pk")
    )
    created = FollowUp.objects.bulk_create(
        [task_from(meeting) for meeting in legacy.iterator()], batch_size=500
    )
    return len(created)


def task_from(meeting):
    return FollowUp.from_meeting_log(
        meeting=meeting,
        text=meeting.follow_up,
        topic=meeting.topic,
        pending=meeting.follow_up_status == Meeting.FollowUp.PENDING,
    )
