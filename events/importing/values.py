"""Reading one cell's value: dates, follow-up and contact names, as pure functions.

Each function takes the cell as the file gives it (text, or a date from an XLSX workbook)
and returns the value, or a `Problem` carrying the reason for the person who wrote the file.
They touch no database: the planner calls them once per distinct cell text.
"""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.search import fold
from events.models import Meeting

_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def name_key(text) -> str:
    """The key a name is matched on: `fold()` (case, accents, spacing), then without spaces,
    hyphens or punctuation, so "BIO-Europe 2022" = "BIO Europe 2022" and "GEN.ERA" = "genera".
    Words are never dropped: "Boehringer Ingelheim GmbH" is not "Boehringer Ingelheim"."""
    return _NOT_LETTERS_OR_DIGITS.sub("", fold(text))


class Problem:
    """Why a cell cannot be read; the planner turns it into a LineError."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2})?.*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]\d{1,2}[:h]\d{2}.*)?")


def parse_date(value, order=None):
    """A day from "2022-06-14", "14/06/2022", "14.06.2022" (day first; month first when
    `order` is "mdy"), or an XLSX date."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = value.strip()
    if not text:
        return Problem(_("A date is required."))
    match = _ISO_DATE.fullmatch(text)
    if match:
        year, month, day = match.groups()
    else:
        match = _DAY_FIRST.fullmatch(text)
        if not match:
            return Problem(_("Not a date: write it as 2022-06-14 or 14/06/2022."))
        day, month, year = match.groups()
        if order == "mdy":
            day, month = month, day
        if len(year) == 2:
            return Problem(_("Write the year with four digits (14/06/2022)."))
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return Problem(_("This date does not exist."))


_YES = {"yes", "y", "oui", "o", "true", "vrai", "x", "1"}
_NO = {"", "no", "n", "non", "false", "faux", "0", "-"}


def parse_follow_up(value):
    """(status, text): yes/oui → pending; no/non/empty → none; other text → pending + text."""
    if type(value) is not str:
        value = str(value)
    key = fold(value).strip(" .!")
    if key in _YES:
        return Meeting.FollowUp.PENDING, ""
    if key in _NO:
        return Meeting.FollowUp.NONE, ""
    return Meeting.FollowUp.PENDING, value


_CONTACT_SEPARATORS = re.compile(r"\s*[;,\n\r]+\s*")


def split_contacts(cell):
    """The names in a contacts cell (separated by ";", "," or line breaks), each once."""
    if type(cell) is not str:
        cell = str(cell)
    names, seen = [], set()
    for name in _CONTACT_SEPARATORS.split(cell):
        name = " ".join(name.split())
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            names.append(name)
    return names


def split_full_name(name):
    """("Jean-Pierre", "de la Tour") from "Jean-Pierre de la Tour"; ("Jane", "DOE") from the
    partnering-platform style "DOE Jane" (a surname in capitals first)."""
    words = name.split()
    if len(words) < 2:
        return None
    if words[0].isupper() and len(words[0]) > 1 and not words[-1].isupper():
        surname = [w for w in words if w.isupper() and len(w) > 1]
        given = words[len(surname) :]
        if given and words[: len(surname)] == surname:
            return " ".join(given), " ".join(surname)
    return words[0], " ".join(words[1:])


# What a status cell may say, in English and French, for each thing that can have happened.
# Only HELD lines become meetings; the others are skipped as "not held (<label>)". Words are
# compared by name_key(): "No-show", "no show" and "NOSHOW" are one word, "annulée" "annule".
HELD = "held"
MEETING_STATUSES = {
    HELD: (
        gettext_lazy("held"),
        ["held", "accepted", "confirmed", "agreed", "attended", "done", "took place", "completed"]
        + ["accepté", "acceptée", "confirmé", "confirmée", "validé", "validée", "a eu lieu"]
        + ["réalisé", "réalisée", "effectué", "effectuée", "tenu", "tenue"],
    ),
    "declined": (
        gettext_lazy("declined"),
        ["declined", "rejected", "refused", "refusé", "refusée", "décliné", "déclinée"]
        + ["rejeté", "rejetée"],
    ),
    "cancelled": (
        gettext_lazy("cancelled"),
        ["cancelled", "canceled", "annulé", "annulée"],
    ),
    "pending": (
        gettext_lazy("pending"),
        ["pending", "requested", "proposed", "waiting", "en attente", "demandé", "demandée"]
        + ["proposé", "proposée", "à confirmer"],
    ),
    "no_show": (
        gettext_lazy("no-show"),
        ["no-show", "no show", "absent", "absente", "not attended", "non venu", "non présenté"],
    ),
}
_STATUS_WORDS = {
    name_key(word): status for status, (_label, words) in MEETING_STATUSES.items() for word in words
}


def parse_status(value):
    """HELD, another key of MEETING_STATUSES, or a Problem naming the words understood.
    An empty cell is HELD, as a line in a file without a status column."""
    if type(value) is not str:
        value = str(value)
    key = name_key(value)
    if not key:
        return HELD
    status = _STATUS_WORDS.get(key)
    if status is not None:
        return status
    understood = "; ".join(
        f"{label}: " + ", ".join(words[:4]) for label, words in MEETING_STATUSES.values()
    )
    return Problem(
        _("Not a meeting status. Understood: %(understood)s.") % {"understood": understood}
    )


def status_label(status):
    return str(MEETING_STATUSES[status][0])
