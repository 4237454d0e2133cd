"""Daily work on a phone (390 px wide), in Chromium: logging a meeting from an organisation
page with a new contact and a follow-up, then marking the follow-up done from the dashboard.
Screenshots go to test-artifacts/ (daily-*.png)."""

import datetime

import pytest
from django.utils import timezone

from events.follow_ups.models import FollowUp
from events.models import Meeting
from partners.models import Person
from tests.test_browser import ARTIFACTS, PASSWORD, browser, pytestmark  # noqa: F401

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server, report_data, make_user):  # noqa: F811
    """A logged-in Editor's tab at phone size, failing the test on any console error."""
    make_user("Editor", username="camille", first_name="Camille", last_name="Roux")
    context = browser.new_context(base_url=live_server.url, locale="en-GB", viewport=PHONE)
    tab = context.new_page()
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto("/accounts/login/")
    tab.get_by_label("Username").fill("camille")
    tab.get_by_label("Password").fill(PASSWORD)
    tab.get_by_role("button", name="Log in").click()
    tab.wait_for_url(f"{live_server.url}/")
    yield tab
    context.close()
    assert errors == []


def fits_the_screen(tab):
    return tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_logging_a_meeting_on_a_phone_and_marking_its_follow_up_done(phone):
    phone.goto("/organisations/?q=tartu")
    phone.get_by_role("link", name="Tartu BT Park").click()
    phone.get_by_role("link", name="Log a meeting").click()
    phone.wait_for_url("**/meetings/new/?organisation=*")
    assert fits_the_screen(phone)
    # Pre-filled from the organisation page; the event found by typing part of its name.
    assert phone.get_by_role("combobox", name="Organisation met").input_value() == "Tartu BT Park"
    phone.get_by_role("combobox", name="Event").fill("bio europe")
    results = phone.locator("#id_event-results").get_by_role("button")
    results.first.wait_for()
    phone.screenshot(path=ARTIFACTS / "daily-0-event-search-as-you-type.png")
    results.first.click()
    event_name = phone.get_by_role("combobox", name="Event").input_value()
    assert "BIO" in event_name.upper()
    phone.get_by_role("textbox", name="First name").fill("Mari")
    phone.get_by_role("textbox", name="Last name").fill("Kask")
    phone.get_by_role("textbox", name="Job title").fill("Business developer")
    phone.get_by_role("textbox", name="Topic").fill("Soft landing for Genopole companies")
    phone.get_by_role("textbox", name="Follow-up: what is to be done").fill(
        "Send the soft-landing offer"
    )
    due = timezone.localdate() + datetime.timedelta(days=7)
    phone.get_by_label("Follow-up due").fill(due.isoformat())
    phone.screenshot(path=ARTIFACTS / "daily-1-log-meeting-phone.png", full_page=True)
    save = phone.get_by_role("button", name="Save the meeting")
    assert save.bounding_box()["width"] > 300, "the save button spans the phone's width"
    save.click()

    phone.wait_for_url("**/meetings/*/")
    assert phone.get_by_text("Meeting logged").is_visible()
    assert phone.get_by_role("link", name="Mari Kask").is_visible()
    assert fits_the_screen(phone)
    phone.screenshot(path=ARTIFACTS / "daily-2-meeting-logged.png", full_page=True)
    meeting = Meeting.objects.get(organisation__name="Tartu BT Park", topic__startswith="Soft")
    assert meeting.event is not None and str(meeting.event) == event_name
    assert Person.objects.filter(last_name="Kask", organisation=meeting.organisation).exists()
    follow_up = FollowUp.objects.get(meeting=meeting)
    assert (follow_up.owner.username, follow_up.due_date) == ("camille", due)

    phone.goto("/")
    panel = phone.locator("section.my-follow-ups")
    assert panel.get_by_text("Send the soft-landing offer").is_visible()
    phone.screenshot(path=ARTIFACTS / "daily-3-dashboard-follow-up.png", full_page=True)
    panel.get_by_role("button", name="Mark done").first.click()
    phone.wait_for_load_state()
    assert phone.get_by_text("Follow-up marked done").is_visible()
    assert phone.get_by_role("button", name="Undo").is_visible()
    assert fits_the_screen(phone)
    phone.screenshot(path=ARTIFACTS / "daily-4-dashboard-marked-done.png", full_page=True)
    follow_up.refresh_from_db()
    assert follow_up.state == "done" and follow_up.closed_by.username == "camille"
