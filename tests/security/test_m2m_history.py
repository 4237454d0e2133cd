"""Finding 8: many-to-many changes (people met, sources, companies accompanied) are in the
audit history, attributed to whoever made them, whichever way they were made."""

import datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse
from rest_framework.test import APIClient
from simple_history.models import HistoricalRecords

from events.importing import import_meeting_log, undo_import
from events.models import Meeting, Participation
from genopole_crm.api.models import ApiToken
from partners.merging import merge_organisations, merge_people
from partners.models import Organisation, Person, Report
from tests.factories import make_event, make_meeting, make_organisation, make_person
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

FIXTURES = sorted(str(p) for p in (Path(__file__).parents[2] / "fixtures").glob("*.json"))


def people_of(version):
    """The people a history version of a meeting kept, by name."""
    return sorted(str(link.person) for link in version.people.all())


def latest(meeting):
    return meeting.history.order_by("-history_date", "-history_id").first()


@pytest.fixture
def tartu():
    organisation = make_organisation("Tartu BT Park")
    return {
        "organisation": organisation,
        "meeting": make_meeting(organisation, topic="Soft landing"),
        "mari": make_person(organisation, first_name="Mari", last_name="Kask"),
        "jaan": make_person(organisation, first_name="Jaan", last_name="Tamm"),
    }


def admin_change_data(client, url, **changes):
    """The admin change form's data as the page shows it, with `changes` applied."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = {}
    for name, value in model_to_dict(form.instance, fields=form.fields).items():
        if isinstance(value, list):
            data[name] = [item.pk for item in value]
        elif value is not None:
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        prefix = inline.formset.prefix
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = "0"
    return {**data, **changes}


def test_every_relation_of_an_audited_model_is_recorded_but_through_models_audited_themselves():
    for model in apps.get_models():
        if not hasattr(model._meta, "simple_history_manager_attribute"):
            continue
        history = model.history.model
        tracked = {relation.name for relation in history._history_m2m_fields}
        for relation in model._meta.many_to_many:
            through = relation.remote_field.through
            if through._meta.auto_created:
                assert relation.name in tracked, f"{model._meta.label}.{relation.name}"
            else:  # Membership, ConsortiumMember: rows with a history of their own
                assert hasattr(through._meta, "simple_history_manager_attribute")


def test_a_person_met_added_in_the_admin_is_in_the_history_by_who_added_them(
    client, make_user, tartu
):
    editor = make_user("Editor", username="eve")
    log_in(client, editor)
    meeting = tartu["meeting"]
    url = reverse("admin:events_meeting_change", args=[meeting.pk])

    response = client.post(url, admin_change_data(client, url, people=[tartu["mari"].pk]))

    assert response.status_code == 302
    version = latest(meeting)
    assert people_of(version) == ["Mari Kask"]
    assert version.history_user == editor


def test_the_quick_meeting_form_records_the_people_met(client, make_user, tartu):
    editor = make_user("Editor", username="eve")
    client.force_login(editor)
    response = client.post(
        "/meetings/new/",
        {
            "date": "2026-06-03",
            "organisation": tartu["organisation"].pk,
            "people": [tartu["mari"].pk],
            "new-TOTAL_FORMS": "1",
            "new-INITIAL_FORMS": "0",
            "new-0-first_name": "Kaia",
            "new-0-last_name": "Saar",
        },
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(date=datetime.date(2026, 6, 3))
    version = latest(meeting)
    assert people_of(version) == ["Kaia Saar", "Mari Kask"]
    assert version.history_user == editor


def test_people_added_and_removed_through_the_api_are_in_the_history(make_user, tartu):
    meeting, mari, jaan = tartu["meeting"], tartu["mari"], tartu["jaan"]
    meeting.people.add(jaan)
    editor = make_user("Editor", username="api-eve")
    _token, key = ApiToken.issue(user=editor, name="tests")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.patch(
        f"/api/v1/meetings/{meeting.pk}/", {"people": [mari.pk]}, format="json"
    )

    assert response.status_code == 200, response.content
    version = latest(meeting)
    assert people_of(version) == ["Mari Kask"]
    assert version.history_user == editor


def test_an_import_records_each_meeting_s_people_and_undo_the_people_it_takes_back(
    report_data, tmp_path, make_user
):
    importer, administrator = make_user("Importer"), make_user("Administrator")
    known = Meeting.objects.create(
        organisation=Organisation.objects.get(name="BioWin"),
        date=datetime.date(2021, 1, 1),
        date_precision="year",
    )
    known.people.add(make_person(known.organisation, first_name="Kai", last_name="Rebane"))
    log = tmp_path / "log.csv"
    log.write_text(
        "Date;Organisation;Contacts\n"
        "2021-05-03;BioWin;Bob Stone\n"  # completes `known`
        "2023-03-01;Merck;Ann Lee\n",  # a new meeting
        encoding="utf-8",
    )
    with log.open("rb") as stream:
        record = import_meeting_log(stream=stream, file_name="log.csv", user=importer).record
    created = record.meetings.get()

    assert [people_of(v) for v in created.history.all()] == [["Ann Lee"]]
    assert created.history.get().history_user == importer
    completed = list(known.history.order_by("history_date", "history_id"))
    # Created, then Kai Rebane added by hand; as it was before the import; as it left it.
    assert [people_of(v) for v in completed] == [
        [],
        ["Kai Rebane"],
        ["Kai Rebane"],
        ["Bob Stone", "Kai Rebane"],
    ]
    assert completed[-1].history_user == importer

    ann = created.people.get()
    undo_import(record=record, user=administrator)

    undo = latest(known)
    assert (people_of(undo), undo.history_user) == (["Kai Rebane"], administrator)
    # The import's version still holds Bob Stone, a contact only it needed, now deleted.
    linked = {link.person_id for link in completed[-1].people.all()}
    assert len(linked) == 2 and Person.objects.filter(pk__in=linked).count() == 1
    deleted = created.history.get(history_type="-")
    # Ann Lee, a contact only this import needed, is gone too; her id stays.
    assert [link.person_id for link in deleted.people.all()] == [ann.pk]
    assert deleted.history_user == administrator


def test_merging_two_people_records_the_change_in_each_of_their_meetings(make_user, tartu):
    administrator = make_user("Administrator")
    meeting, mari = tartu["meeting"], tartu["mari"]
    twin = make_person(tartu["organisation"], first_name="Mari", last_name="Kask-Saar")
    both = make_meeting(tartu["organisation"], date=datetime.date(2023, 1, 2))
    meeting.people.add(twin)
    both.people.add(mari, twin)

    merge_people(mari, twin, user=administrator)

    for each in (meeting, both):
        version = latest(each)
        assert people_of(version) == ["Mari Kask"]
        assert version.history_user == administrator
        assert "merged into Mari Kask" in version.history_change_reason


def test_merging_two_organisations_records_the_companies_accompanied_that_moved(make_user):
    administrator = make_user("Administrator")
    keep, other = make_organisation("Genopole Start"), make_organisation("Genopole Start SAS")
    participation = Participation.objects.create(event=make_event(), role="exhibitor")
    participation.accompanied_companies.add(other)

    merge_organisations(keep, other, user=administrator)

    version = participation.history.order_by("-history_date", "-history_id").first()
    assert [str(link.organisation) for link in version.accompanied_companies.all()] == [
        "Genopole Start"
    ]
    assert version.history_user == administrator


def test_the_meeting_page_and_the_admin_history_name_the_people_added_and_removed(
    client, make_user, tartu
):
    meeting, mari, jaan = tartu["meeting"], tartu["mari"], tartu["jaan"]
    meeting.people.add(jaan)
    meeting.people.set([mari])  # one version removing Jaan, one adding Mari
    user = make_user("Administrator")
    log_in(client, user)

    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "people met: + Jaan Tamm" in page
    assert "people met: − Jaan Tamm" in page
    assert "people met: + Mari Kask" in page

    admin_page = client.get(reverse("admin:events_meeting_history", args=[meeting.pk]))
    text = admin_page.content.decode()
    assert "people met: + Mari Kask" in text and "people met: − Jaan Tamm" in text


def test_a_deleted_person_stays_in_the_history_by_id(tartu):
    from core.history import audit_trail

    meeting, jaan = tartu["meeting"], tartu["jaan"]
    meeting.people.add(jaan)
    meeting.people.remove(jaan)
    jaan_id = jaan.pk
    jaan.delete()
    trail = audit_trail(meeting.history.all(), may_view=lambda model: True)
    changes = [change.links for entry in trail for change in entry.changes]
    assert f"− #{jaan_id}" in changes and f"+ #{jaan_id}" in changes


def test_the_history_page_reads_the_links_in_a_fixed_number_of_queries(
    client, make_user, tartu, django_assert_max_num_queries
):
    meeting = tartu["meeting"]
    log_in(client, make_user("Administrator"))
    meeting.people.add(tartu["jaan"])
    client.get(meeting.get_absolute_url())  # warm caches (session, permissions)
    with django_assert_max_num_queries(60) as few:
        client.get(meeting.get_absolute_url())
    for index in range(20):
        meeting.people.add(make_person(tartu["organisation"], last_name=f"Guest {index}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(meeting.get_absolute_url())


def test_source_reports_added_to_a_record_are_in_its_history():
    report = Report.objects.create(file_name="ra-2024.pdf", title="Activity report", year=2024)
    organisation = make_organisation("BioWin")
    organisation.sources.add(report)
    version = organisation.history.order_by("-history_id").first()
    assert [link.report_id for link in version.sources.all()] == [report.pk]


def test_loading_the_fixtures_makes_no_versions_of_their_links():
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert Meeting.objects.filter(people__isnull=False).exists()
    for model in set(HistoricalRecords.m2m_models.values()):
        assert not model.objects.exists(), model._meta.label
    assert not Meeting.history.exists()
