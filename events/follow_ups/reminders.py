"""The daily reminder: each owner gets one e-mail listing their open follow-ups that are
overdue or due by the end of the week, in their language, at most once a day."""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.follow_ups.filters import end_of_week
from events.follow_ups.models import FollowUp, Subscriber


def claim_the_day(user, today: datetime.date) -> bool:
    """Mark `user` reminded today; False when a run today already did (even a parallel one:
    the update is conditional, so only one run wins)."""
    Subscriber.objects.get_or_create(user=user)
    claimed = (
        Subscriber.objects.filter(user=user)
        .filter(Q(last_reminded_on__isnull=True) | ~Q(last_reminded_on=today))
        .update(last_reminded_on=today)
    )
    return bool(claimed)


def reminder_for(user, follow_ups, *, today, base_url):
    language = getattr(getattr(user, "follow_up_settings", None), "language", None)
    with translation.override(language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "overdue": [f for f in follow_ups if f.due_date < today],
            "due": [f for f in follow_ups if f.due_date >= today],
            "list_url": base_url + reverse("events:follow-up-list"),
            "base_url": base_url,
        }
        subject = _("Your follow-ups: %(overdue)d overdue, %(due)d due this week") % {
            "overdue": len(context["overdue"]),
            "due": len(context["due"]),
        }
        text = render_to_string("events/follow_ups/email/reminder.txt", context)
        html = render_to_string("events/follow_ups/email/reminder.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    return message


def send_reminders(*, today=None, base_url="") -> list[str]:
    """Send today's reminders; returns the usernames reminded."""
    today = today or timezone.localdate()
    due = (
        FollowUp.objects.due_by(end_of_week(today))
        .filter(owner__isnull=False, owner__is_active=True)
        .exclude(owner__email="")
        .with_subjects()
        .order_by("owner", "due_date", "pk")
    )
    by_owner = {}
    for follow_up in due:
        by_owner.setdefault(follow_up.owner_id, []).append(follow_up)
    owners = get_user_model().objects.filter(pk__in=by_owner).select_related("follow_up_settings")
    reminded = []
    for owner in owners:
        if not claim_the_day(owner, today):
            continue
        reminder_for(owner, by_owner[owner.pk], today=today, base_url=base_url).send()
        reminded.append(owner.get_username())
    return reminded
