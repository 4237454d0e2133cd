"""/meetings/new/: logging a meeting with its people and follow-up outside the admin."""

import datetime

import pytest
from django.utils import timezone

from events.follow_ups.models import FollowUp
from events.models import Meeting
from partners.models import Person
from tests.factories import make_event, make_meeting, make_organisation, make_person

pytestmark = pytest.mark.django_db
URL = "/meetings/new/"


@pytest.fixture
def editor(client, make_user):
    user = make_user("Editor", username="eve")
    client.force_login(user)
    return user


def form(organisation, **fields):
    data = {
        "date": "2026-06-03",
        "organisation": organisation.pk,
        "new-TOTAL_FORMS": "3",
        "new-INITIAL_FORMS": "0",
    }
    return {**data, **fields}


def test_the_form_defaults_to_today_and_is_prefilled_from_the_organisation_or_event(client, editor):
    organisation, event = make_organisation("BioWin"), make_event("BIO-Europe 2026")
    response = client.get(URL, {"organisation": organisation.pk, "event": event.pk})
    assert response.status_code == 200
    form_shown = response.context["form"]
    assert form_shown.initial["date"] == timezone.localdate()
    assert form_shown.initial["organisation"] == organisation.pk
    assert form_shown.initial["event"] == event.pk
    assert form_shown.initial["follow_up_owner"] == editor


def test_the_form_carries_only_the_chosen_records_not_every_one(client, editor):
    chosen, other = make_organisation("BioWin"), make_organisation("Biocat")
    make_person(organisation=other, last_name="Kask")
    page = client.get(URL, {"organisation": chosen.pk}).content.decode()
    assert f'<option value="{chosen.pk}" selected>BioWin</option>' in page
    assert "Biocat" not in page
    assert "Kask" not in page


def test_a_record_picked_by_search_is_accepted_though_the_page_did_not_list_it(client, editor):
    organisation, person = make_organisation("Biocat"), make_person(last_name="Kask")
    response = client.post(URL, form(organisation, people=[person.pk], topic="Soft landing"))
    assert response.status_code == 302
    meeting = Meeting.objects.get(organisation=organisation)
    assert list(meeting.people.all()) == [person]


def test_saving_creates_the_meeting_the_new_people_and_the_follow_up(client, editor):
    organisation = make_organisation("Tartu BT Park")
    known = make_person(organisation, first_name="Kaia", last_name="Tamm")
    response = client.post(
        URL,
        form(
            organisation,
            people=[known.pk],
            topic="Soft landing",
            **{"new-0-first_name": "Jaan", "new-0-last_name": "Kask", "new-0-role": "CEO"},
            follow_up="Send the soft-landing offer",
            follow_up_due="2026-06-10",
            follow_up_owner=editor.pk,
        ),
    )
    meeting = Meeting.objects.get(organisation=organisation)
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    assert sorted(p.full_name for p in meeting.people.all()) == ["Jaan Kask", "Kaia Tamm"]
    assert Person.objects.get(last_name="Kask").organisation == organisation
    follow_up = FollowUp.objects.get(meeting=meeting)
    assert (follow_up.what, follow_up.due_date, follow_up.owner) == (
        "Send the soft-landing offer",
        datetime.date(2026, 6, 10),
        editor,
    )
    assert meeting.history.first().history_user == editor
    page = client.get(response["Location"]).content.decode()
    assert "Meeting logged" in page


def test_a_second_meeting_on_the_same_day_and_event_offers_the_existing_one(client, editor):
    organisation, event = make_organisation(), make_event()
    existing = make_meeting(organisation, event=event, date=datetime.date(2026, 6, 3))
    response = client.post(URL, form(organisation, event=event.pk))
    assert response.status_code == 200
    assert existing.get_absolute_url() in response.content.decode()
    assert "Open the existing meeting" in response.content.decode()
    assert Meeting.objects.count() == 1


def test_a_new_person_needs_both_names_and_nothing_is_saved_otherwise(client, editor):
    organisation = make_organisation()
    response = client.post(URL, form(organisation, **{"new-0-first_name": "Jaan"}))
    assert response.status_code == 200
    assert "needs a first and a last name" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_new_person_already_recorded_is_refused_as_the_admin_would(client, editor):
    organisation = make_organisation()
    make_person(organisation, first_name="Jaan", last_name="Kask")
    response = client.post(
        URL, form(organisation, **{"new-0-first_name": "jaan", "new-0-last_name": "KASK"})
    )
    assert response.status_code == 200
    assert "already recorded at this organisation" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_due_date_without_saying_what_is_to_be_done_is_refused(client, editor):
    response = client.post(URL, form(make_organisation(), follow_up_due="2026-06-10"))
    assert "Say what is to be done" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_future_date_in_a_bad_format_gets_a_message(client, editor):
    response = client.post(URL, form(make_organisation(), date="3 juin"))
    assert response.status_code == 200
    assert response.context["form"].errors["date"]


@pytest.mark.parametrize("role", ["Viewer", "Importer"])
def test_only_those_who_may_add_meetings_get_the_form(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form(make_organisation())).status_code == 403
    assert not Meeting.objects.exists()


def test_organisation_and_event_pages_offer_log_a_meeting_to_editors_only(client, make_user):
    organisation = make_organisation()
    client.force_login(make_user("Viewer"))
    assert "Log a meeting" not in client.get(organisation.get_absolute_url()).content.decode()
    client.force_login(make_user("Editor"))
    page = client.get(organisation.get_absolute_url()).content.decode()
    assert f"/meetings/new/?organisation={organisation.pk}" in page
    event = make_event()
    assert (
        f"/meetings/new/?event={event.pk}" in client.get(event.get_absolute_url()).content.decode()
    )


class TestTheLookUp:
    def test_it_matches_names_and_aliases_ignoring_case_and_accents(self, client, editor):
        bievre = make_organisation("Grand Orly Seine Bièvre")
        make_organisation("Medicon Valley")
        bievre.aliases.create(name="GOSB")
        for q in ("bievre", "BIÈVRE", "gosb"):
            results = client.get("/lookup/organisation/", {"q": q}).json()["results"]
            assert results == [{"id": bievre.pk, "label": "Grand Orly Seine Bièvre"}], q

    def test_it_finds_a_hyphenated_name_typed_with_a_space(self, client, editor):
        event = make_event("BIO-Europe Spring 2021")
        results = client.get("/lookup/event/", {"q": "bio europe spring"}).json()["results"]
        assert [r["id"] for r in results] == [event.pk]

    def test_it_narrows_people_to_one_organisation(self, client, editor):
        here, there = make_organisation(), make_organisation()
        kaia = make_person(here, first_name="Kaia", last_name="Tamm")
        make_person(there, first_name="Kaia", last_name="Tamm")
        results = client.get("/lookup/person/", {"q": "kaia", "organisation": here.pk}).json()
        assert [r["id"] for r in results["results"]] == [kaia.pk]

    def test_it_needs_the_view_permission_of_what_it_looks_up(self, client, make_user):
        client.force_login(make_user())
        assert client.get("/lookup/organisation/", {"q": "bio"}).status_code == 403

    def test_an_unknown_kind_is_not_found(self, client, editor):
        assert client.get("/lookup/user/", {"q": "a"}).status_code == 404


def test_the_form_and_the_follow_up_pages_speak_french(client, editor):
    from django.conf import settings

    from tests.events.follow_up_factories import make_follow_up

    make_follow_up("Rappeler Tartu", owner=editor)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Noter un rendez-vous" in client.get(URL).content.decode()
    assert "Enregistrer le rendez-vous" in client.get(URL).content.decode()
    home = client.get("/").content.decode()
    assert "Mes suites à donner" in home and "Marquer comme fait" in home
    assert "Enregistrer cette vue" in client.get("/follow-ups/").content.decode()
