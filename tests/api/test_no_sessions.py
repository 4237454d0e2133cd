"""Scripts calling the API with a token leave no session behind (core.sessions)."""

import pytest
from django.contrib.sessions.models import Session

pytestmark = pytest.mark.django_db


def test_api_calls_with_a_token_start_no_session(api_as):
    client = api_as("Viewer")
    assert client.get("/api/v1/organisations/").status_code == 200
    assert client.get("/api/v1/organisations/").status_code == 200
    assert not Session.objects.exists()
