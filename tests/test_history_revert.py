"""Reverting a record to an earlier version is a change: only those who may change may revert.

django-simple-history's revert form used to save on POST for anyone allowed to read the history
(issue 15, finding 1): a Viewer renamed organisations and recreated deleted people that way.
"""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from partners.models import Organisation, Person
from tests.factories import make_organisation
from tests.helpers import log_in, organisation_admin_form

pytestmark = pytest.mark.django_db

AUDITED = sorted(
    (
        model
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ),
    key=lambda model: model._meta.label,
)
ROLES = ["Viewer", "Importer", "Editor", "Administrator"]
MAY_WRITE = {"Editor", "Administrator"}


def revert_url(record):
    version = record.history.order_by("history_id").first()
    opts = record._meta
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_simple_history",
        args=[record.pk, version.history_id],
    )


def test_every_audited_model_of_the_admin_is_covered():
    assert len(AUDITED) >= 15
    assert Organisation in AUDITED and Person in AUDITED


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("model", AUDITED, ids=lambda model: model._meta.label)
def test_the_revert_form_is_read_by_all_and_saved_only_by_writers(
    client, make_user, report_data, model, role
):
    record = model._default_manager.order_by("pk").first()
    assert record is not None, f"the report data holds no {model._meta.label}"
    record.save()  # a version to revert to
    log_in(client, make_user(role))
    url = revert_url(record)

    assert client.get(url).status_code == 200
    # An incomplete form: a writer gets it back with its errors, a reader is refused outright.
    status = client.post(url, {}).status_code
    assert status == (200 if role in MAY_WRITE else 403)


@pytest.mark.parametrize("role", ["Viewer", "Importer"])
def test_a_reader_cannot_rename_an_organisation_through_its_history(client, make_user, role):
    organisation = make_organisation("BioWin")
    organisation.save()
    log_in(client, make_user(role))

    response = client.post(
        revert_url(organisation), organisation_admin_form(name="Renamed", kind="cluster")
    )

    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.name == "BioWin"


def test_an_editor_reverts_an_organisation_to_an_earlier_name(client, make_user):
    organisation = make_organisation("BioWin")
    url = revert_url(organisation)
    organisation.name = "BioWin renamed"
    organisation.save()
    log_in(client, make_user("Editor"))

    response = client.post(url, organisation_admin_form(name="BioWin", kind="cluster"))

    assert response.status_code == 302
    organisation.refresh_from_db()
    assert organisation.name == "BioWin"


def test_recreating_a_deleted_record_needs_the_add_permission(client, make_user):
    person = Person.objects.create(
        first_name="Jérôme", last_name="Dupré", organisation=make_organisation()
    )
    url = revert_url(person)
    person.delete()
    changer = make_user(username="changer")
    changer.user_permissions.set(
        Permission.objects.filter(codename__in=["view_person", "change_person"])
    )
    log_in(client, changer)

    assert client.post(url, {}).status_code == 403
    assert not Person.objects.exists()

    changer.user_permissions.add(Permission.objects.get(codename="add_person"))
    log_in(client, changer)
    assert client.post(url, {}).status_code == 200  # allowed: the form comes back with errors
