"""`/healthz` tells a load balancer whether this app server may take requests."""

import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse

from tests.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db

HEALTH_CHECK = """
from django.test import Client
response = Client().get("/healthz", headers={"host": "crm.example.org"})
print(response.status_code, response.content.decode())
"""


def test_it_answers_200_with_json_without_logging_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "applied"},
    }


def test_it_is_never_cached_by_a_proxy(client):
    assert "no-cache" in client.get(reverse("healthz"))["Cache-Control"]


def test_it_answers_503_when_a_migration_of_the_code_is_not_applied(client):
    latest = MigrationRecorder.Migration.objects.filter(app="events").latest("id")
    MigrationRecorder(connection).record_unapplied(latest.app, latest.name)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "ok", "migrations": "pending"},
    }


def test_it_refuses_to_change_anything(client):
    assert client.post(reverse("healthz")).status_code == 405


def test_it_costs_three_queries(client, django_assert_num_queries):
    # SELECT 1; whether django_migrations exists; the migrations applied.
    with django_assert_num_queries(3):
        assert client.get(reverse("healthz")).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "sqlite:////nonexistent-folder/crm.sqlite3",
        # A port nothing listens on: PostgreSQL is down, or cut off from this server.
        "postgres://postgres:a-secret-password@127.0.0.1:1/crm",
    ],
    ids=["sqlite", "postgresql"],
)
def test_it_answers_503_without_details_when_the_database_is_unreachable(url):
    result = manage("shell", "--no-imports", "-c", HEALTH_CHECK, DATABASE_URL=url, **PRODUCTION)
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "503", result.stdout + result.stderr
    assert json.loads(body) == {"status": "unavailable", "checks": {"database": "unreachable"}}
    assert "secret" not in body and "127.0.0.1" not in body


def test_in_production_it_answers_plain_http_probes_instead_of_redirecting_them():
    # An empty in-memory database: reachable, but with every migration still to apply.
    result = manage(
        "shell", "--no-imports", "-c", HEALTH_CHECK, DATABASE_URL="sqlite:///:memory:", **PRODUCTION
    )
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    assert status == "503", result.stdout + result.stderr
    assert json.loads(body)["checks"] == {"database": "ok", "migrations": "pending"}
