"""Assertions and request data shared by several test modules."""

import pytest
from django.db import IntegrityError, transaction

# The organisation admin's inline formsets, by prefix (OrganisationAdmin.inlines).
ORGANISATION_INLINES = [
    "aliases",
    "people",
    "partnerships",
    "network_links",
    "member_links",
    "figures",
]


def assert_rejected_by_database(create):
    """`create()` breaks a database constraint (checked by the database, not by a form)."""
    with pytest.raises(IntegrityError), transaction.atomic():
        create()


def organisation_admin_form(**fields):
    """POST data for the organisation admin's add or change form: `fields`, and every inline
    formset empty unless `fields` fills it ("aliases-TOTAL_FORMS": "1", …)."""
    data = {}
    for prefix in ORGANISATION_INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return {**data, **fields}
