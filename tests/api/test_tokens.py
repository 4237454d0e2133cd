"""Personal API tokens: created and named on the account page, shown once, stored as a
digest, logged when used, limited in rate, and dead once revoked."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from genopole_crm.api.models import ApiToken, digest

pytestmark = pytest.mark.django_db


def with_key(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def create_on_account_page(client, name="reports"):
    response = client.post(reverse("api-tokens"), {"name": name})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.encode() in response.content
    return key


def test_a_token_is_created_on_the_account_page_and_shown_once(client, make_user):
    client.force_login(make_user("Viewer"))
    key = create_on_account_page(client)
    assert key.encode() not in client.get(reverse("api-tokens")).content
    token = ApiToken.objects.get(name="reports")
    assert token.key_digest == digest(key) and key not in token.key_digest
    assert token.key_start == key[:9]


def test_a_token_needs_a_name(client, make_user):
    client.force_login(make_user("Viewer"))
    response = client.post(reverse("api-tokens"), {"name": ""})
    assert response.status_code == 200 and response.context["form"].errors
    assert ApiToken.objects.count() == 0


def test_a_token_authenticates_as_its_owner_and_records_its_last_use(client, make_user):
    client.force_login(make_user("Viewer"))
    key = create_on_account_page(client)
    assert ApiToken.objects.get().last_used_at is None
    assert with_key(key).get("/api/v1/organisations/").status_code == 200
    assert with_key(f"{key}").get("/api/v1/events/").status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


def test_the_bearer_keyword_works_too(api_as, make_user):
    user = make_user("Viewer")
    _, key = ApiToken.issue(user=user, name="bearer")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/v1/events/").status_code == 200


def test_a_revoked_token_gets_401(client, make_user):
    client.force_login(make_user("Viewer"))
    key = create_on_account_page(client)
    token = ApiToken.objects.get()
    response = client.post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.is_revoked
    response = with_key(key).get("/api/v1/organisations/")
    assert response.status_code == 401
    assert response.json()["message"] == "Invalid or revoked token."


def test_nobody_revokes_someone_elses_token_on_the_account_page(client, make_user):
    token, _ = ApiToken.issue(user=make_user("Editor"), name="theirs")
    client.force_login(make_user("Viewer"))
    assert client.post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert not token.is_revoked


def test_the_account_page_lists_only_ones_own_tokens(client, make_user):
    ApiToken.issue(user=make_user("Editor"), name="theirs")
    client.force_login(make_user("Viewer"))
    create_on_account_page(client, "mine")
    assert [t.name for t in client.get(reverse("api-tokens")).context["tokens"]] == ["mine"]


def test_an_administrator_revokes_anyones_token_in_the_admin(client, make_user):
    token, key = ApiToken.issue(user=make_user("Editor"), name="theirs")
    client.force_login(make_user("Administrator"))
    response = client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    assert with_key(key).get("/api/v1/events/").status_code == 401


def test_an_editor_cannot_reach_the_token_admin(client, make_user):
    client.force_login(make_user("Editor"))
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 403


@pytest.mark.parametrize(
    "header", ["Token", "Token a b", "Token not-a-key", "Bearer \u00e9\u00e9", "Token gcrm_"]
)
def test_a_malformed_or_unknown_token_gets_401(make_user, header):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get("/api/v1/events/")
    assert response.status_code == 401
    assert response.json()["message"]


def test_a_deactivated_users_token_gets_401(make_user):
    user = make_user("Viewer")
    _, key = ApiToken.issue(user=user, name="old")
    user.is_active = False
    user.save()
    assert with_key(key).get("/api/v1/events/").status_code == 401


def test_each_token_is_rate_limited_on_its_own(settings, make_user):
    settings.API_TOKEN_RATE = "3/min"
    _, first = ApiToken.issue(user=make_user("Viewer"), name="one")
    _, second = ApiToken.issue(user=make_user("Editor"), name="two")
    statuses = [with_key(first).get("/api/v1/events/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = with_key(first).get("/api/v1/events/")
    assert limited.json()["message"].startswith("Request was throttled")
    assert int(limited["Retry-After"]) > 0
    assert with_key(second).get("/api/v1/events/").status_code == 200


def test_the_token_key_is_never_in_the_admin(client, make_user):
    token, key = ApiToken.issue(user=make_user("Editor"), name="theirs")
    client.force_login(make_user("Administrator"))
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert page.status_code == 200
    assert key.encode() not in page.content and token.key_digest.encode() not in page.content


def test_each_use_of_a_token_is_logged_with_its_owner(make_user, caplog):
    token, key = ApiToken.issue(user=make_user("Viewer", username="script-owner"), name="log")
    with caplog.at_level("INFO", logger="genopole_crm.api"):
        with_key(key).get("/api/v1/events/?q=bio")
    assert f"API token {token.pk} of script-owner used: GET /api/v1/events/" in caplog.text
    assert key not in caplog.text
