"""Every URL of the project, admin included, sends anonymous visitors to log in.

The walk reads the URL configuration itself, so a page added later is covered without
touching this file; its path parameters are filled with real records.
"""

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import URLResolver, get_resolver
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.saved_views.models import SavedView
from events.follow_ups.models import FollowUp, Subscriber
from events.models import ImportRecord
from genopole_crm.api.models import ApiToken
from partners.models import DistinctOrganisations, DistinctPeople, Organisation, Person

pytestmark = pytest.mark.django_db

# Reachable without logging in: logging in and out, resetting a forgotten password, and
# choosing the language of the log-in page. (Static files are served before URL routing.)
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "admin:login",
    "admin:logout",
    # Calendar apps cannot log in: the feed's secret token is its credential (a wrong or
    # revoked one gets 404, tests/events/test_reminders_and_calendar.py).
    "events:calendar-feed",
    # For load balancers; says only whether the server may take requests (test_healthz.py).
    "healthz",
}


def url_patterns(patterns=None, prefix="", namespace=None):
    """(route, name) for every pattern, the included ones with their full prefix."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from url_patterns(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            name = pattern.name and (f"{namespace}:{pattern.name}" if namespace else pattern.name)
            yield prefix + str(pattern.pattern), name


# The REST API answers anonymous callers 401 (they are scripts, not people to redirect).
API = "api/v1/"
# Pages whose parameter is a record of a model their URL name does not spell.
NAMED_MODELS = {"api-token-revoke": ("api", "apitoken")}


def model_of(route, name):
    """The model whose records fill the route's parameters, from its admin path or URL name."""
    if name in NAMED_MODELS:
        return apps.get_model(*NAMED_MODELS[name])
    if route.startswith(API):
        return None
    admin_path = re.match(r"admin/(\w+)/(\w+)/", route)
    if admin_path and admin_path.group(1) in {a.label for a in apps.get_app_configs()}:
        return apps.get_model(*admin_path.groups())
    page = re.match(r"(\w+):(\w+)-(?:detail|done|reopen|edit|update|delete)$", name or "")
    if page:
        return apps.get_model(page.group(1), page.group(2))
    return None


def concrete_path(route, name):
    """The route with each parameter replaced by a real value."""
    model = model_of(route, name)
    record = model._default_manager.order_by("pk").first() if model else None
    if name == "admin:view_on_site":
        organisation = Organisation.objects.first()
        content_type = ContentType.objects.get_for_model(Organisation)
        return f"/admin/r/{content_type.pk}/{organisation.pk}/"
    if record is not None and hasattr(record, "history"):
        history_id = record.history.first().history_id
        route = re.sub(
            r"\(\[\^/\]\+\)/history/\(\[\^/\]\+\)", f"{record.pk}/history/{history_id}", route
        )
    if record is not None:
        route = re.sub(r"<(?:\w+:)?(?:object_id|pk|id)>", str(record.pk), route)
    route = route.replace("<int:year>", "2022").replace("<str:download>", "csv")
    route = re.sub(r"\(\?P<app_label>[^)]*\)", "partners", route)
    if route.startswith(API):
        route = re.sub(r"\(\?P<pk>[^)]*\)", "1", route)
    route = route.replace("(?P<url>.*)", "no-such-page/")
    route = route.replace("<str:kind>", "organisation")
    # Background imports: the report data has none; anonymous visitors are sent away first.
    route = route.replace("imports/<int:pk>/", "imports/1/")
    path = "/" + route.replace("^", "").replace("$", "")
    assert "<" not in path and "(" not in path, f"parameters left unfilled in {path} ({name})"
    return path


WITH_HISTORY = {"partners", "events", "projects", "core"}


@pytest.fixture
def every_kind_of_record(report_data, superuser):
    """At least one record per model with its audit history, for the parameters to point at."""
    for model in apps.get_models():
        if model._meta.app_label in WITH_HISTORY and hasattr(model, "history"):
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                first.save()  # records a version, for the history pages
    FollowUp.objects.create(what="Call back", organisation=Organisation.objects.first())
    Subscriber.objects.create(user=superuser, calendar_token="t" * 43)
    SavedView.objects.create(owner=superuser, name="All", list_name="partners:organisation-list")
    ApiToken.issue(user=superuser, name="walk")
    ImportRecord.objects.create(
        user=superuser, source="admin", file_name="log.csv", checksum="0" * 64, file_size=1
    )
    first, second = Organisation.objects.order_by("pk")[:2]
    DistinctOrganisations.objects.create(first=first, second=second)
    first, second = Person.objects.order_by("pk")[:2]
    DistinctPeople.objects.create(first=first, second=second)
    Group.objects.get_or_create(name="Viewer")
    AccessAttempt.objects.create(username="x", ip_address="127.0.0.1", failures_since_start=1)
    AccessLog.objects.create(username="x", ip_address="127.0.0.1")
    AccessFailureLog.objects.create(username="x", ip_address="127.0.0.1")
    TOTPDevice.objects.create(user=superuser, name="phone")
    StaticDevice.objects.create(user=superuser, name="recovery codes")


ROUTES = sorted((route, name) for route, name in url_patterns() if name not in PUBLIC)


def test_the_walk_covers_the_pages_and_the_admin():
    names = {name for _, name in ROUTES}
    assert {"home", "partners:organisation-detail", "admin:index"} <= names
    assert "admin:partners_organisation_change" in names
    assert len(ROUTES) > 150


@pytest.mark.usefixtures("every_kind_of_record")
def test_anonymous_visitors_are_sent_to_log_in_everywhere(client):
    not_redirected = []
    for route, name in ROUTES:
        path = concrete_path(route, name)
        response = client.get(path)
        location = response.get("Location", "")
        sent_to_log_in = response.status_code == 302 and (
            location.startswith("/accounts/login/") or location.startswith("/admin/login/")
        )
        if route.startswith(API) and name != "api:docs":
            sent_to_log_in = response.status_code == 401
        if not sent_to_log_in:
            not_redirected.append((path, name, response.status_code, location))
    assert not_redirected == []


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_the_public_urls_are_only_those_for_logging_in_and_choosing_a_language(name):
    assert name in {name for _, name in url_patterns()}
