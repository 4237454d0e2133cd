"""Log-in protection, sessions, passwords, deletion safety and audit history."""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Organisation
from tests.factories import make_meeting, make_organisation, make_partnership
from tests.helpers import log_in, organisation_admin_form

pytestmark = pytest.mark.django_db

LOGIN_PAGES = ["login", "admin:login"]


def fail_to_log_in(client, url, username, times):
    for _ in range(times):
        client.post(url, {"username": username, "password": "wrong-password"})


class TestLockOut:
    @pytest.mark.parametrize("login_page", LOGIN_PAGES)
    def test_five_failures_lock_the_user_out_even_with_the_right_password(
        self, client, make_user, login_page
    ):
        make_user("Viewer", username="alice")
        url = reverse(login_page)
        fail_to_log_in(client, url, "alice", 5)
        response = client.post(url, {"username": "alice", "password": "x-Pass-1234"})
        assert response.status_code == 429
        assert "Try again in 15 minutes" in response.content.decode()
        assert "_auth_user_id" not in client.session

    def test_four_failures_still_let_the_right_password_in(self, client, make_user):
        make_user("Viewer", username="alice")
        fail_to_log_in(client, reverse("login"), "alice", 4)
        response = client.post(reverse("login"), {"username": "alice", "password": "x-Pass-1234"})
        assert response.status_code == 302
        assert client.session["_auth_user_id"]

    def test_the_lock_applies_to_that_user_and_address_only(self, client, make_user):
        make_user("Viewer", username="alice")
        make_user("Editor", username="bob")
        fail_to_log_in(client, reverse("login"), "alice", 5)
        response = client.post(reverse("login"), {"username": "bob", "password": "x-Pass-1234"})
        assert response.status_code == 302

    def test_the_lock_lifts_after_fifteen_minutes(self, client, make_user):
        from axes.models import AccessAttempt

        make_user("Viewer", username="alice")
        fail_to_log_in(client, reverse("login"), "alice", 5)
        AccessAttempt.objects.update(
            attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=16)
        )
        response = client.post(reverse("login"), {"username": "alice", "password": "x-Pass-1234"})
        assert response.status_code == 302


def test_sessions_expire_after_a_working_day_without_activity(client, make_user):
    log_in(client, make_user("Viewer"))
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    # Requests push the expiry back (core.sessions.KeepAliveMiddleware, tests/core/).
    assert not settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert client.session.get_expiry_age() == 8 * 60 * 60


@pytest.mark.parametrize("password", ["password", "12345678901", "short"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


class TestDeletingAnOrganisationWithHistory:
    def test_the_admin_refuses_and_lists_what_depends_on_it(self, client, make_user):
        log_in(client, make_user("Administrator"))
        organisation = make_organisation("BioWin")
        make_meeting(organisation=organisation, topic="Cluster meeting")
        make_partnership(organisation=organisation, title="Cluster partnership")
        url = reverse("admin:partners_organisation_delete", args=[organisation.pk])

        page = client.get(url).content.decode()
        assert "would require deleting the following protected related objects" in page
        assert "Cluster partnership" in page
        assert "BioWin (" in page  # the meeting

        client.post(url, {"post": "yes"})
        assert Organisation.objects.filter(pk=organisation.pk).exists()

    def test_an_organisation_without_history_can_be_deleted(self, client, make_user):
        log_in(client, make_user("Administrator"))
        organisation = make_organisation()
        client.post(
            reverse("admin:partners_organisation_delete", args=[organisation.pk]), {"post": "yes"}
        )
        assert not Organisation.objects.filter(pk=organisation.pk).exists()


class TestAuditHistory:
    def change_name(self, client, organisation, name):
        url = reverse("admin:partners_organisation_change", args=[organisation.pk])
        form = client.get(url).context["adminform"].form
        data = {k: v for k, v in form.initial.items() if v is not None and k != "sources"}
        data.update(organisation_admin_form(name=name, kind=organisation.kind))
        response = client.post(url, data)
        assert response.status_code == 302, response.context["adminform"].form.errors

    def test_a_change_in_the_admin_records_who_changed_what(self, client, make_user):
        editor = make_user("Editor", username="eve")
        log_in(client, editor)
        organisation = make_organisation("Tartu Biocluster")
        self.change_name(client, organisation, "Tartu BT Park")

        latest = organisation.history.latest()
        assert latest.history_user == editor
        assert latest.history_type == "~"
        delta = latest.diff_against(latest.prev_record)
        assert [(c.field, c.old, c.new) for c in delta.changes] == [
            ("name", "Tartu Biocluster", "Tartu BT Park")
        ]

    def test_an_earlier_version_can_be_restored_from_the_admin(self, client, make_user):
        log_in(client, make_user("Administrator"))
        organisation = make_organisation("Tartu Biocluster")
        self.change_name(client, organisation, "Tartu BT Park")
        original = organisation.history.earliest()

        url = reverse(
            "admin:partners_organisation_simple_history",
            args=[organisation.pk, original.history_id],
        )
        assert client.get(url).status_code == 200
        client.post(
            url, {"name": "Tartu Biocluster", "kind": "cluster", "_change_history": "Revert"}
        )
        organisation.refresh_from_db()
        assert organisation.name == "Tartu Biocluster"
        assert organisation.history.count() == 3
