"""What each role may and may not do in the admin (the pages: tests/test_pages.py)."""

import pytest
from django.urls import reverse

from partners.models import Organisation
from tests.factories import make_organisation
from tests.helpers import log_in, organisation_admin_form

pytestmark = pytest.mark.django_db


def logged_in(client, make_user, role):
    log_in(client, make_user(role))
    return client


def organisation_form(name):
    return organisation_admin_form(name=name, kind="cluster")


@pytest.mark.parametrize("role", ["Viewer", "Editor", "Importer", "Administrator"])
def test_every_role_reads_the_admin_lists_and_records(client, make_user, role):
    client = logged_in(client, make_user, role)
    organisation = make_organisation()
    assert client.get(reverse("admin:partners_organisation_changelist")).status_code == 200
    change = reverse("admin:partners_organisation_change", args=[organisation.pk])
    assert client.get(change).status_code == 200


@pytest.mark.parametrize("role", ["Viewer", "Importer"])
def test_readers_cannot_add_change_or_delete(client, make_user, role):
    client = logged_in(client, make_user, role)
    organisation = make_organisation("BioWin")
    assert client.get(reverse("admin:partners_organisation_add")).status_code == 403
    change = reverse("admin:partners_organisation_change", args=[organisation.pk])
    assert client.post(change, organisation_form("Renamed")).status_code == 403
    delete = reverse("admin:partners_organisation_delete", args=[organisation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "BioWin"


def test_an_editor_adds_and_changes_organisations(client, make_user):
    client = logged_in(client, make_user, "Editor")
    response = client.post(reverse("admin:partners_organisation_add"), organisation_form("BioM"))
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="BioM")
    change = reverse("admin:partners_organisation_change", args=[organisation.pk])
    assert client.post(change, organisation_form("BioM Munich")).status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "BioM Munich"


def test_an_editor_cannot_delete(client, make_user):
    client = logged_in(client, make_user, "Editor")
    organisation = make_organisation()
    delete = reverse("admin:partners_organisation_delete", args=[organisation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Organisation.objects.filter(pk=organisation.pk).exists()


@pytest.mark.parametrize("role", ["Viewer", "Editor", "Importer"])
def test_only_administrators_manage_users(client, make_user, role):
    client = logged_in(client, make_user, role)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403


def test_an_administrator_deletes_and_manages_users(client, make_user):
    client = logged_in(client, make_user, "Administrator")
    organisation = make_organisation()
    delete = reverse("admin:partners_organisation_delete", args=[organisation.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 200


def test_staff_without_a_role_see_nothing_in_the_admin(client, make_user):
    log_in(client, make_user(None))
    assert client.get(reverse("admin:partners_organisation_changelist")).status_code == 403
