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


def log_in(client, user):
    """Logs `user` in as the log-in page would, second factor included for administrators
    (who must use one to reach the admin): a real authenticator device, verified."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from core.two_factor import must_use_two_factor

    client.force_login(user)
    if must_use_two_factor(user):
        device, _ = TOTPDevice.objects.get_or_create(user=user, name="test phone")
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def meeting_csv_cells(meeting):
    """What the meetings CSV says of `meeting`, read from the instance (one annotated by
    `with_follow_up_state()`), in the active language: the exports' tests compare with it."""
    return [
        meeting.date.isoformat(),
        meeting.get_date_precision_display(),
        meeting.organisation.name,
        meeting.organisation.get_kind_display(),
        meeting.organisation.country.name,
        str(meeting.event or ""),
        "; ".join(str(person) for person in meeting.people.all()),
        "; ".join(str(company) for company in meeting.accompanied_companies.all()),
        meeting.topic,
        meeting.notes,
        meeting.follow_up_what or "",
        meeting.follow_up_state_label,
    ]
