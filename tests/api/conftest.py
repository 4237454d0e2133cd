import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from genopole_crm.api.models import ApiToken


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # The per-token request counts live in the cache, which outlives a test.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_as(make_user):
    """An API client sending a personal token of a new user with `role` (None: no role)."""

    def client_for(role, username=None):
        user = make_user(role, username=username)
        _, key = ApiToken.issue(user=user, name="tests")
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.user = user
        return client

    return client_for
