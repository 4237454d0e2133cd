"""The OpenAPI schema and its Swagger UI page, served by the app itself (no CDN, strict CSP)."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_the_schema_is_openapi_3_and_lists_every_endpoint(api_as):
    response = api_as("Viewer").get("/api/v1/schema/")
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    assert {
        "/api/v1/organisations/",
        "/api/v1/people/",
        "/api/v1/partnerships/",
        "/api/v1/events/",
        "/api/v1/meetings/",
        "/api/v1/projects/",
        "/api/v1/meeting-imports/",
        "/api/v1/meeting-imports/{id}/undo/",
    } <= set(schema["paths"])
    assert "personalToken" in schema["components"]["securitySchemes"]


def test_the_schema_describes_the_pages_filters(api_as):
    schema = yaml.safe_load(api_as("Viewer").get("/api/v1/schema/").content)
    names = {p["name"] for p in schema["paths"]["/api/v1/events/"]["get"]["parameters"]}
    assert {"q", "year", "country", "format", "kind", "series", "sort", "cursor"} <= names


def test_the_docs_page_uses_only_files_the_app_serves(viewer_client):
    response = viewer_client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<style" not in html and "<script>" not in html  # the CSP forbids inline code
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(src.startswith("/") for src in sources), sources
    for src in sources:
        if src.startswith("/static/"):
            assert finders.find(src.removeprefix("/static/")), src
    script = viewer_client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def test_the_docs_page_sends_anonymous_visitors_to_log_in(client):
    assert client.get("/api/v1/docs/")["Location"].startswith("/accounts/login/")
