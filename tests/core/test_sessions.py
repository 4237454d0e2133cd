"""A session stays alive while it is used, without a database write on every page."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from core.sessions import KEPT_ALIVE_AT
from tests.helpers import log_in

pytestmark = pytest.mark.django_db


def expiry_of(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def age_the_session(client, seconds):
    """As if the session had last been kept alive `seconds` ago, expiring accordingly."""
    session = client.session
    session[KEPT_ALIVE_AT] -= seconds
    session.save()
    Session.objects.filter(session_key=session.session_key).update(
        expire_date=timezone.now()
        + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - seconds)
    )


def test_reading_pages_right_after_logging_in_writes_no_session(client, make_user):
    log_in(client, make_user("Viewer"))
    expiry = expiry_of(client)
    client.get(reverse("partners:organisation-list"))
    client.get(reverse("events:event-list"))
    assert expiry_of(client) == expiry


def test_a_page_read_after_the_keep_alive_interval_pushes_the_expiry_back(client, make_user):
    log_in(client, make_user("Viewer"))
    age_the_session(client, settings.SESSION_KEEP_ALIVE_SECONDS + 1)
    before = expiry_of(client)
    client.get(reverse("partners:organisation-list"))
    after = expiry_of(client)
    assert after - before >= datetime.timedelta(seconds=settings.SESSION_KEEP_ALIVE_SECONDS)
    assert after > timezone.now() + datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)


def test_a_page_read_within_the_interval_leaves_the_expiry_alone(client, make_user):
    log_in(client, make_user("Viewer"))
    age_the_session(client, settings.SESSION_KEEP_ALIVE_SECONDS - 60)
    before = expiry_of(client)
    client.get(reverse("partners:organisation-list"))
    assert expiry_of(client) == before


def test_an_anonymous_visit_creates_no_session(client):
    client.get(reverse("login"))
    client.get(reverse("healthz"))
    assert not Session.objects.exists()
