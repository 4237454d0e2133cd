"""What every list page's FilterSet shares: the `q` search, stable sorting, yes/no choices.

Each list has its own FilterSet in `<app>/filters.py`, with its fields listed explicitly.
"""

import django_filters
from django import forms
from django.db.models import F
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES

YES_NO_ANY = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]


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
        widget=forms.TextInput(attrs={"type": "search"}),
    )

    def search(self, queryset, name, value):
        return queryset.search(value)


def yes_no_filter(**kwargs):
    """A three-way choice (any, yes, no) for a boolean, as a labelled select."""
    return django_filters.BooleanFilter(widget=forms.Select(choices=YES_NO_ANY), **kwargs)
