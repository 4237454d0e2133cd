import datetime

from django.utils import timezone

from events.follow_ups.models import FollowUp
from tests.factories import make_meeting


def make_follow_up(what="Send the brochure", days=3, **fields):
    """An open follow-up on a new meeting, due `days` from today (None: no due date)."""
    if not any(k in fields for k in ("meeting", "organisation", "partnership")):
        fields["meeting"] = make_meeting()
    due = None if days is None else timezone.localdate() + datetime.timedelta(days=days)
    return FollowUp.objects.create(what=what, due_date=due, **fields)
