import datetime

import pytest
from django.db.models import ProtectedError

from projects.models import ConsortiumMember, Milestone
from tests.factories import make_consortium_member, make_organisation, make_project
from tests.helpers import assert_rejected_by_database

pytestmark = pytest.mark.django_db


def test_project_acronyms_are_unique_whatever_the_case():
    make_project("COBIOE")
    assert_rejected_by_database(lambda: make_project("cobioe"))


def test_a_project_has_at_most_one_coordinator():
    project = make_project()
    make_consortium_member(project=project, role=ConsortiumMember.Role.COORDINATOR)
    assert_rejected_by_database(
        lambda: make_consortium_member(project=project, role=ConsortiumMember.Role.COORDINATOR)
    )


def test_an_organisation_joins_a_consortium_once():
    project, organisation = make_project(), make_organisation()
    make_consortium_member(project=project, organisation=organisation)
    assert_rejected_by_database(
        lambda: make_consortium_member(project=project, organisation=organisation)
    )


def test_a_project_cannot_end_before_it_starts():
    assert_rejected_by_database(
        lambda: make_project(
            start_date=datetime.date(2022, 1, 1), end_date=datetime.date(2020, 1, 1)
        )
    )


def test_an_organisation_with_a_consortium_role_cannot_be_deleted():
    member = make_consortium_member()
    with pytest.raises(ProtectedError):
        member.organisation.delete()


def test_the_coordinator_is_read_from_the_consortium():
    project = make_project()
    genopole = make_organisation("Genopole")
    make_consortium_member(project=project, organisation=genopole, role="coordinator")
    make_consortium_member(project=project)
    assert project.coordinator == genopole


def test_milestones_are_unique_per_project_kind_and_date():
    project = make_project()
    Milestone.objects.create(project=project, kind="signature", date=datetime.date(2022, 12, 27))
    assert_rejected_by_database(
        lambda: Milestone.objects.create(
            project=project, kind="signature", date=datetime.date(2022, 12, 27)
        )
    )
