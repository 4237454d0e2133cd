"""The daily reminder e-mail (who gets what, once a day, in their language) and the
personal calendar feed (a secret, revocable link)."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from events.follow_ups.models import Subscriber
from events.follow_ups.reminders import send_reminders
from tests.events.follow_up_factories import make_follow_up
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def eve(make_user):
    return make_user("Editor", username="eve", email="eve@example.org", first_name="Eve")


@pytest.fixture
def val(make_user):
    return make_user("Viewer", username="val", email="val@example.org")


def test_each_owner_gets_one_digest_of_what_is_overdue_and_due_this_week(eve, val):
    make_follow_up("Overdue call", days=-3, owner=eve)
    make_follow_up("Brochure <b>soon</b>", days=0, owner=eve)
    make_follow_up("Next month", days=40, owner=eve)
    make_follow_up("Val's overdue", days=-1, owner=val)
    make_follow_up("Unassigned", days=-1)

    call_command("send_follow_up_reminders", "--base-url", "https://crm.example.org/")

    assert sorted(m.to[0] for m in mail.outbox) == ["eve@example.org", "val@example.org"]
    to_eve = next(m for m in mail.outbox if m.to == ["eve@example.org"])
    assert "Overdue call" in to_eve.body and "Brochure <b>soon</b>" in to_eve.body
    assert "Next month" not in to_eve.body
    html = to_eve.alternatives[0][0]
    assert "Brochure &lt;b&gt;soon&lt;/b&gt;" in html
    assert "https://crm.example.org/follow-ups/" in html
    assert to_eve.subject == "Your follow-ups: 1 overdue, 1 due this week"


def test_running_twice_on_one_day_sends_nothing_the_second_time(eve):
    make_follow_up(days=-1, owner=eve)
    assert send_reminders() == ["eve"]
    assert send_reminders() == []
    assert len(mail.outbox) == 1


def test_the_next_day_brings_a_new_reminder(eve):
    make_follow_up(days=-1, owner=eve)
    today = datetime.date.today()
    send_reminders(today=today)
    send_reminders(today=today + datetime.timedelta(days=1))
    assert len(mail.outbox) == 2


def test_nobody_is_written_to_about_done_follow_ups_or_without_an_address(eve, make_user):
    make_follow_up(days=-1, owner=eve).mark_done(eve)
    make_follow_up(days=-1, owner=make_user("Viewer", username="noaddress"))
    assert send_reminders() == []
    assert mail.outbox == []


def test_the_reminder_comes_in_the_owner_s_language(eve):
    Subscriber.objects.create(user=eve, language="fr")
    make_follow_up("Rappeler Tartu", days=-1, owner=eve)
    send_reminders()
    assert mail.outbox[0].subject == "Vos suites à donner : 1 en retard, 0 à faire cette semaine"
    assert "En retard" in mail.outbox[0].body


class TestTheCalendarFeed:
    def feed_url(self, client, user):
        client.force_login(user)
        client.post("/follow-ups/settings/", {"action": "new-link"})
        client.logout()
        token = Subscriber.objects.get(user=user).calendar_token
        assert len(token) >= 40
        return f"/follow-ups/calendar/{token}.ics"

    def test_it_lists_the_owner_s_open_dated_follow_ups_without_logging_in(self, client, eve, val):
        make_follow_up("Call, back; now", days=2, owner=eve, organisation=make_organisation())
        make_follow_up("Someone else's", days=2, owner=val)
        make_follow_up("Done", days=2, owner=eve).mark_done(eve)
        response = client.get(self.feed_url(client, eve))
        assert response.status_code == 200
        assert response["Content-Type"] == "text/calendar; charset=utf-8"
        body = response.content.decode()
        assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
        assert body.count("BEGIN:VEVENT") == 1
        assert "SUMMARY:Call\\, back\\; now" in body
        assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))

    def test_a_wrong_token_is_not_found(self, client, eve):
        self.feed_url(client, eve)
        assert client.get("/follow-ups/calendar/not-the-token.ics").status_code == 404

    def test_a_revoked_or_replaced_token_is_not_found(self, client, eve):
        old = self.feed_url(client, eve)
        new = self.feed_url(client, eve)
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200
        client.force_login(eve)
        client.post("/follow-ups/settings/", {"action": "revoke"})
        assert client.get(new).status_code == 404

    def test_a_deactivated_user_s_feed_is_not_found(self, client, eve):
        url = self.feed_url(client, eve)
        eve.is_active = False
        eve.save()
        assert client.get(url).status_code == 404

    def test_the_settings_page_shows_the_link_only_to_its_owner(self, client, eve, val):
        self.feed_url(client, eve)
        token = Subscriber.objects.get(user=eve).calendar_token
        client.force_login(eve)
        assert token in client.get("/follow-ups/settings/").content.decode()
        client.force_login(val)
        assert token not in client.get("/follow-ups/settings/").content.decode()
