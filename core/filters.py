"""What every list page's FilterSet shares: the `q` search, stable sorting, yes/no choices.

Each list has its own FilterSet in `<app>/filters.py`, with its fields listed explicitly.
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

from core.search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, query_problem


class KnownRecordsField(forms.ModelMultipleChoiceField):
    """Several records chosen by id, refusing with the usual "not a valid value" message
    an id no database column could hold (`?network=99999999999999999999` was a 500: the
    `IN (…)` lookup sends it to the database as it stands)."""

    def _check_values(self, value):
        low, high = connection.ops.integer_field_range("BigIntegerField")
        for pk in value if isinstance(value, list | tuple) else []:
            try:
                fits = low <= int(pk) <= high
            except (TypeError, ValueError):
                continue  # not a number: Django's own check refuses it with its message
            if not fits:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class RecordsFilter(django_filters.ModelMultipleChoiceFilter):
    """`ModelMultipleChoiceFilter` whose ids are checked to fit before reaching the database."""

    field_class = KnownRecordsField


def validate_query(text):
    problem = query_problem(text)
    if problem:
        raise ValidationError(problem)


def search_help():
    return format_lazy(
        _("Up to {words} words, {length} characters."),
        words=MAX_SEARCH_WORDS,
        length=MAX_SEARCH_LENGTH,
    )


YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
# The largest primary key the databases hold (a signed 64-bit integer).
LARGEST_ID = 2**63 - 1


def is_record_id(value) -> bool:
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= LARGEST_ID


def refusing_impossible_ids(field):
    """`field.clean`, first refusing values that cannot be a record's id: looking up
    ?series=99999999999999999999 would fail in the database (SQLite's OverflowError,
    PostgreSQL's DataError) instead of saying "not a valid choice"."""
    clean = field.clean

    def checked(value):
        values = value if isinstance(value, (list, tuple)) else [value]
        for item in values:
            if item not in EMPTY_VALUES and not is_record_id(item):
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return clean(value)

    return checked


class SortFilter(django_filters.OrderingFilter):
    """`?sort=name` or `?sort=-name`, always ending with the primary key.

    The primary key makes the order total, so that a row never appears on two pages; empty
    values sort last in both directions, on SQLite as on PostgreSQL.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", _("Sort by"))
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        # django-filter formats "%s (descending)" when the class is defined, in whatever
        # language is active then; format_lazy waits until the form is shown.
        ascending = [(param, labels.get(field, param)) for field, param in fields.items()]
        descending = [
            (f"-{param}", format_lazy(_("{label} (descending)"), label=label))
            for param, label in ascending
        ]
        return [choice for pair in zip(ascending, descending, strict=True) for choice in pair]

    def filter(self, qs, value):
        params = [param for param in (value or []) if param not in EMPTY_VALUES]
        if params:
            ordering = [self.get_ordering_value(param) for param in params]
        else:
            ordering = list(qs.query.order_by or qs.model._meta.ordering)
        return qs.order_by(*(self.nulls_last(field) for field in ordering), "pk")

    @staticmethod
    def nulls_last(field):
        if field.startswith("-"):
            return F(field[1:]).desc(nulls_last=True)
        return F(field).asc(nulls_last=True)


class ListFilterSet(django_filters.FilterSet):
    """`q` on every list: every word, in any case and with or without accents, in the names,
    acronyms and aliases the model's `search_fields` list."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        validators=[validate_query],
        help_text=search_help(),
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, list_filter in self.filters.items():
            if isinstance(list_filter, django_filters.NumberFilter) and name.endswith("year"):
                # A year the database can hold, as a whole number: "-1", "1e309" or
                # "2020.5" are errors beside the filter, not a server error.
                list_filter.extra.update(min_value=1, max_value=9999, decimal_places=0)

    def search(self, queryset, name, value):
        return queryset.search(value)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "ids_checked", False):
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
                    field.clean = refusing_impossible_ids(field)
            form.ids_checked = True
        return form


def yes_no_filter(**kwargs):
    """A three-way choice (any, yes, no) for a boolean, as a labelled select."""
    return django_filters.BooleanFilter(widget=forms.Select(choices=YES_NO_ANY), **kwargs)
