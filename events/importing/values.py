"""Reading one cell's value: dates, follow-up and contact names, as pure functions.

Each function takes the cell as the file gives it (text, or a date from an XLSX workbook)
and returns the value, or a `Problem` carrying the reason for the person who wrote the file.
They touch no database: the planner calls them once per distinct cell text.
"""

import datetime
import re

from django.utils.translation import gettext as _

from core.search import fold
from events.models import Meeting


class Problem:
    """Why a cell cannot be read; the planner turns it into a LineError."""

    __slots__ = ("reason",)

    def __init__(self, reason):
        self.reason = reason


_ISO_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2})?.*)?")
_DAY_FIRST = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})(?:[ T]\d{1,2}[:h]\d{2}.*)?")


def parse_date(value):
    """A day from "2022-06-14", "14/06/2022", "14.06.2022" (day first), or an XLSX date."""
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
        if name and fold(name) not in seen:
            seen.add(fold(name))
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
