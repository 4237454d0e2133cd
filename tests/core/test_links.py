"""A record's link is the URL `reverse()` gives, worked out once per view."""

import pytest
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.links import record_url


@pytest.mark.parametrize(
    "viewname",
    [
        "partners:organisation-detail",
        "partners:person-detail",
        "events:event-detail",
        "events:meeting-detail",
        "projects:project-detail",
    ],
)
def test_it_is_the_url_reverse_gives(viewname):
    assert [record_url(viewname, pk) for pk in (1, 42, 10**12)] == [
        reverse(viewname, args=[pk]) for pk in (1, 42, 10**12)
    ]


def test_it_follows_the_script_prefix_the_app_is_served_under():
    try:
        set_script_prefix("/crm/")
        assert record_url("partners:organisation-detail", 7) == "/crm/organisations/7/"
    finally:
        set_script_prefix("/")
    assert record_url("partners:organisation-detail", 7) == "/organisations/7/"


def test_a_view_whose_url_takes_no_id_is_refused_as_reverse_refuses_it():
    with pytest.raises(NoReverseMatch):
        record_url("home", 7)
