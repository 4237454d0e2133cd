"""The meeting admin shows, filters and exports a meeting's follow-up from its tasks."""

import csv
import io

import pytest
from django.urls import reverse

from tests.factories import make_follow_up, make_meeting, make_organisation

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_meeting_changelist")
EXPORT = reverse("admin:events_meeting_export")
COLUMNS = ["date", "event", "organisation", "contacts", "topic", "notes", "follow_up"]
EXPORT_FIELDS = {f"meetingresource_{name}": "on" for name in [*COLUMNS, "follow_up_status"]}


@pytest.fixture
def three_meetings():
    waiting = make_meeting(make_organisation("Waiting"))
    make_follow_up(waiting, "Sent the deck", state="done")
    make_follow_up(waiting, "Call back")
    make_follow_up(make_meeting(make_organisation("Closed")), "Sent the offer", state="done")
    make_meeting(make_organisation("Quiet"))
    return waiting


def listed(admin_client, **query):
    response = admin_client.get(CHANGELIST, query)
    assert response.status_code == 200
    return {
        meeting.organisation.name: meeting.follow_up_state_label
        for meeting in response.context["cl"].result_list
    }


def test_the_list_shows_each_meeting_s_follow_up_state_from_its_tasks(admin_client, three_meetings):
    assert listed(admin_client) == {"Waiting": "Pending", "Closed": "Done", "Quiet": "None needed"}


@pytest.mark.parametrize(
    ("state", "shown"), [("pending", {"Waiting"}), ("done", {"Closed"}), ("none", {"Quiet"})]
)
def test_the_list_filters_on_the_tasks_state(admin_client, three_meetings, state, shown):
    assert set(listed(admin_client, follow_up=state)) == shown


def test_the_meeting_s_page_lists_its_tasks(admin_client, three_meetings):
    url = reverse("admin:events_meeting_change", args=[three_meetings.pk])
    content = admin_client.get(url).content.decode()
    assert "Sent the deck" in content and "Call back" in content


def test_the_export_s_follow_up_is_the_first_open_task_and_its_state(admin_client, three_meetings):
    response = admin_client.post(EXPORT, {"format": "0", "resource": "0", **EXPORT_FIELDS})
    rows = csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig")))
    assert sorted((r["organisation"], r["follow-up"], r["follow-up status"]) for r in rows) == [
        ("Closed", "Sent the offer", "done"),
        ("Quiet", "", "none"),
        ("Waiting", "Call back", "pending"),
    ]


def test_a_re_imported_export_adds_no_task(admin_client, three_meetings):
    from events.follow_ups.models import FollowUp
    from events.importing import import_meeting_log

    body = admin_client.post(EXPORT, {"format": "0", "resource": "0", **EXPORT_FIELDS}).getvalue()
    report = import_meeting_log(stream=io.BytesIO(body), file_name="export.csv")
    assert (report.errors, report.created, len(report.unchanged)) == ([], 0, 3)
    assert [item.differences for item in report.unchanged] == [()] * 3
    assert FollowUp.objects.count() == 3


def test_meetings_selected_in_the_list_are_deleted_with_their_tasks(admin_client, three_meetings):
    from events.follow_ups.models import FollowUp
    from events.models import Meeting

    response = admin_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [three_meetings.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Meeting.objects.filter(pk=three_meetings.pk).exists()
    assert FollowUp.objects.filter(meeting=three_meetings.pk).count() == 0
