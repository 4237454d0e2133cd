"""Saved views: a list's filters under a name, private or shared, opened as the same URL."""

import pytest
from django.test import Client

from core.saved_views.models import SavedView

pytestmark = pytest.mark.django_db


@pytest.fixture
def eve(client, make_user):
    user = make_user("Editor", username="eve")
    client.force_login(user)
    return user


def save(client, name="Japanese clusters", query="country=JP&kind=cluster&page=2", **extra):
    return client.post(
        "/saved-views/",
        {"name": name, "list_name": "partners:organisation-list", "query": query, **extra},
    )


def test_saving_keeps_the_filters_and_sort_but_not_the_page_and_opens_the_list(client, eve):
    response = save(client, query="country=JP&kind=cluster&sort=-name&page=2&format=csv")
    view = SavedView.objects.get()
    assert (view.owner, view.name, view.shared) == (eve, "Japanese clusters", False)
    assert view.query == "country=JP&kind=cluster&sort=-name"
    assert response["Location"] == "/organisations/?country=JP&kind=cluster&sort=-name"


def test_the_list_sidebar_and_the_dashboard_list_my_views(client, eve):
    save(client, name="Clusters <b>JP</b>")
    for url in ("/organisations/", "/"):
        page = client.get(url).content.decode()
        assert "Clusters &lt;b&gt;JP&lt;/b&gt;" in page
        assert "/organisations/?country=JP&amp;kind=cluster" in page


def test_a_private_view_is_seen_by_its_owner_only_and_a_shared_one_by_everyone(
    client, eve, make_user
):
    save(client, name="Mine only")
    save(client, name="For the team", shared="on")
    other = Client()
    other.force_login(make_user("Viewer", username="val"))
    page = other.get("/organisations/").content.decode()
    assert "For the team" in page and "Mine only" not in page


def test_a_shared_view_of_a_list_one_may_not_view_is_not_shown(client, eve, make_user):
    save(client, name="Shared organisations", shared="on")
    nobody = make_user(username="nobody")
    other = Client()
    other.force_login(nobody)
    assert SavedView.objects.visible_to(nobody) == []
    assert "Shared organisations" not in other.get("/").content.decode()
    assert other.get(SavedView.objects.get().get_absolute_url()).status_code == 403


def test_saving_a_view_of_a_list_one_may_not_view_is_refused(client, make_user):
    client.force_login(make_user(username="nobody"))
    assert save(client).status_code == 403
    assert not SavedView.objects.exists()


def test_two_views_of_one_list_cannot_share_a_name(client, eve):
    save(client)
    response = save(client, query="country=DE")
    assert response.status_code == 302
    assert SavedView.objects.count() == 1
    assert (
        "already have a view of this list with this name"
        in client.get(response["Location"]).content.decode()
    )


def test_the_owner_renames_updates_and_deletes(client, eve):
    save(client)
    view = SavedView.objects.get()
    client.post(f"/saved-views/{view.pk}/", {"name": "JP", "shared": "on"})
    client.post(f"/saved-views/{view.pk}/update/", {"query": "country=JP"})
    view.refresh_from_db()
    assert (view.name, view.shared, view.query) == ("JP", True, "country=JP")
    assert view.history.count() == 3
    client.post(f"/saved-views/{view.pk}/delete/")
    assert not SavedView.objects.exists()


def test_nobody_else_may_change_a_shared_view(client, eve, make_user):
    save(client, shared="on")
    view = SavedView.objects.get()
    client.force_login(make_user("Administrator", username="ada"))
    assert client.get(f"/saved-views/{view.pk}/").status_code == 404
    assert client.post(f"/saved-views/{view.pk}/update/", {"query": ""}).status_code == 404
    assert client.post(f"/saved-views/{view.pk}/delete/").status_code == 404
    assert SavedView.objects.get().query == "country=JP&kind=cluster"


def test_every_list_page_offers_to_save_its_view(client, eve):
    for url in (
        "/organisations/",
        "/people/",
        "/partnerships/",
        "/events/",
        "/meetings/",
        "/projects/",
        "/follow-ups/",
    ):
        assert "Save this view" in client.get(url).content.decode(), url
