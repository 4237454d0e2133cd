"""The pages in a real browser: Debian's Chromium driven by Playwright, against live_server.

Logs in, filters organisations by country and kind, opens a detail page, switches to
French and downloads a CSV, saving screenshots under test-artifacts/ (git-ignored) for a
person to look at. Skipped, saying why, where /usr/bin/chromium is absent.
"""

import csv
import io
import os
from pathlib import Path

import pytest
from django.conf import settings

from partners.models import Organisation

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
PASSWORD = "x-Pass-1234"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="browser tests need Debian's Chromium at /usr/bin/chromium (apt-get install "
        "chromium; .ci/run installs it)",
    ),
]


@pytest.fixture(scope="module")
def browser():
    """One Chromium for every browser test."""
    from playwright.sync_api import sync_playwright

    # Playwright's synchronous API runs an event loop in this thread; Django refuses ORM
    # calls from a thread with a running loop unless told that it is safe, which it is here:
    # the test code and the ORM do not run concurrently.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server, report_data, make_user):
    """A fresh browser tab, logged in as a Viewer, that fails the test on any console error
    (a blocked inline script or style would be one: the CSP forbids them)."""
    make_user("Viewer", username="alexis", first_name="Alexis", last_name="Biton")
    context = browser.new_context(
        base_url=live_server.url,
        locale="en-GB",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto("/accounts/login/")
    tab.screenshot(path=ARTIFACTS / "01-login.png")
    tab.get_by_label("Username").fill("alexis")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{live_server.url}/")
    yield tab
    context.close()
    assert errors == []


def shown_names(page):
    return page.locator("table tbody tr td:first-child a").all_inner_texts()


def filter_japanese_clusters(page):
    page.get_by_role("link", name="Organisations", exact=True).first.click()
    page.get_by_label("Country").select_option(["JP"])
    page.locator("fieldset").filter(has_text="Kind").get_by_label("Cluster", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/organisations/?*")


def test_a_staff_member_logs_in_and_lands_on_the_dashboard(page):
    assert page.get_by_role("heading", level=1).inner_text() == "International activity in 2022"
    assert page.get_by_role("button", name="Log out").is_visible()
    page.screenshot(path=ARTIFACTS / "02-home.png", full_page=True)


def test_filtering_organisations_by_country_and_kind(page):
    filter_japanese_clusters(page)
    expected = Organisation.objects.filter(country="JP", kind="cluster").order_by("name")
    assert "country=JP" in page.url and "kind=cluster" in page.url
    assert shown_names(page) == [organisation.name for organisation in expected]
    assert shown_names(page), "the report data has Japanese clusters"
    page.screenshot(path=ARTIFACTS / "03-organisations-japan-clusters.png", full_page=True)


def test_opening_an_organisation_page_from_the_list(page):
    page.goto("/organisations/?q=tartu")
    page.get_by_role("link", name="Tartu BT Park").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Tartu BT Park"
    assert page.get_by_role("heading", name="Timeline").is_visible()
    page.screenshot(path=ARTIFACTS / "04-organisation-detail.png", full_page=True)


def test_switching_to_french_keeps_the_page_and_translates_it(page):
    page.goto("/organisations/?q=tartu")
    page.get_by_role("link", name="Tartu BT Park").click()
    page.get_by_role("button", name="Français").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.get_by_role("heading", name="Chronologie").is_visible()
    assert page.get_by_role("heading", level=1).inner_text() == "Tartu BT Park"
    page.screenshot(path=ARTIFACTS / "05-organisation-detail-fr.png", full_page=True)
    page.goto("/organisations/")
    assert page.get_by_role("button", name="Appliquer les filtres").is_visible()


def test_downloading_the_filtered_list_as_csv(page):
    filter_japanese_clusters(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download CSV").click()
    download = download_info.value
    assert download.suggested_filename == "organisations.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert [row[0] for row in rows[1:]] == shown_names(page)


def test_the_pages_fit_a_phone_screen(page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/organisations/?country=JP")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways; only the table may"
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] < 844, "the results start below the first screenful"
    assert not page.get_by_role("button", name="Apply filters").is_visible()
    page.screenshot(path=ARTIFACTS / "06-organisations-phone.png", full_page=True)
    page.get_by_text("Filters", exact=True).click()
    assert page.get_by_role("button", name="Apply filters").is_visible()


def test_the_filters_can_be_used_with_the_keyboard_alone(page):
    page.goto("/organisations/")
    page.get_by_label("Search:", exact=True).focus()
    page.keyboard.type("bievre")
    page.keyboard.press("Enter")
    page.wait_for_url("**/organisations/?*")
    assert shown_names(page) == ["Grand Orly Seine Bièvre"]
