"""Configuration comes from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "crm.example.org",
}


def manage(*args, **env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = manage("check", **{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": ""})
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS is required" in result.stderr


def test_without_any_configuration_the_server_refuses_to_start():
    # DJANGO_DEBUG defaults to off: an unconfigured server is production, not debug mode.
    result = manage("check")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is required" in result.stderr
    # …and says how to run a command on one's own machine (the README's commands do).
    assert "DJANGO_DEBUG=1" in result.stderr
    assert manage("check", DJANGO_DEBUG="1").returncode == 0


def test_a_misspelt_boolean_is_an_error_not_a_silent_default():
    result = manage("check", DJANGO_DEBUG="maybe")
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be a boolean" in result.stderr


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_behind_a_redirecting_tls_proxy_the_deployment_checklist_passes_too():
    proxy = {**PRODUCTION, "DJANGO_SECURE_PROXY_HEADER": "1", "DJANGO_SSL_REDIRECT": "0"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", **proxy)
    assert result.returncode == 0, result.stdout + result.stderr


def test_without_a_proxy_turning_the_https_redirect_off_is_still_reported():
    result = manage("check", "--deploy", **{**PRODUCTION, "DJANGO_SSL_REDIRECT": "0"})
    assert "security.W008" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("sqlite:////tmp/x.sqlite3", "django.db.backends.sqlite3"),
        ("postgres://postgres@127.0.0.1:5432/x", "django.db.backends.postgresql"),
    ],
)
def test_database_url_selects_the_engine(url, engine):
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    result = manage("shell", "--no-imports", "-c", code, DATABASE_URL=url, DJANGO_DEBUG="1")
    assert result.stdout.strip() == engine, result.stderr


PRODUCTION_RESPONSE = """
import json
from django.test import Client
response = Client().get("/accounts/login/", secure=True, headers={"host": "crm.example.org"})
print(json.dumps({
    "status": response.status_code,
    "headers": dict(response.headers),
    "cookies": {name: dict(morsel) for name, morsel in response.cookies.items()},
}))
"""


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    """Production settings, with static files collected as a deployment would."""
    environment = {
        **PRODUCTION,
        "DATABASE_URL": "sqlite:///:memory:",
        "DJANGO_STATIC_ROOT": str(tmp_path_factory.mktemp("static")),
    }
    collected = manage("collectstatic", "--noinput", **environment)
    assert collected.returncode == 0, collected.stderr
    return environment


@pytest.fixture(scope="module")
def production_response(production):
    import json

    result = manage("shell", "--no-imports", "-c", PRODUCTION_RESPONSE, **production)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_responses_carry_a_strict_content_security_policy(production_response):
    policy = production_response["headers"]["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_production_responses_forbid_framing_and_leaking_referrers(production_response):
    headers = production_response["headers"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "max-age=31536000" in headers["Strict-Transport-Security"]


def test_production_cookies_are_host_only_secure_and_http_only(production_response):
    csrf = production_response["cookies"]["__Host-csrftoken"]
    assert csrf["secure"] and csrf["httponly"] and csrf["path"] == "/"


def test_production_redirects_plain_http_to_https(production):
    code = (
        "from django.test import Client; "
        "r = Client().get('/accounts/login/', headers={'host': 'crm.example.org'}); "
        "print(r.status_code, r['Location'])"
    )
    result = manage("shell", "--no-imports", "-c", code, **production)
    assert result.stdout.strip().splitlines()[-1] == "301 https://crm.example.org/accounts/login/"


SHARED_STATE = """
import json
from django.conf import settings
database = settings.DATABASES["default"]
print(json.dumps({
    "conn_max_age": database["CONN_MAX_AGE"],
    "conn_health_checks": database["CONN_HEALTH_CHECKS"],
    "options": database.get("OPTIONS", {}),
    "session_engine": settings.SESSION_ENGINE,
    "save_every_request": settings.SESSION_SAVE_EVERY_REQUEST,
    "static_storage": settings.STORAGES["staticfiles"]["BACKEND"],
    "middleware": settings.MIDDLEWARE,
}))
"""


def production_settings(**env):
    import json

    result = manage("shell", "--no-imports", "-c", SHARED_STATE, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_several_app_servers_share_sessions_in_the_database_and_serve_their_own_static_files():
    shape = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert shape["session_engine"] == "django.contrib.sessions.backends.db"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in shape["middleware"]
    assert shape["static_storage"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    # Reading a page does not write the session (core.sessions keeps it alive instead).
    assert shape["save_every_request"] is False


def test_database_connections_persist_and_are_checked_before_reuse():
    shape = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert shape["conn_max_age"] == 60
    assert shape["conn_health_checks"] is True
    assert production_settings(DJANGO_CONN_MAX_AGE="0")["conn_max_age"] == 0


def test_postgresql_connections_turn_the_jit_compiler_off():
    shape = production_settings(DATABASE_URL="postgres://postgres@127.0.0.1:5432/x")
    assert shape["options"]["options"] == "-c jit=off"
    # SQLite has no such option to pass.
    assert "options" not in production_settings(DATABASE_URL="sqlite:////tmp/x.sqlite3")["options"]


@pytest.mark.django_db
def test_on_postgresql_the_connection_really_runs_without_jit():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL setting")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)


def gunicorn_settings(**env):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("GUNICORN_")}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--print-config", "genopole_crm.wsgi"],
        cwd=PROJECT,
        env={**environment, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return dict(
        (name.strip(), value.strip())
        for name, _, value in (line.partition("=") for line in result.stdout.splitlines())
    )


def test_gunicorn_serves_with_threaded_workers_heartbeats_in_memory_and_the_loopback_by_default():
    config = gunicorn_settings()
    assert config["worker_class"] == "gthread"
    assert config["workers"] == str(os.cpu_count() + 1)
    assert config["worker_tmp_dir"] == "/dev/shm"
    assert config["bind"] == "['127.0.0.1:8000']"


def test_gunicorn_takes_its_bind_address_and_workers_from_the_environment():
    config = gunicorn_settings(GUNICORN_BIND="0.0.0.0:9000", GUNICORN_WORKERS="7")
    assert config["bind"] == "['0.0.0.0:9000']"
    assert config["workers"] == "7"
