"""Every page runs the same number of SQL queries however many rows it shows.

Each page is loaded once with a few rows and once with many, each row carrying what the
page displays about it (aliases, networks, people, consortium…); the counts must be equal
and are pinned, so that a template touching an unprefetched relation fails here.
"""

import datetime
from itertools import count

import pytest
from django.core.cache import cache
from django.urls import reverse

from events.models import EventAlias, EventFigure, EventSeries, Participation
from partners.models import Membership, OrganisationAlias
from projects.models import Milestone, Programme
from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
    make_project,
)
from tests.pages import queries_for

pytestmark = pytest.mark.django_db
unique = count(1)


def organisations(n):
    network = make_organisation(kind="network")
    for _i in range(n):
        organisation = make_organisation(country="FR")
        OrganisationAlias.objects.create(organisation=organisation, name=f"Alias {next(unique)}")
        Membership.objects.create(network=network, member=organisation)
        make_partnership(organisation)
        make_meeting(organisation)


def people(n):
    for _ in range(n):
        make_person(make_organisation(country="JP"))


def partnerships(n):
    for _ in range(n):
        make_partnership(make_organisation(country="BE"))


def events(n):
    series = EventSeries.objects.create(name=f"BIO {next(unique)}")
    for i in range(n):
        event = make_event(series=series, edition=str(i), country="US")
        Participation.objects.create(event=event, role="exhibitor")
        make_meeting(event=event)


def meetings(n):
    event = make_event()
    for i in range(n):
        meeting = make_meeting(event=event, date=datetime.date(2022, 1, 1) + datetime.timedelta(i))
        meeting.people.add(make_person(meeting.organisation))
        meeting.accompanied_companies.add(make_organisation(genopole_accompanied=True))


def projects(n):
    programme = Programme.objects.create(name=f"COSME {next(unique)}")
    for _ in range(n):
        project = make_project(programme=programme)
        make_consortium_member(project, role="coordinator")
        make_consortium_member(project)


# (URL name, builder, queries). Every page spends 4 on its frame: reading the session, the
# user, the user's and their groups' permissions (a read does not save the session). The
# rest: the choices of the short filters (countries, years; those among
# thousands of records are search-as-you-type and query nothing), the row count, the page's
# ids, then its rows, one per prefetch, and the sidebar's saved views.
LISTS = [
    ("partners:organisation-list", organisations, 11),
    ("partners:person-list", people, 8),
    ("partners:partnership-list", partnerships, 9),
    ("events:event-list", events, 10),
    ("events:meeting-list", meetings, 10),
    ("projects:project-list", projects, 10),
]


@pytest.mark.parametrize(("url_name", "build", "expected"), LISTS, ids=[u for u, *_ in LISTS])
def test_a_list_page_runs_as_many_queries_for_fifty_rows_as_for_five(
    client, make_user, url_name, build, expected
):
    client.force_login(make_user("Viewer"))
    url = reverse(url_name)
    build(5)
    few = queries_for(client, url)
    build(45)
    many = queries_for(client, url)
    assert len(client.get(url).context["object_list"]) == 50
    assert (few, many) == (expected, expected)


@pytest.mark.parametrize(("url_name", "build", "expected"), LISTS, ids=[u for u, *_ in LISTS])
def test_a_csv_download_runs_as_many_queries_for_fifty_rows_as_for_five(
    client, make_user, url_name, build, expected
):
    client.force_login(make_user("Viewer"))
    url = reverse(url_name) + "?export=csv"
    build(5)
    few = queries_for(client, url)
    build(45)
    assert queries_for(client, url) == few


def organisation_with(n):
    organisation = make_organisation(parent=make_organisation())
    network = make_organisation(kind="network")
    Membership.objects.create(network=network, member=organisation)
    for _i in range(n):
        OrganisationAlias.objects.create(organisation=organisation, name=f"Alias {next(unique)}")
        make_organisation(parent=organisation)
        make_person(organisation)
        partnership = make_partnership(organisation, start_date=datetime.date(2020, 1, 1))
        partnership.status = "ended"
        partnership.save()
        Membership.objects.create(network=organisation, member=make_organisation())
        event = make_event()
        meeting = make_meeting(organisation, event=event)
        meeting.people.add(make_person(organisation))
        make_meeting(make_organisation(), date=datetime.date(2021, 1, 1)).accompanied_companies.add(
            organisation
        )
        project = make_project(start_date=datetime.date(2020, 1, 1))
        make_consortium_member(project, organisation)
        Participation.objects.create(event=make_event(), role="exhibitor").co_participants.add(
            organisation
        )
        make_event(organiser=organisation)
        make_event(host=organisation)
        organisation.name = f"{organisation.name}."
        organisation.save()
    return organisation


def event_with(n):
    event = make_event(
        series=EventSeries.objects.create(name=f"BIO {next(unique)}"), organiser=make_organisation()
    )
    participation = Participation.objects.create(event=event, role="exhibitor")
    for i in range(n):
        EventAlias.objects.create(event=event, name=f"Alias {next(unique)}")
        participation.co_participants.add(make_organisation())
        participation.accompanied_companies.add(make_organisation())
        EventFigure.objects.create(event=event, metric="meetings", label=str(i), value=i)
        meeting = make_meeting(event=event)
        meeting.people.add(make_person(meeting.organisation))
        meeting.accompanied_companies.add(make_organisation())
        Milestone.objects.create(
            project=make_project(), kind="launch", date=datetime.date(2022, 1, 1), event=event
        )
        event.description = f"Edited {i}"
        event.save()
    return event


def project_with(n):
    project = make_project(programme=Programme.objects.create(name=f"COSME {next(unique)}"))
    for i in range(n):
        make_consortium_member(project)
        Milestone.objects.create(
            project=project, kind="other", date=datetime.date(2022, 1, 1 + i), event=make_event()
        )
        project.title = f"Edited {i}"
        project.save()
    return project


def person_with(n):
    person = make_person()
    for i in range(n):
        make_meeting(event=make_event(), date=datetime.date(2022, 1, 1 + i)).people.add(person)
        person.role = f"Role {i}"
        person.save()
    return person


def meeting_with(n):
    meeting = make_meeting(event=make_event())
    for i in range(n):
        meeting.people.add(make_person(meeting.organisation))
        meeting.accompanied_companies.add(make_organisation())
        meeting.topic = f"Topic {i}"
        meeting.save()
    return meeting


# The organisation and meeting pages read the ids of their most urgent open follow-ups
# with the counts of them all, then those follow-ups with what they are about (two
# queries). The history reads the links its versions kept, one query per many-to-many
# relation (sources: every page; the meeting's people and companies too) and one per kind
# of record they name.
DETAILS = [
    # 26, + 1: a network's members' partnerships, for the status shown beside each member;
    # + 1: the organisation's follow-ups; + 2: its and its partnerships' versions' sources.
    ("organisation", organisation_with, 28),
    # + 1: the first organisations met, by name (no longer read from all its meetings).
    ("event", event_with, 17),
    ("project", project_with, 11),
    ("person", person_with, 8),
    # + 3 relations, + the people and organisations they name.
    ("meeting", meeting_with, 16),
]


@pytest.mark.parametrize(("page", "build", "expected"), DETAILS, ids=[p for p, *_ in DETAILS])
def test_a_detail_page_runs_as_many_queries_with_twenty_related_rows_as_with_two(
    client, make_user, page, build, expected
):
    client.force_login(make_user("Viewer"))
    few = queries_for(client, build(2).get_absolute_url())
    many = queries_for(client, build(20).get_absolute_url())
    assert (few, many) == (expected, expected)


def test_home_and_search_run_a_fixed_number_of_queries(client, make_user):
    client.force_login(make_user("Viewer"))
    organisations(2)
    meetings(2)  # so that the same sections have results before and after
    home, search = queries_for(client, reverse("home")), queries_for(client, "/search/?q=a")
    organisations(20)
    meetings(20)
    cache.clear()  # all computed again, my follow-ups' counts too (core.caching)
    # The figures and their version, and my follow-ups (rows, counts and their version) and
    # my saved views.
    assert queries_for(client, reverse("home")) == home == 27
    # Six sections (organisations, people, partnerships, events, meetings, projects):
    # whether a few match (core.search.FEW_MATCHES), then the first results each (one
    # more than shown: no count), unless none match (events and projects here).
    assert queries_for(client, "/search/?q=a") == search == 14
