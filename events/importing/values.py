"""Reading one cell's value: dates, follow-up and contact names, as pure functions.

Each function takes the cell as the file gives it (text, or a date from an XLSX workbook)
and returns the value, or a `Problem` carrying the reason for the person who wrote the file.
They touch no database: the planner calls them once per distinct cell text.
"""

import datetime
import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.search import fold, unaccent
from events.models import Meeting

_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")


def name_key(text) -> str:
    """The key a name is matched on: `fold()` (case, accents, spacing), then without spaces,
    hyphens or punctuation, so "BIO-Europe 2022" = "BIO Europe 2022" and "GEN.ERA" = "genera".
    Words are never dropped: "Boehringer Ingelheim GmbH" is not "Boehringer Ingelheim"."""
    if not text:
        return ""
    # fold() but its spacing, which dropping every non-letter undoes: that was a third of
    # the time of the 150,000 keys of a large log's names and people.
    return _NOT_LETTERS_OR_DIGITS.sub("", (text if text.isascii() else unaccent(text)).lower())


class Problem:
    """Why a cell cannot be read; the planner turns it into a LineError."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


_TIME = r"(?:[ T]+\d{1,2}(?:[:h]\d{2}(?::\d{2})?)?\s*(?:[ap]\.?m\.?)?.*)?"
_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME, re.IGNORECASE)
_NUMERIC_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})" + _TIME, re.IGNORECASE)
_AM_PM = re.compile(r"\d\s*[ap]\.?m\b\.?", re.IGNORECASE)
# Month names in English and French, folded (no accents) and lower-case; abbreviations too.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            "jan january janv janvier",
            "feb february fev fevr fevrier",
            "mar march mars",
            "apr april avr avril",
            "may mai",
            "jun june juin",
            "jul july juil juillet",
            "aug august aou aout",
            "sep sept september septembre",
            "oct october octobre",
            "nov november novembre",
            "dec december decembre",
        ],
        start=1,
    )
    for name in names.split()
}
_WEEKDAY = (
    r"(?:(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?"
    r"|lun|lundi|mar|mardi|mer|mercredi|jeu|jeudi|ven|vendredi|sam|samedi|dim|dimanche)"
)
# "15 June 2022", "Wed 15 Jun 2022", "13-Jun-22", "1er juillet 2022"; "June 14, 2022".
_DAY_MONTH_NAME = re.compile(
    rf"(?:{_WEEKDAY}\.?,?\s+)?(\d{{1,2}})(?:er|st|nd|rd|th)?[\s.-]+([a-z]+)\.?[\s.,-]+(\d{{4}}|\d{{2}})"
    + _TIME
)
_MONTH_NAME_DAY = re.compile(
    rf"(?:{_WEEKDAY}\.?,?\s+)?([a-z]+)\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})" + _TIME
)
DAY_MONTH, MONTH_DAY = "dmy", "mdy"


def numeric_day_month(text):
    """(first, second) numbers of a "14/06/2022"-style date, or None for any other text."""
    match = _NUMERIC_DATE.fullmatch(text.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def has_am_pm(text):
    return bool(_AM_PM.search(text))


def parse_date(value, order=None):
    """A day from "2022-06-14", "14/06/2022", "14.06.2022" (day first unless `order` is
    "mdy"), a month name ("15 June 2022", "June 14, 2022", "16 juin 2022"), or an XLSX date."""
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
        return _day(text, int(year), int(month), int(day))
    match = _NUMERIC_DATE.fullmatch(text)
    if match:
        first, second, year = match.groups()
        if len(year) == 2:
            return Problem(_("Write the year with four digits (14/06/2022)."))
        day, month = (second, first) if order == MONTH_DAY else (first, second)
        found = _day(text, int(year), int(month), int(day))
        if isinstance(found, Problem) and order != MONTH_DAY:
            swapped = _day(text, int(year), int(day), int(month))
            if not isinstance(swapped, Problem):
                return Problem(
                    _(
                        "%(text)s reads as month/day (%(day)s), not day/month as the other "
                        "dates of this column: check it, or choose the month/day order."
                    )
                    % {"text": text, "day": swapped.isoformat()}
                )
        return found
    return _named_month_date(text)


def _named_month_date(text):
    folded = fold(text).lower()
    match = _DAY_MONTH_NAME.fullmatch(folded)
    if match:
        day, name, year = match.groups()
    else:
        match = _MONTH_NAME_DAY.fullmatch(folded)
        if not match:
            return Problem(_("Not a date: write it as 2022-06-14 or 14/06/2022."))
        name, day, year = match.groups()
    month = MONTHS.get(name)
    if month is None:
        return Problem(_("Not a date: write it as 2022-06-14 or 14/06/2022."))
    # A two-digit year only with a month name ("13-Jun-22"): there it cannot be a day.
    year = int(year) + 2000 if len(year) == 2 else int(year)
    return _day(text, year, month, int(day))


def _day(text, year, month, day):
    try:
        return datetime.date(year, month, day)
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
    """(name, its name_key()) for each name in a contacts cell (separated by ";", "," or
    line breaks), each once."""
    if type(cell) is not str:
        cell = str(cell)
    names, seen = [], set()
    for name in _CONTACT_SEPARATORS.split(cell):
        name = " ".join(name.split())
        key = name_key(name)
        if key and key not in seen:
            seen.add(key)
            names.append((name, key))
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
