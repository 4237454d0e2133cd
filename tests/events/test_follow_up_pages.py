"""/follow-ups/: my open follow-ups, overdue first; marking one done and undoing it from the
list, the dashboard, the meeting page and the organisation page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from events.follow_ups.models import FollowUp
from tests.events.follow_up_factories import make_follow_up
from tests.factories import make_event, make_meeting, make_organisation, make_partnership
from tests.pages import listed

pytestmark = pytest.mark.django_db
LIST = "/follow-ups/"


@pytest.fixture
def editor(client, make_user):
    user = make_user("Editor", username="eve", email="eve@example.org")
    client.force_login(user)
    return user


def test_the_list_shows_my_open_follow_ups_overdue_first(client, editor, make_user):
    later = make_follow_up("Later", days=10, owner=editor)
    overdue = make_follow_up("Overdue", days=-2, owner=editor)
    undated = make_follow_up("Undated", days=None, owner=editor)
    make_follow_up("Someone else's", days=-5, owner=make_user("Viewer", username="val"))
    done = make_follow_up("Done", days=-9, owner=editor)
    done.mark_done(editor)

    assert listed(client.get(LIST)) == [str(overdue), str(later), str(undated)]


def test_with_any_state_what_is_still_to_be_done_comes_first_then_the_done(client, editor):
    done_long_ago = make_follow_up("Done long ago", days=-30, owner=editor)
    done_long_ago.mark_done(editor)
    undated = make_follow_up("Undated", days=None, owner=editor)
    later = make_follow_up("Later", days=10, owner=editor)
    overdue = make_follow_up("Overdue", days=-2, owner=editor)
    done_undated = make_follow_up("Done, undated", days=None, owner=editor)
    done_undated.mark_done(editor)

    assert listed(client.get(LIST, {"state": "all"})) == [
        str(overdue), str(later), str(undated), str(done_long_ago), str(done_undated)
    ]  # fmt: skip


def test_the_owner_filter_shows_anyone_nobody_or_one_person(client, editor, make_user):
    val = make_user("Viewer", username="val")
    mine = make_follow_up("Mine", owner=editor)
    theirs = make_follow_up("Theirs", owner=val)
    nobodys = make_follow_up("Nobody's")
    assert set(listed(client.get(LIST, {"owner": "anyone"}))) == {
        str(mine),
        str(theirs),
        str(nobodys),
    }
    assert listed(client.get(LIST, {"owner": "nobody"})) == [str(nobodys)]
    assert listed(client.get(LIST, {"owner": val.pk})) == [str(theirs)]


def test_filtering_by_organisation_includes_its_meetings_and_partnerships(client, editor):
    organisation = make_organisation("BioWin")
    direct = make_follow_up("Direct", organisation=organisation, owner=editor)
    via_meeting = make_follow_up("Meeting", meeting=make_meeting(organisation), owner=editor)
    via_partnership = make_follow_up(
        "Partnership", partnership=make_partnership(organisation), owner=editor
    )
    make_follow_up("Elsewhere", owner=editor)
    shown = listed(client.get(LIST, {"organisation": organisation.pk}))
    assert set(shown) == {str(direct), str(via_meeting), str(via_partnership)}


def test_filtering_by_event_and_due_date(client, editor):
    event = make_event("BIO 2022")
    at_event = make_follow_up("At BIO", days=1, meeting=make_meeting(event=event), owner=editor)
    overdue = make_follow_up("Late", days=-1, owner=editor)
    far = make_follow_up("Far", days=40, owner=editor)
    assert listed(client.get(LIST, {"event": event.pk})) == [str(at_event)]
    assert listed(client.get(LIST, {"due": "overdue"})) == [str(overdue)]
    assert str(far) not in listed(client.get(LIST, {"due": "week"}))


def test_marking_done_records_who_and_when_and_undo_reopens(client, editor):
    follow_up = make_follow_up(owner=editor)
    response = client.post(reverse("events:followup-done", args=[follow_up.pk]), {"next": LIST})
    assert response.status_code == 302 and response["Location"] == LIST
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.closed_by) == ("done", editor)
    assert follow_up.closed_at is not None
    assert follow_up.history.first().history_user == editor

    client.post(reverse("events:followup-reopen", args=[follow_up.pk]), {"next": LIST})
    follow_up.refresh_from_db()
    assert (follow_up.state, follow_up.closed_by, follow_up.closed_at) == ("open", None, None)


def test_mark_done_is_a_post_only_action(client, editor):
    follow_up = make_follow_up(owner=editor)
    assert client.get(reverse("events:followup-done", args=[follow_up.pk])).status_code == 405


def test_a_viewer_closes_their_own_follow_ups_but_not_others(client, make_user):
    viewer = make_user("Viewer", username="val")
    client.force_login(viewer)
    own = make_follow_up(owner=viewer)
    other = make_follow_up()
    assert client.post(reverse("events:followup-done", args=[own.pk])).status_code == 302
    assert client.post(reverse("events:followup-done", args=[other.pk])).status_code == 403
    other.refresh_from_db()
    assert other.state == "open"


def test_someone_without_a_role_sees_no_follow_ups(client, make_user):
    client.force_login(make_user())
    assert client.get(LIST).status_code == 403
    assert "My follow-ups" not in client.get("/").content.decode()


def test_the_dashboard_lists_my_follow_ups_and_offers_undo_after_marking_done(client, editor):
    follow_up = make_follow_up("Call <b>Tartu</b> back", owner=editor)
    page = client.get("/").content.decode()
    assert "Call &lt;b&gt;Tartu&lt;/b&gt; back" in page
    assert reverse("events:followup-done", args=[follow_up.pk]) in page

    client.post(reverse("events:followup-done", args=[follow_up.pk]), {"next": "/"})
    page = client.get("/").content.decode()
    assert reverse("events:followup-reopen", args=[follow_up.pk]) in page


def test_meeting_and_organisation_pages_show_their_open_follow_ups(client, editor):
    organisation = make_organisation("Medicon Valley Alliance")
    meeting = make_meeting(organisation)
    follow_up = make_follow_up("Introduce Synsight", meeting=meeting, owner=editor)
    for url in (meeting.get_absolute_url(), organisation.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Introduce Synsight" in page
        assert reverse("events:followup-done", args=[follow_up.pk]) in page


def test_the_follow_up_list_is_escaped(client, editor):
    make_follow_up("<script>alert(1)</script>", owner=editor)
    page = client.get(LIST).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_a_follow_up_is_about_exactly_one_thing_in_the_database():
    from tests.helpers import assert_rejected_by_database

    organisation = make_organisation()
    assert_rejected_by_database(
        lambda: FollowUp.objects.create(what="x", organisation=organisation, meeting=make_meeting())
    )
    assert_rejected_by_database(lambda: FollowUp.objects.create(what="x"))


def test_a_done_follow_up_has_a_closing_time_in_the_database():
    from tests.helpers import assert_rejected_by_database

    organisation = make_organisation()
    assert_rejected_by_database(
        lambda: FollowUp.objects.create(what="x", organisation=organisation, state="done")
    )


def test_an_organisation_page_shows_its_most_urgent_follow_ups_and_links_to_the_others(
    client, editor
):
    organisation = make_organisation("Tartu BT Park")
    meeting = make_meeting(organisation)
    for day in range(25):
        due = datetime.date(2030, 1, 1) + datetime.timedelta(days=day)
        FollowUp.objects.create(meeting=meeting, what=f"Task due in {day} days", due_date=due)
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert page.count('id="follow-up-') == 20
    assert "Task due in 0 days" in page and "Task due in 24 days" not in page
    assert "The first 20 of 25: see them all in the list" in page
    link = f"/follow-ups/?organisation={organisation.pk}&amp;owner=anyone"
    assert link in page
    listed_there = client.get(link.replace("&amp;", "&"))
    assert len(listed_there.context["object_list"]) == 25


def test_an_organisation_page_with_few_open_follow_ups_shows_those_and_counts_the_done(
    client, editor
):
    organisation = make_organisation("BioWin")
    meeting = make_meeting(organisation)
    for number in range(30):
        FollowUp.objects.create(meeting=meeting, what=f"Done {number}", state="done",
                                closed_at=timezone.now())  # fmt: skip
    for number in range(3):
        FollowUp.objects.create(meeting=meeting, what=f"Still open {number}")
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert page.count('id="follow-up-') == 3
    assert "Still open 2" in page and "Done 0" not in page
    assert "30 follow-ups done" in page and "The first" not in page
