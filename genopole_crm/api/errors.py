"""Every API error as JSON: a message, and for bad fields the path of each one.

    {"message": "Some fields are not valid.",
     "errors": [{"field": "consortium[1].role", "message": "“boss” is not a valid choice."}]}

Database refusals that slip past validation (a row changed meanwhile, a protected link)
become 409s with a message, never a 500.
"""

import logging

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from genopole_crm.api.serializers import as_drf_error

logger = logging.getLogger("genopole_crm.api")


def flatten(detail, path=""):
    """[(field path, message)] from DRF's nested error details."""
    if isinstance(detail, dict):
        pairs = []
        for key, value in detail.items():
            if key in ("non_field_errors", "__all__"):
                child = path
            elif isinstance(key, int) or str(key).isdigit():
                child = f"{path}[{key}]"
            else:
                child = f"{path}.{key}" if path else str(key)
            pairs.extend(flatten(value, child))
        return pairs
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return [(path, str(item)) for item in detail]
        pairs = []
        for index, item in enumerate(detail):
            if item:  # DRF puts {} for the list items that have no error
                pairs.extend(flatten(item, f"{path}[{index}]"))
        return pairs
    return [(path, str(detail))]


def json_exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        exc = as_drf_error(exc)
    elif isinstance(exc, (ProtectedError, RestrictedError)):
        return _error(
            status.HTTP_409_CONFLICT,
            _("Other records still refer to this one; remove or reassign them first."),
        )
    elif isinstance(exc, IntegrityError):
        logger.warning("API write refused by the database: %s", exc)
        return _error(
            status.HTTP_409_CONFLICT,
            _("The database refused this change (it conflicts with another record)."),
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = [{"field": field, "message": message} for field, message in flatten(exc.detail)]
        response.data = {"message": _("Some fields are not valid."), "errors": errors}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"message": str(detail), "errors": []}
    return response


def _error(code, message):
    return Response({"message": message, "errors": []}, status=code)
