"""Every model in the admin: its list, add and change pages render for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.helpers import organisation_admin_form

pytestmark = pytest.mark.django_db

DOMAIN_APPS = {"partners", "events", "projects"}
REGISTERED = sorted(
    (model for model in admin.site._registry if model._meta.app_label in DOMAIN_APPS),
    key=lambda model: model._meta.label,
)
# Import records come from imports, not from the reports, and are read-only: their pages
# are tested in tests/imports/test_admin.py. "Not a duplicate" decisions come from staff
# (tests/partners/test_duplicates_admin.py). Follow-up settings are each user's own: the
# URL walk (tests/test_url_walk.py) opens their admin pages.
NOT_FROM_REPORTS = {
    "events.ImportRecord",
    "partners.DistinctOrganisations",
    "partners.DistinctPeople",
    "events.Subscriber",
}
FROM_REPORTS = [model for model in REGISTERED if model._meta.label not in NOT_FROM_REPORTS]


def admin_url(model, action, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def test_every_domain_model_is_registered():
    registered = {model._meta.label for model in REGISTERED}
    from django.apps import apps

    expected = {
        model._meta.label
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical")
        # An upload waiting for its confirmation, or for a task worker (followed on its own
        # progress page): the import's plumbing, not back-office data.
        and model.__name__ not in ("ImportPreview", "ImportJob")
    }
    assert registered == expected


def test_the_site_is_titled_genopole_crm(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "Genopole CRM" in response.content.decode()


@pytest.mark.parametrize("model", FROM_REPORTS, ids=lambda m: m._meta.label)
def test_changelist_renders_with_the_report_data(admin_client, report_data, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert model.objects.count() > 0


@pytest.mark.parametrize("model", FROM_REPORTS, ids=lambda m: m._meta.label)
def test_changelist_search_renders(admin_client, report_data, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "Tartù"})
    assert response.status_code == 200


@pytest.mark.parametrize("model", FROM_REPORTS, ids=lambda m: m._meta.label)
def test_add_page_renders(admin_client, model):
    assert admin_client.get(admin_url(model, "add")).status_code == 200


@pytest.mark.parametrize("model", FROM_REPORTS, ids=lambda m: m._meta.label)
def test_change_page_renders(admin_client, report_data, model):
    obj = model.objects.order_by("pk").last()
    response = admin_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("model", FROM_REPORTS, ids=lambda m: m._meta.label)
def test_history_page_renders(admin_client, report_data, model):
    obj = model.objects.order_by("pk").first()
    response = admin_client.get(admin_url(model, "history", obj.pk))
    assert response.status_code == 200


def test_admin_search_ignores_accents_and_finds_aliases(admin_client, report_data):
    from partners.models import Organisation

    response = admin_client.get(admin_url(Organisation, "changelist"), {"q": "tartu biocluster"})
    assert response.context["cl"].result_count == 1
    assert "Tartu BT Park" in response.content.decode()


def test_autocomplete_ignores_accents(admin_client, report_data):
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "bievre",
            "app_label": "events",
            "model_name": "meeting",
            "field_name": "organisation",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Grand Orly Seine Bièvre"]


def test_an_organisation_can_be_added_with_an_alias(admin_client):
    from partners.models import Organisation

    response = admin_client.post(
        admin_url(Organisation, "add"),
        organisation_admin_form(
            name="BioWin",
            kind="cluster",
            country="BE",
            **{"aliases-TOTAL_FORMS": "1", "aliases-0-name": "Pôle BioWin"},
        ),
    )
    assert response.status_code == 302, (
        response.context["adminform"].errors if response.context else ""
    )
    biowin = Organisation.objects.get(name="BioWin")
    assert list(biowin.aliases.values_list("name", flat=True)) == ["Pôle BioWin"]
    assert biowin.history.count() == 1


def test_script_in_user_text_is_shown_escaped_throughout_the_admin(admin_client):
    from tests.factories import (
        make_consortium_member,
        make_event,
        make_meeting,
        make_organisation,
        make_partnership,
        make_person,
    )

    payload = "<script>alert(1)</script>"
    organisation = make_organisation(payload, description=payload)
    records = [
        organisation,
        make_person(organisation, last_name=payload, role=payload),
        make_partnership(organisation, title=payload, notes=payload),
        make_meeting(organisation, event=make_event(payload), topic=payload, notes=payload),
        make_consortium_member(organisation=organisation, notes=payload).project,
    ]
    organisation.save()  # a second version, so the history page shows a change
    for record in records:
        for url in [
            admin_url(type(record), "changelist"),
            admin_url(type(record), "change", record.pk),
            admin_url(type(record), "history", record.pk),
            admin_url(type(record), "delete", record.pk),
        ]:
            content = admin_client.get(url).content.decode()
            assert payload not in content, url
        change_page = admin_client.get(admin_url(type(record), "change", record.pk))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in change_page.content.decode()
