"""/projects/ and a project's page."""

import datetime

import pytest
from django.urls import reverse

from projects.models import ConsortiumMember, Milestone, Programme, Project
from tests.factories import make_consortium_member, make_event, make_organisation, make_project
from tests.pages import csv_rows, listed

pytestmark = pytest.mark.django_db
URL = reverse("projects:project-list")
Role = ConsortiumMember.Role


def test_programme_keeps_its_projects(viewer_client):
    cosme = Programme.objects.create(name="COSME")
    make_project("GEN.ERA", programme=cosme)
    make_project("URINBB")
    assert listed(viewer_client.get(URL, {"programme": cosme.pk})) == ["GEN.ERA"]


def test_status_keeps_projects_in_any_of_the_chosen_states(viewer_client):
    make_project("GEN.ERA", status=Project.Status.CLOSED)
    make_project("COBIOE", status=Project.Status.RUNNING)
    make_project("URINBB", status=Project.Status.SUBMITTED)
    response = viewer_client.get(URL, {"status": ["running", "submitted"]})
    assert listed(response) == ["COBIOE", "URINBB"]


def test_member_keeps_the_projects_an_organisation_is_in(viewer_client):
    tartu = make_organisation("Tartu BT Park")
    make_consortium_member(make_project("GEN.ERA"), tartu)
    make_consortium_member(make_project("COBIOE"))
    assert listed(viewer_client.get(URL, {"member": tartu.pk})) == ["GEN.ERA"]


def test_member_and_role_must_describe_the_same_consortium_seat(viewer_client):
    genopole, tartu = make_organisation("Genopole"), make_organisation("Tartu BT Park")
    coordinated = make_project("COBIOE")
    make_consortium_member(coordinated, genopole, role=Role.COORDINATOR)
    partner_only = make_project("GEN.ERA")
    make_consortium_member(partner_only, genopole, role=Role.PARTNER)
    make_consortium_member(partner_only, tartu, role=Role.COORDINATOR)
    response = viewer_client.get(URL, {"member": genopole.pk, "role": "coordinator"})
    assert listed(response) == ["COBIOE"]


def test_role_alone_keeps_projects_with_such_a_seat(viewer_client):
    make_consortium_member(make_project("A"), role=Role.ASSOCIATED_PARTNER)
    make_consortium_member(make_project("B"), role=Role.PARTNER)
    assert listed(viewer_client.get(URL, {"role": "associated_partner"})) == ["A"]


def test_search_ignores_case_and_finds_the_title(viewer_client):
    make_project("COBIOE", title="Growing Connection for Bio Ecosystems")
    make_project("GEN.ERA", title="Genome Era")
    assert listed(viewer_client.get(URL, {"q": "ECOSYSTEMS"})) == ["COBIOE"]


def test_sorting_by_number_of_consortium_members(viewer_client):
    big, small = make_project("BIG"), make_project("SMALL")
    for _ in range(3):
        make_consortium_member(big)
    make_consortium_member(small)
    assert listed(viewer_client.get(URL, {"sort": "-members"})) == ["BIG", "SMALL"]


def test_the_csv_names_the_coordinator_and_the_consortium(viewer_client):
    project = make_project("COBIOE")
    make_consortium_member(project, make_organisation("Genopole"), role=Role.COORDINATOR)
    make_consortium_member(project, make_organisation("CEBR"), role=Role.PARTNER)
    header, row = csv_rows(viewer_client.get(URL, {"export": "csv"}))
    record = dict(zip(header, row, strict=True))
    assert record["Coordinator"] == "Genopole"
    assert record["Consortium"] == "Genopole (Coordinator); CEBR (Partner)"


def test_a_project_page_shows_the_consortium_with_roles_and_the_milestones(viewer_client):
    project = make_project("GEN.ERA")
    tartu = make_organisation("Tartu BT Park", country="EE")
    make_consortium_member(project, tartu, role=Role.COORDINATOR)
    closing = make_event("GEN.ERA closing event", start_date=datetime.date(2022, 6, 14))
    Milestone.objects.create(
        project=project,
        kind=Milestone.Kind.CLOSING_EVENT,
        date=datetime.date(2022, 6, 14),
        event=closing,
    )
    content = viewer_client.get(project.get_absolute_url()).content.decode()
    assert (
        f'href="{tartu.get_absolute_url()}">Tartu BT Park</a></td><td>Estonia</td><td>Coordinator'
        in content
    )
    assert "June 14, 2022" in content and "Closing event" in content
    assert f'href="{closing.get_absolute_url()}"' in content


def test_the_list_links_to_each_projects_page(viewer_client):
    project = make_project()
    assert f'href="{project.get_absolute_url()}"' in viewer_client.get(URL).content.decode()
