"""Hostile query parameters on every list page and admin changelist: a page, never a 500.

The values come from tests/data/hostile_parameters.json; the parameters from each page's own
filters (the FilterSet's fields, the admin's list filters and date hierarchy), so a filter
added later is covered without touching this file.
"""

import json
from pathlib import Path

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.test_url_walk import url_patterns

pytestmark = pytest.mark.django_db

CORPUS = json.loads((Path(__file__).parent.parent / "data" / "hostile_parameters.json").read_text())
LONG = CORPUS["long_values"]["repeat"] * CORPUS["long_values"]["times"]
ALL_AT_ONCE = [*CORPUS["values"], LONG]
EACH_PARAMETER = [*CORPUS["each_parameter"], LONG]


def list_url_names():
    return sorted(name for _route, name in url_patterns() if name and name.endswith("-list"))


def admin_changelists():
    return sorted(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        for model in admin.site._registry
    )


def filter_parameters(response):
    """The query parameters a list page or changelist reads, taken from the page itself."""
    context = response.context
    if "filter" in context:  # a list page: its FilterSet's form
        names = set(context["filter"].form.fields) | set(CORPUS["generic_list_parameters"])
        return sorted(names)
    changelist = context["cl"]
    names = set(CORPUS["generic_admin_parameters"])
    for spec in changelist.filter_specs:
        names.update(spec.expected_parameters())
    if changelist.date_hierarchy:
        names.update(changelist.date_hierarchy + part for part in CORPUS["date_parts"])
    return sorted(names)


def assert_no_server_error(client, url):
    first = client.get(url)
    assert first.status_code == 200, url
    failures = []
    names = filter_parameters(first)
    # Each parameter alone with the sharpest values (one bad parameter can hide another:
    # the admin stops at the first it refuses), then the whole corpus in every parameter.
    for name in names:
        for value in EACH_PARAMETER:
            if client.get(url, {name: value}).status_code >= 500:
                failures.append(f"{name}={value[:40]!r}")
    for value in ALL_AT_ONCE:
        if client.get(url, dict.fromkeys(names, value)).status_code >= 500:
            failures.append(f"all={value[:40]!r}")
    assert not failures, f"{url}: {len(failures)} server errors: {failures[:20]}"


@pytest.fixture
def client_(admin_client):
    admin_client.raise_request_exception = False
    return admin_client


@pytest.mark.parametrize("url_name", list_url_names())
def test_a_list_page_answers_every_hostile_parameter(client_, url_name):
    assert_no_server_error(client_, reverse(url_name))


@pytest.mark.parametrize("url_name", admin_changelists())
def test_an_admin_changelist_answers_every_hostile_parameter(client_, url_name):
    assert_no_server_error(client_, reverse(url_name))


@pytest.mark.parametrize("url_name", admin_changelists())
@pytest.mark.parametrize("bad_id", ["abc", "99999999999999999999", "-1"])
def test_the_history_of_a_record_that_cannot_exist_is_not_found(client_, url_name, bad_id):
    history = reverse(url_name.replace("_changelist", "_history"), args=[bad_id])
    assert client_.get(history).status_code in (302, 404)
    version = history + "1/"
    if url_name.replace("_changelist", "_simple_history") in {n for _r, n in url_patterns()}:
        assert client_.get(version).status_code in (302, 404)
