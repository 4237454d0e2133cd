"""Cursor (keyset) pagination that follows whatever order the list's `sort` filter chose.

Every list's FilterSet ends its ordering with the primary key (core.filters.SortFilter),
so the order is total. The cursor carries the last row's sort values; the next page is "the
rows after those values", a condition the database answers from its indexes at any depth,
unlike OFFSET, and a row added or deleted meanwhile never shifts a page.
"""

import base64
import binascii
import json
from collections import OrderedDict

from django.conf import settings
from django.core.exceptions import FieldError, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import F, OrderBy, Q
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param


def _ordering_terms(queryset):
    """(expression, descending) for each ORDER BY term, the primary key last."""
    terms = []
    for term in queryset.query.order_by or ["pk"]:
        if isinstance(term, str):
            descending = term.startswith("-")
            term = F(term.lstrip("-"))
            terms.append((term, descending))
        elif isinstance(term, OrderBy):
            terms.append((term.expression, term.descending))
        else:
            terms.append((term, False))
    if not any(isinstance(e, F) and e.name in ("pk", "id") for e, _ in terms):
        terms.append((F("pk"), False))
    return terms


def _after(names, values, directions):
    """Rows strictly after `values` in an order where NULLs come last either way."""
    name, value, descending = names[0], values[0], directions[0]
    if len(names) == 1:
        return Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
    rest = _after(names[1:], values[1:], directions[1:])
    if value is None:
        # Among the trailing NULLs: only the next keys decide.
        return Q(**{f"{name}__isnull": True}) & rest
    return (
        Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        | Q(**{f"{name}__isnull": True})
        | (Q(**{name: value}) & rest)
    )


class KeysetCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self._page_size(request)
        terms = _ordering_terms(queryset)
        names = [f"cursor_key_{index}" for index in range(len(terms))]
        queryset = queryset.annotate(**{n: e for n, (e, _) in zip(names, terms, strict=True)})
        directions = [descending for _, descending in terms]
        values = self._decode(request, len(names))
        if values is not None:
            try:
                queryset = queryset.filter(_after(names, values, directions))
            except (ValidationError, ValueError, TypeError, FieldError):
                raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]}) from None
        rows = list(queryset[: self.page_size + 1])
        self.has_next = len(rows) > self.page_size
        rows = rows[: self.page_size]
        self.next_values = [getattr(rows[-1], n) for n in names] if self.has_next else None
        return rows

    def _page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return settings.API_PAGE_SIZE
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= settings.API_MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {
                    self.page_size_query_param: [
                        _("A whole number from 1 to %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE}
                    ]
                }
            )
        return size

    def _decode(self, request, length):
        raw = request.query_params.get(self.cursor_query_param)
        if not raw:
            return None
        try:
            values = json.loads(base64.urlsafe_b64decode(raw.encode() + b"=" * (-len(raw) % 4)))
        except (binascii.Error, ValueError, UnicodeError):
            values = None
        # A cursor made for another sort order has another number of keys.
        if not isinstance(values, list) or len(values) != length:
            raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]})
        if any(isinstance(v, (list, dict)) for v in values):
            raise exceptions.ValidationError({"cursor": [_("Invalid cursor.")]})
        return values

    def _encode(self, values):
        text = json.dumps(values, cls=DjangoJSONEncoder)
        return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")

    def get_next_link(self):
        if not self.has_next:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(self.next_values))

    def get_paginated_response(self, data):
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": _("The `next` link's cursor, to get the following page."),
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": _("Rows per page (default 50)."),
                "schema": {"type": "integer", "minimum": 1, "maximum": settings.API_MAX_PAGE_SIZE},
            },
        ]
