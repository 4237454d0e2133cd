"""The admin's duplicates: the "Possible duplicates" page, "not a duplicate", the merge
action and its confirmation page, and the warning before creating a look-alike."""

import datetime

import pytest
from django.urls import reverse

from partners.models import DistinctOrganisations, Organisation, Person
from tests.factories import make_event, make_meeting, make_organisation, make_person
from tests.helpers import organisation_admin_form

pytestmark = pytest.mark.django_db

DUPLICATES = reverse("admin:partners_organisation_duplicates")
MERGE = reverse("admin:partners_organisation_merge")


@pytest.fixture
def look_alikes():
    return make_organisation("New Science LLC"), make_organisation("New sciences LLC")


def test_the_duplicates_page_lists_each_pair_with_its_score_and_reason(admin_client, look_alikes):
    response = admin_client.get(DUPLICATES)
    page = response.content.decode()
    assert response.status_code == 200
    assert "New sciences LLC" in page and "Similar names (trigram similarity 0.79)" in page
    assert f"?keep={look_alikes[0].pk}&amp;other={look_alikes[1].pk}" in page


def test_the_organisation_list_links_to_the_duplicates_page(admin_client):
    response = admin_client.get(reverse("admin:partners_organisation_changelist"))
    assert DUPLICATES in response.content.decode()


def test_not_a_duplicate_is_remembered_and_the_pair_leaves_the_page(
    admin_client, superuser, look_alikes
):
    first, second = look_alikes
    response = admin_client.post(DUPLICATES, {"first": first.pk, "second": second.pk})
    assert response.status_code == 302
    decision = DistinctOrganisations.objects.get()
    assert (decision.first, decision.second, decision.decided_by) == (first, second, superuser)
    assert "No possible duplicates." in admin_client.get(DUPLICATES).content.decode()


def test_the_merge_action_opens_the_confirmation_page_for_two_records(admin_client, look_alikes):
    first, second = look_alikes
    response = admin_client.post(
        reverse("admin:partners_organisation_changelist"),
        {"action": "merge_selected", "_selected_action": [first.pk, second.pk]},
    )
    assert response.status_code == 302
    assert response.url == f"{MERGE}?keep={first.pk}&other={second.pk}"


def test_the_merge_action_asks_for_exactly_two_records(admin_client, look_alikes):
    response = admin_client.post(
        reverse("admin:partners_organisation_changelist"),
        {"action": "merge_selected", "_selected_action": [look_alikes[0].pk]},
        follow=True,
    )
    assert "Select exactly two records to merge." in response.content.decode()


def test_the_confirmation_page_shows_both_side_by_side_and_announces_conflicts(admin_client):
    keep = make_organisation("Tartu BT Park", city="Tartu")
    other = make_organisation("Tartù Biocluster", website="https://biocluster.example")
    event = make_event("GEN.ERA closing event")
    make_meeting(keep, event=event, date=datetime.date(2022, 6, 14))
    make_meeting(other, event=event, date=datetime.date(2022, 6, 14))

    response = admin_client.get(f"{MERGE}?keep={keep.pk}&other={other.pk}")

    page = response.content.decode()
    assert response.status_code == 200
    assert "https://biocluster.example" in page and "Tartu" in page
    assert "Allowed only once, so made one" in page
    assert "New aliases: Tartù Biocluster" in page
    assert Organisation.objects.filter(pk=other.pk).exists()  # nothing written yet


def test_confirming_merges_and_returns_to_the_kept_record(admin_client, superuser):
    keep = make_organisation("Tartu BT Park")
    other = make_organisation("Tartù Biocluster")
    make_person(other)

    response = admin_client.post(MERGE, {"keep": keep.pk, "other": other.pk})

    assert response.status_code == 302
    assert response.url == reverse("admin:partners_organisation_change", args=[keep.pk])
    assert not Organisation.objects.filter(pk=other.pk).exists()
    assert keep.people.count() == 1
    assert keep.history.first().history_user == superuser


def test_the_merge_page_without_two_records_explains_and_goes_back(admin_client):
    response = admin_client.get(MERGE, follow=True)
    assert "Choose two different existing records to merge." in response.content.decode()


@pytest.mark.parametrize("url", [DUPLICATES, MERGE])
def test_viewers_may_not_see_duplicates_or_merge(client, make_user, url):
    client.force_login(make_user("Viewer"))
    assert client.get(url).status_code == 403


def test_an_editor_who_may_not_delete_may_not_merge(client, make_user, look_alikes):
    client.force_login(make_user("Editor"))
    keep, other = look_alikes
    response = client.post(MERGE, {"keep": keep.pk, "other": other.pk})
    assert response.status_code == 403
    assert Organisation.objects.filter(pk=other.pk).exists()


def test_adding_a_look_alike_organisation_warns_before_saving(admin_client):
    existing = make_organisation("Tartu BT Park", kind="science_park", country="EE")
    form = organisation_admin_form(name="Tartù Biocluster", kind="cluster", country="EE")

    response = admin_client.post(reverse("admin:partners_organisation_add"), form)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This looks like a record that already exists" in page
    assert reverse("admin:partners_organisation_change", args=[existing.pk]) in page
    assert not Organisation.objects.filter(name="Tartù Biocluster").exists()

    form["create_anyway"] = "on"
    response = admin_client.post(reverse("admin:partners_organisation_add"), form)
    assert response.status_code == 302
    assert Organisation.objects.filter(name="Tartù Biocluster").exists()


def test_adding_a_person_twice_at_one_organisation_warns(admin_client):
    genopole = make_organisation("Genopole")
    make_person(genopole, first_name="Étienne", last_name="Philippe")
    response = admin_client.post(
        reverse("admin:partners_person_add"),
        {"first_name": "Etienne", "last_name": "PHILIPPE", "organisation": genopole.pk},
    )
    assert response.status_code == 200
    assert "Same name at the same organisation" in response.content.decode()
    assert Person.objects.count() == 1


def test_the_duplicates_page_shows_a_page_of_pairs_at_a_time_with_their_total(
    admin_client, monkeypatch
):
    from django.contrib import admin

    monkeypatch.setattr(admin.site._registry[Organisation], "duplicates_per_page", 2)
    for name in ["Synsight", "Phagos", "Seppic"]:
        make_organisation(name)
        make_organisation(f"{name.upper()}.")
    first = admin_client.get(DUPLICATES).context
    second = admin_client.get(DUPLICATES, {"page": 2}).context
    assert first["page"].paginator.count == 3
    assert (len(first["candidates"]), len(second["candidates"])) == (2, 1)
    shown = {c.first.name for c in [*first["candidates"], *second["candidates"]]}
    assert shown == {"Synsight", "Phagos", "Seppic"}
    page = admin_client.get(DUPLICATES).content.decode()
    assert "3 pairs may be one record each" in page and "Showing 1 to 2." in page
    # Not a page number: the first page, not an error.
    assert admin_client.get(DUPLICATES, {"page": "abc"}).context["page"].number == 1


def test_not_a_duplicate_returns_to_the_same_page_of_pairs(admin_client, look_alikes):
    first, second = look_alikes
    response = admin_client.post(f"{DUPLICATES}?page=1", {"first": first.pk, "second": second.pk})
    assert response.url == f"{DUPLICATES}?page=1"
