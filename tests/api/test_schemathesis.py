"""Schemathesis against the generated OpenAPI schema, as a Viewer and as an Editor.

For every operation it generates requests from the schema (valid ones and mutated ones),
sends them through the WSGI application, and checks that none gets a 5xx and that every
answer matches the schema (status code, content type, body). Bounded: a fixed number of
examples per operation, no example database, no deadline; the figures are printed
(`pytest -m schemathesis -s`).
"""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from genopole_crm.api.models import ApiToken

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]
EXAMPLES_PER_OPERATION = 8
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def wsgi_application():
    """The real WSGI application, keeping the test's database connection open between
    requests (Django's own test client does the same; otherwise each request's end would
    close it, and the test's transaction with it)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def openapi_schema():
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


def exercise(operation, headers, figures):
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(operation.as_strategy())
    def check(case):
        figures["examples"] += 1
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)

    check()


@pytest.mark.parametrize("role", ["Viewer", "Editor"])
def test_generated_requests_get_no_server_error_and_match_the_schema(
    report_data, make_user, settings, wsgi_application, role
):
    settings.API_TOKEN_RATE = "1000000/min"  # the rate limit has its own test
    _, key = ApiToken.issue(user=make_user(role), name="schemathesis")
    # Uncompressed answers: the schema describes JSON, not the GZip the pages also offer.
    headers = {"Authorization": f"Token {key}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_dict(openapi_schema())
    schema.app = wsgi_application
    figures = {"operations": 0, "examples": 0}
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        figures["operations"] += 1
        try:
            exercise(operation, headers, figures)
        except Exception as failure:  # noqa: BLE001  (collected, reported together below)
            failures.append(f"{operation.verbose_name}: {failure}")
    print(f"\nschemathesis as {role}: {figures} failures={len(failures)}")
    assert failures == []
    assert figures["operations"] >= 30
