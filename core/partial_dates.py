"""Dates known to the year or the month, typed and shown as people write them.

A period's start or end is stored as a date and a precision (`DatePrecision`). In forms
it is one text box: "2020", "June 2022" (or "juin 2022", "2022-06", "06/2022") or a full
date in the active language's input format; it is shown back the same way.
"""

import calendar
import datetime
import re
import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from core.models import DatePrecision, format_partial_date

FRENCH_MONTHS = [
    "janvier", "fevrier", "mars", "avril", "mai", "juin",
    "juillet", "aout", "septembre", "octobre", "novembre", "decembre",
]  # fmt: skip
ENGLISH_MONTHS = [calendar.month_name[number].lower() for number in range(1, 13)]


def folded(text):
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def month_number(word):
    """1–12 for a month name or its abbreviation (3 letters at least) in English or
    French, accents and a final dot optional; None otherwise."""
    word = folded(word).rstrip(".")
    if len(word) < 3:
        return None
    for names in (ENGLISH_MONTHS, FRENCH_MONTHS):
        for number, name in enumerate(names, start=1):
            if name.startswith(word):
                return number
    return None


def parse_partial_date(text):
    """(date, precision) for what a person typed; (None, DAY) for nothing.

    Raises ValidationError, saying what is accepted, for anything else.
    """
    text = " ".join(text.split())
    if not text:
        return None, DatePrecision.DAY
    if re.fullmatch(r"\d{4}", text):
        return datetime.date(int(text), 1, 1), DatePrecision.YEAR
    month_year = (
        re.fullmatch(r"(?P<year>\d{4})-(?P<month>\d{1,2})", text)
        or re.fullmatch(r"(?P<month>\d{1,2})/(?P<year>\d{4})", text)
        or re.fullmatch(r"(?P<name>[^\W\d_][\w.]*) (?P<year>\d{4})", text)
    )
    if month_year:
        parts = month_year.groupdict()
        month = month_number(parts["name"]) if parts.get("name") else int(parts["month"])
        if month and 1 <= month <= 12:
            return datetime.date(int(parts["year"]), month, 1), DatePrecision.MONTH
    try:
        return forms.DateField().clean(text), DatePrecision.DAY
    except ValidationError:
        raise ValidationError(
            _("Enter a year (2020), a month (June 2022) or a date (%(example)s)."),
            code="invalid",
            params={"example": formats.localize_input(datetime.date(2022, 6, 14))},
        ) from None


def show_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.DAY:
        return formats.localize_input(value)
    return format_partial_date(value, precision)


class PartialDateField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault(
            "help_text", _("A year (2020), a month (June 2022) or a date, as precise as known.")
        )
        super().__init__(**kwargs)

    def clean(self, value):
        return parse_partial_date(super().clean(value) or "")


class PeriodForm(forms.ModelForm):
    """A model form for a `Period`: "start" and "end" boxes instead of four fields."""

    start = PartialDateField(label=_("Start"))
    end = PartialDateField(label=_("End"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for side in ("start", "end"):
            value = getattr(self.instance, f"{side}_date", None)
            precision = getattr(self.instance, f"{side}_precision", DatePrecision.DAY)
            self.initial.setdefault(side, show_partial_date(value, precision))

    def _post_clean(self):
        # Before the model's own validation, which checks that the end is not before the start.
        for side in ("start", "end"):
            if side in self.cleaned_data:
                value, precision = self.cleaned_data[side]
                setattr(self.instance, f"{side}_date", value)
                setattr(self.instance, f"{side}_precision", precision)
        super()._post_clean()

    def _get_validation_exclusions(self):
        # The dates are not form fields, but the model's checks on them must still run.
        dates = {"start_date", "start_precision", "end_date", "end_precision"}
        return super()._get_validation_exclusions() - dates
