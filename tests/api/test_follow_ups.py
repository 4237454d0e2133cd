"""Follow-ups through the API: the list page's filters and defaults, and closing as on the pages."""

import datetime

import pytest
from rest_framework.test import APIClient

from events.follow_ups.models import FollowUp
from tests.factories import make_meeting, make_organisation

pytestmark = pytest.mark.django_db


def follow_up(owner=None, **fields):
    fields.setdefault("meeting", make_meeting())
    return FollowUp.objects.create(what=fields.pop("what", "Send the NDA"), owner=owner, **fields)


def listed(client, query=""):
    response = client.get(f"/api/v1/follow-ups/{query}")
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


def test_anonymous_callers_get_401():
    assert APIClient().get("/api/v1/follow-ups/").status_code == 401


def test_a_user_without_a_role_gets_403(api_as):
    assert api_as(None).get("/api/v1/follow-ups/").status_code == 403


def test_the_list_is_the_callers_open_follow_ups_unless_the_filters_say_otherwise(api_as):
    client = api_as("Viewer")
    mine = follow_up(owner=client.user)
    done = follow_up(owner=client.user)
    done.mark_done(client.user)
    someone_elses = follow_up(owner=None)
    assert listed(client) == [mine.pk]
    assert set(listed(client, "?state=all")) == {mine.pk, done.pk}
    assert set(listed(client, "?owner=anyone&state=all")) == {mine.pk, done.pk, someone_elses.pk}
    assert listed(client, "?owner=nobody") == [someone_elses.pk]


def test_a_follow_up_is_read_by_id_whatever_the_list_defaults(api_as):
    client = api_as("Viewer")
    closed = follow_up(owner=None)
    closed.mark_done(client.user)
    body = client.get(f"/api/v1/follow-ups/{closed.pk}/").json()
    assert (body["id"], body["state"], body["owner"]) == (closed.pk, "done", None)


def test_an_editor_creates_a_follow_up_that_is_theirs_by_default(api_as):
    client = api_as("Editor")
    organisation = make_organisation(name="Tartu BT Park")
    response = client.post(
        "/api/v1/follow-ups/",
        {"what": "Send the soft-landing offer", "organisation": organisation.pk},
        format="json",
    )
    assert response.status_code == 201, response.json()
    created = FollowUp.objects.get(pk=response.json()["id"])
    assert (created.owner, created.organisation, created.state) == (
        client.user,
        organisation,
        FollowUp.State.OPEN,
    )
    assert response.json()["owner_name"] == client.user.username
    assert created.history.latest().history_user == client.user


def test_a_follow_up_about_two_things_is_refused_with_the_models_message(api_as):
    client = api_as("Editor")
    body = {"what": "Call", "organisation": make_organisation().pk, "meeting": make_meeting().pk}
    response = client.post("/api/v1/follow-ups/", body, format="json")
    assert response.status_code == 400
    assert "exactly one" in str(response.json())
    assert not FollowUp.objects.exists()


def test_a_viewer_may_not_create_one(api_as):
    client = api_as("Viewer")
    body = {"what": "Call", "organisation": make_organisation().pk}
    assert client.post("/api/v1/follow-ups/", body, format="json").status_code == 403
    assert not FollowUp.objects.exists()


def test_the_owner_marks_their_follow_up_done_and_reopens_it(api_as):
    client = api_as("Viewer")
    task = follow_up(owner=client.user)
    done = client.post(f"/api/v1/follow-ups/{task.pk}/done/")
    assert done.status_code == 200, done.json()
    task.refresh_from_db()
    assert (done.json()["state"], task.state, task.closed_by) == ("done", "done", client.user)
    reopened = client.post(f"/api/v1/follow-ups/{task.pk}/reopen/")
    task.refresh_from_db()
    assert (reopened.json()["state"], task.state, task.closed_at) == ("open", "open", None)


def test_marking_done_twice_keeps_the_first_closing(api_as):
    client = api_as("Viewer")
    task = follow_up(owner=client.user)
    client.post(f"/api/v1/follow-ups/{task.pk}/done/")
    first = FollowUp.objects.get(pk=task.pk).closed_at
    assert client.post(f"/api/v1/follow-ups/{task.pk}/done/").status_code == 200
    assert FollowUp.objects.get(pk=task.pk).closed_at == first


def test_a_viewer_may_not_close_someone_elses_follow_up(api_as, make_user):
    client = api_as("Viewer")
    task = follow_up(owner=make_user("Editor", username="colleague"))
    assert client.post(f"/api/v1/follow-ups/{task.pk}/done/").status_code == 403
    assert FollowUp.objects.get(pk=task.pk).state == FollowUp.State.OPEN


def test_an_editor_closes_anyones_follow_up(api_as, make_user):
    client = api_as("Editor")
    task = follow_up(owner=make_user("Viewer", username="colleague"))
    assert client.post(f"/api/v1/follow-ups/{task.pk}/done/").status_code == 200
    assert FollowUp.objects.get(pk=task.pk).closed_by == client.user


def test_closing_a_follow_up_that_does_not_exist_is_a_404(api_as):
    assert api_as("Editor").post("/api/v1/follow-ups/999999/done/").status_code == 404


def test_pages_follow_the_lists_urgency_order(api_as):
    client = api_as("Viewer")
    today = datetime.date.today()
    later = follow_up(owner=client.user, due_date=today + datetime.timedelta(days=9))
    undated = follow_up(owner=client.user)
    overdue = follow_up(owner=client.user, due_date=today - datetime.timedelta(days=3))
    ids, url = [], "/api/v1/follow-ups/?page_size=1"
    while url:
        body = client.get(url).json()
        ids += [row["id"] for row in body["results"]]
        url = body["next"]
    assert ids == [overdue.pk, later.pk, undated.pk]


# --- A meeting's follow-ups, as the meetings API shows them ---------------------------------


def meeting_body(client, meeting):
    response = client.get(f"/api/v1/meetings/{meeting.pk}/")
    assert response.status_code == 200, response.json()
    return response.json()


def test_a_meeting_shows_its_first_open_task_and_its_follow_up_state(api_as):
    client = api_as("Viewer")
    meeting = make_meeting()
    follow_up(meeting=meeting, what="Sent the deck").mark_done(client.user)
    follow_up(meeting=meeting, what="Call back")
    body = meeting_body(client, meeting)
    assert (body["follow_up"], body["follow_up_status"]) == ("Call back", "pending")


def test_a_meeting_whose_tasks_are_all_done_shows_the_first_as_done(api_as):
    client = api_as("Viewer")
    meeting = make_meeting()
    follow_up(meeting=meeting, what="Sent the deck").mark_done(client.user)
    body = meeting_body(client, meeting)
    assert (body["follow_up"], body["follow_up_status"]) == ("Sent the deck", "done")


def test_a_meeting_without_a_task_has_no_follow_up(api_as):
    body = meeting_body(api_as("Viewer"), make_meeting())
    assert (body["follow_up"], body["follow_up_status"]) == (None, "none")


def test_the_meetings_list_shows_each_meeting_s_follow_up(api_as):
    client = api_as("Viewer")
    follow_up(meeting=make_meeting(make_organisation("Waiting")), what="Call back")
    make_meeting(make_organisation("Quiet"))
    rows = client.get("/api/v1/meetings/").json()["results"]
    assert {(row["follow_up"], row["follow_up_status"]) for row in rows} == {
        (None, "none"),
        ("Call back", "pending"),
    }


def test_writing_a_meeting_s_follow_up_says_to_write_a_task_and_saves_nothing(api_as):
    client = api_as("Editor")
    meeting = make_meeting(topic="Soft landing")
    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"topic": "Changed", "follow_up": "Send the offer", "follow_up_status": "pending"},
        format="json",
    )
    assert response.status_code == 400
    errors = {error["field"]: error["message"] for error in response.json()["errors"]}
    assert set(errors) == {"follow_up", "follow_up_status"}
    assert "/follow-ups/" in errors["follow_up"]
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.follow_ups.count()) == ("Soft landing", 0)
