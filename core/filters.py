"""What every list page's FilterSet shares: the `q` search, stable sorting, yes/no choices.

Each list has its own FilterSet in `<app>/filters.py`, with its fields listed explicitly.
"""

import datetime
import json

import django_filters
from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Case, F, IntegerField, Value, When
from django.http import QueryDict
from django.urls import reverse_lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField
from django_filters.constants import EMPTY_VALUES

from core.search import MAX_SEARCH_LENGTH, MAX_SEARCH_WORDS, fold, query_problem


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
# The largest primary key the databases hold (a signed 64-bit integer): SQLite raises
# OverflowError past it, PostgreSQL a DataError.
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


class LookupInput(forms.TextInput):
    """A record (or several) chosen by search-as-you-type, for filters that choose among
    thousands: the page carries the chosen records' ids and names, never every record (a
    <select> of 100,000 organisations weighed 5 MB). `crm/lookup.js` turns it into a search
    box fed by `/lookup/<kind>/`; without JavaScript it is a text box for record ids,
    separated by commas when several may be chosen.

    The field (ModelChoiceField or ModelMultipleChoiceField) sets `choices`, whose queryset
    names the chosen records: one query, and none when nothing is chosen.
    """

    def __init__(self, kind, multiple=False, attrs=None):
        self.kind = kind
        self.multiple = multiple
        super().__init__(attrs)

    def value_from_datadict(self, data, files, name):
        given = data.getlist(name) if hasattr(data, "getlist") else [data.get(name)]
        ids = [part.strip() for value in given if value for part in value.split(",")]
        ids = [part for part in ids if part]
        if self.multiple:
            return ids
        return ids[0] if len(ids) == 1 else ",".join(ids) or None

    def format_value(self, value):
        if isinstance(value, list | tuple):
            return ",".join(str(v) for v in value if v not in EMPTY_VALUES) or None
        return super().format_value(value)

    def chosen(self, value):
        values = value if isinstance(value, list | tuple) else [value]
        ids = [int(v) for v in values if v not in EMPTY_VALUES and is_record_id(v)]
        choices = getattr(self, "choices", None)
        if not ids or not hasattr(choices, "queryset"):
            return []
        label = choices.field.label_from_instance
        records = choices.queryset.filter(pk__in=ids).order_by()
        return [{"id": record.pk, "label": label(record)} for record in records]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-lookup-url": str(reverse_lazy("lookup", args=[self.kind])),
                "data-lookup-chosen": json.dumps(self.chosen(value), ensure_ascii=False),
                "data-placeholder": _("Type a few letters to search"),
                "data-no-match": _("Nothing found"),
                "data-remove-label": _("Remove"),
                "autocomplete": "off",
            }
        )
        if self.multiple:
            context["widget"]["attrs"]["data-multiple"] = "1"
        return context


class ChosenOnly:
    """A <select> that carries only its chosen records' <option>s, for forms that choose among
    thousands (the quick meeting form): `crm/lookup.js` searches `/lookup/<kind>/` for the
    others and adds the one picked. Validation still takes any record of the field's queryset.
    """

    def optgroups(self, name, value, attrs=None):
        everything = self.choices
        self.choices = type(everything)(everything.field)
        self.choices.queryset = everything.queryset.filter(
            pk__in=[v for v in value if is_record_id(v)]
        )
        try:
            return super().optgroups(name, value, attrs)
        finally:
            self.choices = everything


class ChosenOnlySelect(ChosenOnly, forms.Select):
    pass


class ChosenOnlySelectMultiple(ChosenOnly, forms.SelectMultiple):
    pass


def lookup_filter(kind, queryset, multiple=False, **kwargs):
    """A filter on one record (or several) among thousands, chosen by search-as-you-type."""
    filter_class = (
        django_filters.ModelMultipleChoiceFilter if multiple else django_filters.ModelChoiceFilter
    )
    help_text = (
        _("Type a few letters of the name; without JavaScript, record ids separated by commas.")
        if multiple
        else _("Type a few letters of the name; without JavaScript, the record id.")
    )
    kwargs.setdefault("help_text", help_text)
    return filter_class(queryset=queryset, widget=LookupInput(kind, multiple), **kwargs)


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
            ordering = list(qs.query.order_by or qs.model._meta.ordering)  # search rank, if any
        # The primary key last, in the direction of the first column, so that a (column,
        # id) index read forwards or backwards gives the whole order.
        first = ordering[0] if ordering else "pk"
        pk = "-pk" if isinstance(first, str) and first.startswith("-") else "pk"
        if any(isinstance(f, str) and f.lstrip("-") in ("pk", "id") for f in ordering):
            pk = None
        ordering = [self.nulls_last(field, qs.model) for field in ordering]
        return qs.order_by(*ordering, *([pk] if pk else []))

    @staticmethod
    def nulls_last(field, model=None):
        if not isinstance(field, str):
            return field  # already an expression
        descending = field.startswith("-")
        name = field.lstrip("-")
        expression = translated_names(model, name) if model is not None else None
        if expression is None:
            model_field = _model_field(model, name) if model is not None else None
            if model_field is not None and not model_field.null and "__" not in name:
                return field  # never empty: plainly, so that its index serves the order
            expression = F(name)
        if descending:
            return expression.desc(nulls_last=True)
        return expression.asc(nulls_last=True)


def _model_field(model, path):
    field = None
    for part in path.split("__"):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None  # an annotation
        model = field.related_model or model
    return field


def translated_names(model, path):
    """For a column of codes (a kind, a status, a country), the codes' names in the active
    language, folded, as an SQL CASE: so "Allemagne" sorts before "Belgique" in French,
    "Belgium" before "Germany" in English. None for other columns."""
    field = _model_field(model, path)
    if field is None or field.is_relation:
        return None
    if isinstance(field, CountryField):
        names = list(countries)
    elif field.choices:
        names = list(field.flatchoices)
    else:
        return None
    order = sorted(names, key=lambda choice: fold(str(choice[1])))
    return Case(
        *[When(**{path: code}, then=Value(rank)) for rank, (code, _label) in enumerate(order)],
        default=Value(len(order)),
        output_field=IntegerField(),
    )


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

    def __init__(self, data=None, *args, **kwargs):
        # Bound even to an empty query string, so that a list's first page runs the filters
        # too: its sort then ends with the primary key, as every other page's does (the
        # model's ordering alone left ties, say of partnerships with no start date, in an
        # order other pages did not share, showing a row twice and another never).
        super().__init__(QueryDict() if data is None else data, *args, **kwargs)
        for name, list_filter in self.filters.items():
            if isinstance(list_filter, django_filters.NumberFilter) and name.endswith("year"):
                # A year the database can hold, as a whole number: "-1", "1e309" or
                # "2020.5" are errors beside the filter, not a server error.
                list_filter.extra.update(min_value=1, max_value=9999, decimal_places=0)

    def search(self, queryset, name, value):
        # Ranked (exact name first); SortFilter keeps that order unless a sort is chosen.
        return queryset.ranked_search(value)

    @property
    def form(self):
        form = super().form
        if not getattr(form, "ids_checked", False):
            for field in form.fields.values():
                if isinstance(field, forms.ModelChoiceField) and field.to_field_name is None:
                    field.clean = refusing_impossible_ids(field)
            form.ids_checked = True
        return form


class YesNoField(forms.ChoiceField):
    """Any, yes or no; anything else in the URL is an error shown beside the filter
    (Django's NullBooleanField would silently read it as "any")."""

    def __init__(self, **kwargs):
        kwargs.pop("widget", None)
        super().__init__(choices=YES_NO_ANY, widget=forms.Select, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return {"true": True, "false": False}.get(value)


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


def yes_no_filter(**kwargs):
    """A three-way choice (any, yes, no) for a boolean, as a labelled select."""
    return YesNoFilter(**kwargs)


def applied_filters(filterset):
    """What the filters in use keep, in words ("Cluster", "Japan", "“tartu”"), in form
    order: for the page title and the download's file name."""
    form = filterset.form
    if not form.is_bound:
        return []
    form.is_valid()  # fills cleaned_data with the valid fields, whatever the others
    words = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if name == "sort" or value is None or (not isinstance(value, bool) and not value):
            continue
        if isinstance(field, forms.BooleanField) and value is False:
            continue  # an unticked box filters nothing
        words += describe(field, value)
    return words


def describe(field, value):
    if isinstance(value, bool):
        return [f"{field.label}: {_('Yes') if value else _('No')}"]
    if isinstance(value, datetime.date):
        return [f"{field.label} {value.isoformat()}"]
    if isinstance(value, str) and not getattr(field, "choices", None):
        return [f"“{value}”"]
    if not hasattr(field, "choices"):  # a number: a year
        return [f"{field.label} {value}"]
    if isinstance(field, forms.ModelChoiceField):  # one record, or several
        return [str(record) for record in (value if hasattr(value, "model") else [value])]
    labels = dict(field.choices)
    return [str(labels.get(v, v)) for v in (value if isinstance(value, list | tuple) else [value])]


class QuickCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Django's checkbox list, the same HTML, written in Python.

    Django renders each checkbox through four nested templates (0.25 ms a box: 6 ms for
    the 22 countries of the organisations' filters, 27 ms for their whole form, more than
    the rest of the page's frame). tests/core/test_filters_rendering.py compares the two.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        outer = widget["attrs"]
        html = ["<div", _attr("id", outer.get("id")), _attr("class", outer.get("class")), ">"]
        for group, options, _index in widget["optgroups"]:
            if group:
                html.append(format_html("\n  <div><label>{}</label>", group))
            html.extend(f"<div>\n    {_checkbox(option)}</div>" for option in options)
            if group:
                html.append("\n  </div>")
        html.append("\n</div>")
        return mark_safe("".join(html))


def _attr(name, value):
    return format_html(' {}="{}"', name, value) if value else ""


def _checkbox(option):
    attrs = mark_safe(
        "".join(
            format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value)
            for name, value in option["attrs"].items()
            if value is not False
        )
    )
    value = "" if option["value"] is None else format_html(' value="{}"', option["value"])
    box = format_html(
        '<input type="{}" name="{}"{}{}>\n', option["type"], option["name"], value, attrs
    )
    if not option["wrap_label"]:
        return f"{box}\n"
    label_for = _attr("for", option["attrs"].get("id"))
    return format_html("<label{}>{} {}</label>\n\n", label_for, box, option["label"])
