"""The pages' FilterSets, applied to the API, with record ids checked before any query.

A record choice (`?series=…`, `?organisation=…`) given an id beyond what the database's
integers hold would fail inside the database (SQLite: OverflowError, PostgreSQL: DataError)
before the form could say "not a valid choice"; here it is a 400 naming the parameter.
"""

from django.utils.translation import gettext as _
from django_filters import ModelChoiceFilter, ModelMultipleChoiceFilter
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import exceptions

LARGEST_ID = 2**63 - 1


def is_record_id(value: str) -> bool:
    return value.isascii() and value.isdigit() and int(value) <= LARGEST_ID


class PageFilterBackend(DjangoFilterBackend):
    def get_filterset(self, request, queryset, view):
        filterset = super().get_filterset(request, queryset, view)
        if filterset is None:
            return None
        errors = {}
        for name, filter_ in filterset.filters.items():
            if isinstance(filter_, (ModelChoiceFilter, ModelMultipleChoiceFilter)):
                values = [v for v in request.query_params.getlist(name) if v != ""]
                if not all(is_record_id(value) for value in values):
                    errors[name] = [_("Give the id of a record (a whole number).")]
        if errors:
            raise exceptions.ValidationError(errors)
        return filterset
