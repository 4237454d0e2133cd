"""Errors are JSON with a message and, for each bad field, its path; never a 500."""

import pytest

from events.models import Meeting
from tests.factories import make_consortium_member, make_meeting, make_organisation

pytestmark = pytest.mark.django_db


def fields(response):
    return [error["field"] for error in response.json()["errors"]]


def test_a_nested_error_names_its_full_path(api_as):
    organisation = make_organisation()
    body = {
        "acronym": "X1",
        "status": "running",
        "consortium": [
            {"organisation": organisation.pk, "role": "coordinator"},
            {"organisation": make_organisation().pk, "role": "boss"},
        ],
    }
    response = api_as("Editor").post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert response.json()["message"] == "Some fields are not valid."
    assert fields(response) == ["consortium[1].role"]


def test_two_coordinators_are_refused_before_the_database_is_asked(api_as):
    body = {
        "acronym": "X2",
        "status": "running",
        "consortium": [
            {"organisation": make_organisation().pk, "role": "coordinator"},
            {"organisation": make_organisation().pk, "role": "coordinator"},
        ],
    }
    response = api_as("Editor").post("/api/v1/projects/", body, format="json")
    assert response.status_code == 400
    assert fields(response) == ["consortium[1].role"]


def test_replacing_the_consortium_moves_the_coordinator_role(api_as):
    seat = make_consortium_member(role="coordinator")
    other = make_organisation()
    body = {
        "consortium": [
            {"organisation": seat.organisation_id, "role": "partner"},
            {"organisation": other.pk, "role": "coordinator"},
        ]
    }
    response = api_as("Editor").patch(f"/api/v1/projects/{seat.project_id}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert seat.project.coordinator == other


def test_the_models_own_rules_apply(api_as):
    response = api_as("Editor").post(
        "/api/v1/events/", {"name": "Undated", "kind": "other"}, format="json"
    )
    assert response.status_code == 400
    assert (
        response.json()["errors"][0]["message"] == "An event needs at least the year it took place."
    )


def test_an_alias_another_organisation_uses_is_refused_with_its_index(api_as):
    taken = make_organisation("Biocat")
    taken.aliases.create(name="BC")
    body = {"name": "New", "kind": "cluster", "aliases": ["Fine", "BC"]}
    response = api_as("Editor").post("/api/v1/organisations/", body, format="json")
    assert response.status_code == 400
    assert fields(response) == ["aliases[1]"]


def test_aliases_are_replaced_and_each_change_is_in_the_history(api_as):
    organisation = make_organisation("Medicon Valley Alliance")
    organisation.aliases.create(name="MVA")
    client = api_as("Editor")
    url = f"/api/v1/organisations/{organisation.pk}/"
    response = client.patch(url, {"aliases": ["Medicon", "MVA"]}, format="json")
    assert response.json()["aliases"] == ["MVA", "Medicon"]  # in the order of their names
    assert client.patch(url, {"aliases": []}, format="json").json()["aliases"] == []
    history = organisation.aliases.model.history.order_by("history_id")
    assert [(h.name, h.history_type) for h in history] == [
        ("MVA", "+"),
        ("Medicon", "+"),
        ("MVA", "-"),
        ("Medicon", "-"),
    ]


@pytest.mark.parametrize(
    "body", [b"{not json", b"[]", b'"text"', b"null", b'{"name": ["a"]}', b'{"kind": {}}']
)
def test_malformed_bodies_are_400s(api_as, body):
    response = api_as("Editor").generic(
        "POST", "/api/v1/organisations/", body, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"]


def test_deleting_a_record_others_depend_on_is_a_409(api_as):
    meeting = make_meeting()
    response = api_as("Administrator").delete(f"/api/v1/organisations/{meeting.organisation_id}/")
    assert response.status_code == 409
    assert "refer to this one" in response.json()["message"]
    assert Meeting.objects.filter(pk=meeting.pk).exists()


@pytest.mark.parametrize("pk", ["99999999999999999999999", "abc", "-1"])
def test_an_id_that_cannot_exist_is_a_404(api_as, pk):
    response = api_as("Viewer").get(f"/api/v1/organisations/{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["99999999999999999999999", "x", "1.5"])
def test_a_record_filter_with_an_impossible_id_is_a_400(api_as, value):
    response = api_as("Viewer").get(f"/api/v1/meetings/?organisation={value}")
    assert response.status_code == 400
    assert fields(response) == ["organisation"]


@pytest.mark.parametrize("value", [99999999999999999999999, -5, "x", True])
def test_a_related_record_with_an_impossible_id_is_a_400(api_as, value):
    body = {"first_name": "A", "last_name": "B", "organisation": value}
    response = api_as("Editor").post("/api/v1/people/", body, format="json")
    assert response.status_code == 400
    assert fields(response) == ["organisation"]
