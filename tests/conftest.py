from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.servers.basehttp import WSGIServer
from django.db import connection, transaction
from django.test.testcases import LiveServerThread
from django.utils import translation

from tests.helpers import log_in

FIXTURES = sorted(str(p) for p in (Path(__file__).parent.parent / "fixtures").glob("*.json"))
DOMAIN_APPS = ("partners", "events", "projects")


def domain_tables():
    """Every table of the domain apps, the many-to-many ones included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in DOMAIN_APPS and not model._meta.proxy
    ]


@pytest.fixture(scope="session")
def report_snapshot(django_db_setup, django_db_blocker):
    """The rows `loaddata fixtures/*.json` produces, captured once for the whole session.

    Loading the fixtures resolves hundreds of natural keys (over a second); copying the
    resulting rows back in takes a few milliseconds, so each test still starts from a known
    state without paying for the load again. tests/test_fixtures.py exercises loaddata itself.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", *FIXTURES, verbosity=0)
        snapshot = [(model, list(model._base_manager.values())) for model in domain_tables()]
        transaction.set_rollback(True)
    return snapshot


@pytest.fixture
def report_data(db, report_snapshot):
    """The database as `make run` serves it: every record derived from the annual reports."""
    # One transaction, so that foreign keys are checked once every table is filled (a
    # transactional test, such as a browser test, would otherwise commit table by table).
    with transaction.atomic():
        for model, rows in report_snapshot:
            model._base_manager.bulk_create([model(**row) for row in rows])
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [m for m, _ in report_snapshot]):
            cursor.execute(sql)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per password; the hash strength is not under test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: on SQLite a rolled-back test's ids are taken
    again by the next one, so a page cached per data version (core.caching) could be met
    again with other rows behind the same ids."""
    cache.clear()


@pytest.fixture(autouse=True)
def english_after_each_test():
    """A French page request leaves French active in the thread (LocaleMiddleware does not
    switch back): the next test starts in the default language, whatever ran before it."""
    yield
    translation.deactivate()


@pytest.fixture
def make_user(django_user_model):
    """A staff member with one of the roles ("Viewer", "Editor", "Importer", "Administrator").

    The roles come from core's post_migrate receiver, which also runs after the flush of a
    transactional test, so they are always there.
    """

    def make(role=None, username=None, **fields):
        fields.setdefault("is_staff", True)
        user = django_user_model.objects.create_user(
            username or (role or "nobody").lower(), password="x-Pass-1234", **fields
        )
        if role:
            user.groups.add(Group.objects.get(name=role))
        return user

    return make


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("root", "root@example.org", "x-Pass-1234")


@pytest.fixture
def admin_client(client, superuser):
    return log_in(client, superuser)


@pytest.fixture
def viewer_client(client, make_user):
    """The test client, logged in as a staff member with the Viewer role."""
    client.force_login(make_user("Viewer"))
    return client


# Shared Playwright fixtures for browser test modules (tests/test_browser_*.py). Debian's
# Chromium, never a Playwright download; modules mark themselves with `browser_only`.
CHROMIUM = Path("/usr/bin/chromium")
browser_only = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install "
        "chromium; .ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium per test module (Playwright's sync API allows one running
    instance at a time, and other modules start their own)."""
    import os

    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; the ORM calls made by
    # the tests never run concurrently with it, so Django may allow them.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def open_tab(chromium, live_server, client):
    """open_tab(user, width=1366, locale="en-GB"): a browser tab logged in as `user`
    (through the session cookie the test client gets, not the log-in form)."""
    from django.conf import settings

    contexts = []

    def open_as(user=None, width=1366, height=900, locale="en-GB"):
        context = chromium.new_context(
            base_url=live_server.url, locale=locale, viewport={"width": width, "height": height}
        )
        if user is not None:
            client.force_login(user)
            cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
            )
        contexts.append(context)
        return context.new_page()

    yield open_as
    for context in contexts:
        context.close()


class _SerialLiveServer(WSGIServer):
    """The live server answering one request at a time (browser tests on SQLite only).

    On SQLite the live server's threads share the test's in-memory connection. Two requests
    at once (a page and its map image) then deadlock inside SQLite as soon as one of them
    calls a Python-defined function or collation (CRM_FOLD, crm_natural): one thread holds
    SQLite's lock waiting for the GIL, the other the GIL waiting for the lock. A real server
    gives each thread its own connection, so this only concerns the test server.
    """

    def __init__(self, *args, connections_override=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.connections_override = connections_override


@pytest.fixture(scope="session", autouse=True)
def serial_live_server_on_sqlite():
    if connection.vendor == "sqlite":
        LiveServerThread.server_class = _SerialLiveServer
    yield
