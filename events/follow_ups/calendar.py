"""A user's open follow-ups as an iCalendar feed (RFC 5545), one all-day event per due date.

Written by hand: a dozen lines of a simple format do not need a library.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from events.follow_ups.models import FollowUp


def escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> list[str]:
    """Lines longer than 75 octets continue on the next line after a space."""
    parts, current = [], ""
    for char in line:
        if len((current + char).encode()) > 75:
            parts.append(current)
            current = " "
        current += char
    return [*parts, current]


def calendar_of(user, host: str) -> str:
    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    follow_ups = (
        FollowUp.objects.open()
        .owned_by(user)
        .filter(due_date__isnull=False)
        .with_subjects()
        .order_by("due_date", "pk")
    )
    name = _("Genopole CRM follow-ups")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Genopole CRM//Follow-ups//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for follow_up in follow_ups:
        day = follow_up.due_date
        subject = follow_up.subject
        lines += [
            "BEGIN:VEVENT",
            f"UID:follow-up-{follow_up.pk}@{host.split(':')[0]}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(follow_up.what.splitlines()[0][:120])}",
            f"DESCRIPTION:{escape(f'{subject}: {follow_up.what}')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(f"{part}\r\n" for line in lines for part in fold(line))
