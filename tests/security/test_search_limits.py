"""Finding 4: no search, however long, can keep the database busy; the page says why."""

import subprocess
import sys

import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.urls import reverse

from core.database import StatementTimeoutMiddleware, server_error
from core.search import MAX_SEARCH_WORDS, clean_query
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

LISTS = [
    "partners:organisation-list",
    "partners:person-list",
    "partners:partnership-list",
    "events:event-list",
    "events:meeting-list",
    "projects:project-list",
]
ADMIN_CHANGELISTS = [
    "admin:partners_organisation_changelist",
    "admin:partners_person_changelist",
    "admin:events_event_changelist",
    "admin:events_meeting_changelist",
    "admin:projects_project_changelist",
]
THIRTY_WORDS = " ".join(f"word{n}" for n in range(30))
HUNDRED_KB = "a%b_" * 25_000


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("q", [THIRTY_WORDS, HUNDRED_KB], ids=["30-words", "100-kB"])
def test_a_list_refuses_an_overlong_search_with_a_message(viewer_client, url_name, q):
    response = viewer_client.get(reverse(url_name), {"q": q})
    assert response.status_code == 200
    assert "Search for at most" in response.content.decode()
    assert not response.context["object_list"]


@pytest.mark.parametrize("url_name", LISTS)
def test_a_list_says_how_long_a_search_may_be(viewer_client, url_name):
    response = viewer_client.get(reverse(url_name))
    assert f"Up to {MAX_SEARCH_WORDS} words, 200 characters." in response.content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_a_nul_character_in_a_search_is_refused_with_a_message(viewer_client, url_name):
    response = viewer_client.get(reverse(url_name), {"q": "bio\x00tech"})
    assert response.status_code == 200
    assert "Null characters are not allowed." in response.content.decode()


def test_a_search_within_the_caps_still_finds(viewer_client):
    make_organisation("Grand Orly Seine Bièvre")
    response = viewer_client.get(reverse("partners:organisation-list"), {"q": "orly  bievre"})
    assert [str(o) for o in response.context["object_list"]] == ["Grand Orly Seine Bièvre"]


@pytest.mark.parametrize("q", [" ".join(["bio"] * 300), HUNDRED_KB, "bio\x00"])
def test_the_search_page_refuses_overlong_searches_with_a_message(viewer_client, q):
    response = viewer_client.get(reverse("search"), {"q": q})
    assert response.status_code == 200
    if "\x00" not in q:
        assert "Search for at most" in response.content.decode()
        assert response.context["sections"] == []


@pytest.mark.parametrize("url_name", ADMIN_CHANGELISTS)
def test_the_admin_search_is_capped_too(admin_client, url_name):
    response = admin_client.get(reverse(url_name), {"q": " ".join(["bio"] * 300) + "\x00"})
    assert response.status_code == 200


def test_the_search_keeps_at_most_the_capped_number_of_words():
    assert clean_query(" ".join(f"w{n}" for n in range(50))) == [f"w{n}" for n in range(8)]
    assert clean_query("a\x00b") == ["a", "b"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's statement_timeout")
class TestStatementTimeout:
    def run_in_request(self, sql, path="/organisations/", url_name="organisation-list"):
        def view(request):
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchone()

        request = RequestFactory().get(path)
        middleware = StatementTimeoutMiddleware(view)
        request.resolver_match = type("Match", (), {"url_name": url_name})()
        return middleware(request) if url_name is None else self.through_view(middleware, request)

    def through_view(self, middleware, request):
        inner = middleware.get_response

        def with_process_view(req):
            middleware.process_view(req, inner, (), {})
            return inner(req)

        middleware.get_response = with_process_view
        return middleware(request)

    def test_a_web_request_statement_is_cancelled_after_the_timeout(self, settings):
        settings.WEB_STATEMENT_TIMEOUT_MS = 100
        with pytest.raises(OperationalError, match="statement timeout"):
            self.run_in_request("SELECT pg_sleep(2)")

    def test_web_requests_run_under_the_configured_timeout(self):
        assert self.run_in_request("SHOW statement_timeout") == ("15s",)

    def test_the_import_views_have_no_timeout(self):
        shown = self.run_in_request("SHOW statement_timeout", url_name="events_meeting_import")
        assert shown == ("0",)

    def test_a_cancelled_statement_gets_the_503_page(self, settings):
        settings.WEB_STATEMENT_TIMEOUT_MS = 100
        try:
            self.run_in_request("SELECT pg_sleep(2)")
        except OperationalError:
            response = server_error(RequestFactory().get("/"))
        assert response.status_code == 503
        assert "took too long" in response.content.decode()


def test_an_unreachable_database_gets_a_clean_503_page(tmp_path):
    """A real server process whose database cannot be opened answers 503, not a traceback."""
    script = (
        "import django; django.setup();"
        "from django.test import Client;"
        "c = Client(raise_request_exception=False);"
        "c.cookies['__Host-sessionid'] = 'a-session-to-look-up';"
        "r = c.get('/organisations/', secure=True);"
        "print(r.status_code, r['Retry-After'], b'Temporarily unavailable' in r.content)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "genopole_crm.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "test-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["503", "60", "True"], result.stderr[-2000:]
