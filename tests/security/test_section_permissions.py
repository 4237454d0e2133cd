"""Finding 6: a page shows a section about other records only to those who may view them.

A user who may read organisations only must not read, on an organisation's page, the
meetings, partnership notes, people or projects that their own pages would refuse them.
"""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from events.models import Participation
from partners.models import Partnership
from projects.models import Milestone
from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
    make_project,
)

pytestmark = pytest.mark.django_db

# Text that only the related records carry, so that its presence on a page gives them away.
SECRETS = {
    "person": "Ada Secretperson",
    "meeting": "Secret meeting topic",
    "partnership": "Secret partnership notes",
    "project": "SECRETPROJ",
    "event": "Secret Event Name",
}


@pytest.fixture
def world():
    organisation = make_organisation("Tartu BT Park")
    person = make_person(organisation, first_name="Ada", last_name="Secretperson")
    event = make_event(SECRETS["event"])
    meeting = make_meeting(organisation, event=event, topic=SECRETS["meeting"])
    meeting.people.add(person)
    partnership = make_partnership(organisation, notes=SECRETS["partnership"])
    partnership.status = Partnership.Status.ENDED
    partnership.save()  # a second version, so that the partnership has a history to show
    project = make_project(SECRETS["project"], start_date=datetime.date(2021, 1, 1))
    make_consortium_member(project, organisation)
    Milestone.objects.create(
        project=project, kind="launch", date=datetime.date(2022, 1, 1), event=event
    )
    Participation.objects.create(event=event, role="exhibitor").co_participants.add(organisation)
    return {
        "organisation": organisation,
        "person": person,
        "event": event,
        "meeting": meeting,
        "project": project,
    }


def client_with_only(client, django_user_model, *codenames):
    user = django_user_model.objects.create_user("reader", password="x-Pass-1234")
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


PAGES = {
    "organisation": (
        "partners:organisation-detail",
        ["person", "meeting", "partnership", "project", "event"],
    ),
    "person": ("partners:person-detail", ["meeting", "event"]),
    "event": ("events:event-detail", ["meeting", "person", "project"]),
    "meeting": ("events:meeting-detail", ["person"]),
    "project": ("projects:project-detail", ["event"]),
}


@pytest.mark.parametrize("page", PAGES)
def test_a_detail_page_hides_what_the_reader_may_not_view(client, django_user_model, world, page):
    url_name, hidden = PAGES[page]
    reader = client_with_only(client, django_user_model, f"view_{page}")
    content = reader.get(reverse(url_name, args=[world[page].pk])).content.decode()
    for kind in hidden:
        assert SECRETS[kind] not in content, f"the {page} page shows a {kind} to its reader"


@pytest.mark.parametrize("page", PAGES)
def test_a_viewer_still_sees_every_section(viewer_client, world, page):
    url_name, shown = PAGES[page]
    content = viewer_client.get(reverse(url_name, args=[world[page].pk])).content.decode()
    for kind in shown:
        assert SECRETS[kind] in content, f"the {page} page hides a {kind} from a Viewer"


def test_the_organisation_page_shows_meetings_to_those_who_may_view_them(
    client, django_user_model, world
):
    reader = client_with_only(client, django_user_model, "view_organisation", "view_meeting")
    url = reverse("partners:organisation-detail", args=[world["organisation"].pk])
    content = reader.get(url).content.decode()
    assert SECRETS["meeting"] in content
    assert SECRETS["person"] not in content
    assert SECRETS["partnership"] not in content


def test_the_dashboard_and_search_show_only_what_the_reader_may_view(
    client, django_user_model, world
):
    reader = client_with_only(client, django_user_model, "view_organisation")
    home = reader.get(reverse("home")).content.decode()
    for kind in ("person", "meeting", "partnership", "project", "event"):
        assert SECRETS[kind] not in home, f"the dashboard shows a {kind}"
    search = reader.get(reverse("search"), {"q": "secret"})
    assert [str(section["label"]) for section in search.context["sections"]] == ["organisations"]
    assert SECRETS["person"] not in search.content.decode()
