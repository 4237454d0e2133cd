"""What the dashboard shows of follow-ups: the user's open ones, most urgent first.

`dashboard_context(request)` is the context for `events/follow_ups/includes/_dashboard.html`; the
`{% my_follow_ups %}` tag renders both in any template.
"""

from django.db.models import Count, Q, Window
from django.urls import reverse
from django.utils import timezone

from core.caching import cached_per_version
from events.follow_ups.filters import end_of_week
from events.follow_ups.models import FollowUp
from events.follow_ups.views import UNDO_KEY, may_close
from events.models import Meeting
from partners.querysets import SHOWN_ON_PAGE

SHOWN = 10


def recently_closed(request):
    """The follow-ups this user closed in this session, newest first, still done."""
    pks = request.session.get(UNDO_KEY, [])
    if not pks:
        return []
    closed = {f.pk: f for f in FollowUp.objects.filter(pk__in=pks, state=FollowUp.State.DONE)}
    return [closed[pk] for pk in pks if pk in closed]


def rows(user, follow_ups):
    today = timezone.localdate()
    return [
        {
            "follow_up": f,
            "overdue": bool(f.due_date and f.due_date < today and f.state == FollowUp.State.OPEN),
            "may_close": may_close(user, f),
        }
        for f in follow_ups
    ]


def counts_for(user, today):
    return FollowUp.objects.open().aggregate(
        open=Count("pk", filter=Q(owner=user)),
        overdue=Count("pk", filter=Q(owner=user, due_date__lt=today)),
        this_week=Count(
            "pk", filter=Q(owner=user, due_date__gte=today, due_date__lte=end_of_week(today))
        ),
        # Follow-ups nobody owns yet (those moved from the meetings, for one) are nobody's
        # reminder: the dashboard says how many there are.
        unassigned=Count("pk", filter=Q(owner__isnull=True)),
    )


def dashboard_context(request):
    user = request.user
    if not user.has_perm("events.view_followup"):
        return {"follow_ups_visible": False}
    mine = FollowUp.objects.open().owned_by(user)
    today = timezone.localdate()
    # Counting reads every open follow-up (60 ms at 250,000): once per version of them.
    counts = cached_per_version(
        "my-follow-up-counts",
        models=(FollowUp,),
        vary=(user.pk, today),
        compute=lambda: counts_for(user, today),
    )
    return {
        "follow_ups_visible": True,
        "follow_up_rows": rows(user, mine.with_subjects().by_urgency()[:SHOWN]),
        "follow_up_count": counts["open"],
        "overdue_count": counts["overdue"],
        "due_this_week_count": counts["this_week"],
        "unassigned_count": counts["unassigned"],
        "recently_closed": recently_closed(request),
    }


def subject_context(request, subject):
    """Open follow-ups about one meeting or organisation (its meetings' and partnerships'
    included), and those just closed, for its page."""
    user = request.user
    if not user.has_perm("events.view_followup"):
        return {"follow_ups_visible": False}
    if isinstance(subject, Meeting):
        follow_ups = FollowUp.objects.filter(meeting=subject)
        organisation = subject.organisation_id
    else:
        follow_ups = FollowUp.objects.about_organisation(subject)
        organisation = subject.pk
    # The most urgent open ones, not all: the largest organisation has a thousand at 100 times
    # today's data. The others are a link away, in the follow-up list. Chosen by their own
    # columns first, with the counts of them all from the same scan (counted over the whole
    # set, before the limit; open ones sort first), then read with what they are about:
    # joined before the sort, the 1,100 of the largest organisation were all joined (as a
    # subquery, PostgreSQL misjudged it and joined all 250,000).
    counted = follow_ups.by_urgency().annotate(
        open_total=Window(Count("pk", filter=Q(state=FollowUp.State.OPEN))),
        done_total=Window(Count("pk", filter=Q(state=FollowUp.State.DONE))),
    )
    first = list(counted.values_list("pk", "state", "open_total", "done_total")[:SHOWN_ON_PAGE])
    most_urgent = [pk for pk, state, _open, _done in first if state == FollowUp.State.OPEN]
    open_count, done_count = first[0][2:] if first else (0, 0)
    # `or [0]`: the second query runs even when none is open (an id no row has), so that
    # a page runs as many queries whatever its data.
    shown = list(FollowUp.objects.filter(pk__in=most_urgent or [0]).with_subjects().by_urgency())
    return {
        "follow_ups_visible": True,
        "follow_up_rows": rows(user, shown),
        "open_count": open_count,
        "shown_count": len(shown),
        "all_follow_ups_url": reverse("events:follow-up-list")
        + f"?organisation={organisation}&owner=anyone",
        "done_count": done_count,
        "subject": subject,
        "recently_closed": recently_closed(request),
    }
