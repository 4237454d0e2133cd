"""Each endpoint allows what the role allows in the admin: Viewers read, Editors also add and
change, Administrators also delete; nobody else gets in."""

import pytest
from django.apps import apps
from rest_framework.test import APIClient

from tests.api.records import ENDPOINTS, IDS

pytestmark = pytest.mark.django_db
endpoints = pytest.mark.parametrize(
    ("endpoint", "label", "existing", "new", "field"), ENDPOINTS, ids=IDS
)


def model(label):
    return apps.get_model(label)


@endpoints
def test_anonymous_callers_get_401_as_json(endpoint, label, existing, new, field):
    response = APIClient().get(f"/api/v1/{endpoint}/")
    assert response.status_code == 401
    assert response.json()["message"]


@endpoints
def test_a_user_without_a_role_gets_403(api_as, endpoint, label, existing, new, field):
    assert api_as(None).get(f"/api/v1/{endpoint}/").status_code == 403


@endpoints
def test_a_viewer_lists_and_reads(api_as, endpoint, label, existing, new, field):
    record = existing()
    client = api_as("Viewer")
    listed = client.get(f"/api/v1/{endpoint}/")
    assert listed.status_code == 200
    assert record.pk in [row["id"] for row in listed.json()["results"]]
    assert client.get(f"/api/v1/{endpoint}/{record.pk}/").json()["id"] == record.pk


@endpoints
def test_a_viewer_may_not_write(api_as, endpoint, label, existing, new, field):
    record, body = existing(), new()
    before = model(label).objects.count()
    client = api_as("Viewer")
    assert client.post(f"/api/v1/{endpoint}/", body, format="json").status_code == 403
    url = f"/api/v1/{endpoint}/{record.pk}/"
    assert client.patch(url, {field: "x"}, format="json").status_code == 403
    assert client.delete(url).status_code == 403
    assert model(label).objects.count() == before


@endpoints
def test_an_editor_creates_and_changes(api_as, endpoint, label, existing, new, field):
    client = api_as("Editor")
    created = client.post(f"/api/v1/{endpoint}/", new(), format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    changed = client.patch(f"/api/v1/{endpoint}/{pk}/", {field: "Lyon"}, format="json")
    assert changed.status_code == 200, changed.json()
    assert getattr(model(label).objects.get(pk=pk), field) == "Lyon"


@endpoints
def test_an_editor_may_not_delete(api_as, endpoint, label, existing, new, field):
    record = existing()
    assert api_as("Editor").delete(f"/api/v1/{endpoint}/{record.pk}/").status_code == 403
    assert model(label).objects.filter(pk=record.pk).exists()


@endpoints
def test_an_importer_reads_but_may_not_write(api_as, endpoint, label, existing, new, field):
    client = api_as("Importer")
    assert client.get(f"/api/v1/{endpoint}/").status_code == 200
    assert client.post(f"/api/v1/{endpoint}/", new(), format="json").status_code == 403


@endpoints
def test_an_administrator_deletes(api_as, endpoint, label, existing, new, field):
    record = existing()
    assert api_as("Administrator").delete(f"/api/v1/{endpoint}/{record.pk}/").status_code == 204
    assert not model(label).objects.filter(pk=record.pk).exists()


@endpoints
def test_every_change_is_recorded_in_the_history_under_the_tokens_owner(
    api_as, endpoint, label, existing, new, field
):
    client = api_as("Editor", username="editor-with-token")
    pk = client.post(f"/api/v1/{endpoint}/", new(), format="json").json()["id"]
    client.patch(f"/api/v1/{endpoint}/{pk}/", {field: "Lyon"}, format="json")
    history = model(label).objects.get(pk=pk).history.order_by("history_date")
    assert [(h.history_type, h.history_user.username) for h in history] == [
        ("+", "editor-with-token"),
        ("~", "editor-with-token"),
    ]


def test_a_browser_session_works_too(client, make_user):
    client.force_login(make_user("Viewer"))
    assert client.get("/api/v1/organisations/").status_code == 200


def test_a_session_write_needs_the_csrf_token(make_user):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(make_user("Editor"))
    response = client.post("/api/v1/events/", {"name": "X", "kind": "other"}, format="json")
    assert response.status_code == 403
