"""The partnerships list by kind and country of the partner; a network's page lists its
members with their partnership status and leads to the filtered organisation list."""

import pytest
from django.urls import reverse

from partners.models import Membership, Organisation, Partnership
from tests.factories import make_organisation, make_partnership
from tests.pages import listed

pytestmark = pytest.mark.django_db
PARTNERSHIPS = reverse("partners:partnership-list")
ORGANISATIONS = reverse("partners:organisation-list")
UNIVERSITY, CLUSTER = Organisation.Kind.UNIVERSITY, Organisation.Kind.CLUSTER


def test_partnerships_can_be_filtered_by_the_kind_of_organisation(viewer_client):
    make_partnership(make_organisation("Tartu", kind=UNIVERSITY), title="Exchange")
    make_partnership(make_organisation("BioWin", kind=CLUSTER), title="Soft landing")
    response = viewer_client.get(PARTNERSHIPS, {"organisation_kind": "university"})
    assert [p.title for p in response.context["object_list"]] == ["Exchange"]


def test_kind_and_country_of_the_partner_combine(viewer_client):
    make_partnership(make_organisation("Tartu", kind=UNIVERSITY, country="EE"), title="A")
    make_partnership(make_organisation("Osaka", kind=UNIVERSITY, country="JP"), title="B")
    make_partnership(make_organisation("Kobe", kind=CLUSTER, country="JP"), title="C")
    response = viewer_client.get(PARTNERSHIPS, {"organisation_kind": "university", "country": "JP"})
    assert [p.title for p in response.context["object_list"]] == ["B"]


def test_the_kind_of_organisation_is_a_set_of_checkboxes_as_on_the_other_lists(viewer_client):
    content = viewer_client.get(PARTNERSHIPS).content.decode()
    assert 'type="checkbox" name="organisation_kind" value="university"' in content


@pytest.fixture
def eugloh():
    network = make_organisation("EUGLOH", kind=Organisation.Kind.NETWORK)
    partner = make_organisation("Lund University", kind=UNIVERSITY)
    talking = make_organisation("University of Porto", kind=UNIVERSITY)
    stranger = make_organisation("LMU Munich", kind=UNIVERSITY)
    make_partnership(partner, status=Partnership.Status.ACTIVE)
    make_partnership(talking, status=Partnership.Status.IN_DISCUSSION)
    for member in (partner, talking, stranger):
        Membership.objects.create(network=network, member=member)
    return network


def test_a_networks_page_shows_each_members_partnership_status(viewer_client, eugloh):
    content = viewer_client.get(eugloh.get_absolute_url()).content.decode()
    assert "Lund University</a> — Member · partnership: Active" in content
    assert "University of Porto</a> — Member · partnership: In discussion" in content
    assert "LMU Munich</a> — Member · <span class=\"muted\">no partnership</span>" in content


def test_members_with_no_active_partnership_are_one_click_from_the_network(viewer_client, eugloh):
    content = viewer_client.get(eugloh.get_absolute_url()).content.decode()
    link = f"{ORGANISATIONS}?network={eugloh.pk}&amp;active_partnership=false"
    assert link in content
    listed_there = listed(viewer_client.get(link.replace("&amp;", "&")))
    assert listed_there == ["LMU Munich", "University of Porto"]
