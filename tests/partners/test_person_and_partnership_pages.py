"""/people/ and /partnerships/, and a person's page."""

import datetime

import pytest
from django.urls import reverse

from partners.models import Organisation, Partnership
from tests.factories import make_meeting, make_organisation, make_partnership, make_person
from tests.pages import csv_rows, listed

pytestmark = pytest.mark.django_db
PEOPLE = reverse("partners:person-list")
PARTNERSHIPS = reverse("partners:partnership-list")


class TestPeople:
    def test_search_ignores_accents_in_names(self, viewer_client):
        make_person(first_name="Philippe", last_name="Étienne")
        make_person(first_name="Gilles", last_name="Lasserre")
        assert listed(viewer_client.get(PEOPLE, {"q": "etienne"})) == ["Philippe Étienne"]

    def test_search_finds_people_by_their_organisation(self, viewer_client):
        make_person(make_organisation("Genopole"), first_name="Laurent", last_name="Pépin")
        make_person(make_organisation("BioWin"), first_name="Sylvie", last_name="Ponchaut")
        assert listed(viewer_client.get(PEOPLE, {"q": "genopole"})) == ["Laurent Pépin"]

    def test_organisation_keeps_its_people(self, viewer_client):
        genopole = make_organisation("Genopole")
        make_person(genopole, first_name="Alexis", last_name="Biton")
        make_person(first_name="Sylvie", last_name="Ponchaut")
        assert listed(viewer_client.get(PEOPLE, {"organisation": genopole.pk})) == ["Alexis Biton"]

    def test_kind_of_organisation_keeps_people_working_there(self, viewer_client):
        make_person(
            make_organisation(kind=Organisation.Kind.UNIVERSITY), first_name="A", last_name="U"
        )
        make_person(
            make_organisation(kind=Organisation.Kind.CLUSTER), first_name="B", last_name="C"
        )
        assert listed(viewer_client.get(PEOPLE, {"organisation_kind": "university"})) == ["A U"]

    def test_sorting_by_organisation(self, viewer_client):
        make_person(make_organisation("Zeta"), first_name="Ann", last_name="Adams")
        make_person(make_organisation("Alpha"), first_name="Zoe", last_name="Young")
        assert listed(viewer_client.get(PEOPLE, {"sort": "organisation"})) == [
            "Zoe Young",
            "Ann Adams",
        ]

    def test_the_csv_splits_first_and_last_names(self, viewer_client):
        make_person(make_organisation("Genopole"), first_name="Laurent", last_name="Pépin")
        rows = csv_rows(viewer_client.get(PEOPLE, {"export": "csv"}))
        assert rows[0][:4] == ["First name", "Last name", "Role", "Organisation"]
        assert rows[1][:2] == ["Laurent", "Pépin"] and rows[1][3] == "Genopole"

    def test_a_persons_page_links_to_their_organisation_and_meetings(self, viewer_client):
        genopole = make_organisation("Genopole")
        person = make_person(genopole, first_name="Gilles", last_name="Lasserre", role="CEO")
        meeting = make_meeting(make_organisation("NCBiotech"), date=datetime.date(2019, 6, 4))
        meeting.people.add(person)
        response = viewer_client.get(person.get_absolute_url())
        content = response.content.decode()
        assert "<h1>Gilles Lasserre</h1>" in content
        assert f'href="{genopole.get_absolute_url()}">Genopole</a>' in content
        assert f'href="{meeting.get_absolute_url()}">June 4, 2019</a>' in content

    def test_the_list_links_to_each_persons_page(self, viewer_client):
        person = make_person()
        assert f'href="{person.get_absolute_url()}"' in viewer_client.get(PEOPLE).content.decode()


class TestPartnerships:
    def test_type_keeps_partnerships_of_that_type(self, viewer_client):
        make_partnership(title="RTP soft landing", type=Partnership.Type.SOFT_LANDING)
        make_partnership(title="EU|BIC", type=Partnership.Type.CERTIFICATION)
        response = viewer_client.get(PARTNERSHIPS, {"type": "soft_landing"})
        assert [p.title for p in response.context["object_list"]] == ["RTP soft landing"]

    def test_several_statuses_keep_partnerships_in_any_of_them(self, viewer_client):
        make_partnership(title="A", status=Partnership.Status.PROSPECT)
        make_partnership(title="B", status=Partnership.Status.IN_DISCUSSION)
        make_partnership(title="C", status=Partnership.Status.ACTIVE)
        response = viewer_client.get(PARTNERSHIPS, {"status": ["prospect", "in_discussion"]})
        assert sorted(p.title for p in response.context["object_list"]) == ["A", "B"]

    def test_country_is_the_partner_organisations_country(self, viewer_client):
        make_partnership(make_organisation("Kawasaki", country="JP"), title="MoU")
        make_partnership(make_organisation("BioWin", country="BE"), title="Ties")
        response = viewer_client.get(PARTNERSHIPS, {"country": "JP"})
        assert listed(response) == ["Kawasaki — MoU"]

    def test_search_ignores_accents_in_the_organisation_name(self, viewer_client):
        make_partnership(make_organisation("Tartù Biocluster"), title="Cluster ties")
        make_partnership(make_organisation("BioWin"), title="Other ties")
        assert listed(viewer_client.get(PARTNERSHIPS, {"q": "tartu"})) == [
            "Tartù Biocluster — Cluster ties"
        ]

    def test_sorting_by_start_puts_undated_partnerships_last_both_ways(self, viewer_client):
        make_partnership(title="Undated")
        make_partnership(title="2019", start_date=datetime.date(2019, 1, 1))
        make_partnership(title="2022", start_date=datetime.date(2022, 1, 1))
        ascending = viewer_client.get(PARTNERSHIPS, {"sort": "start"}).context["object_list"]
        descending = viewer_client.get(PARTNERSHIPS, {"sort": "-start"}).context["object_list"]
        assert [p.title for p in ascending] == ["2019", "2022", "Undated"]
        assert [p.title for p in descending] == ["2022", "2019", "Undated"]

    def test_the_csv_names_type_and_status_in_words(self, viewer_client):
        make_partnership(
            make_organisation("Research Triangle Park"),
            title="Soft landing",
            type=Partnership.Type.SOFT_LANDING,
            status=Partnership.Status.ACTIVE,
            start_date=datetime.date(2020, 1, 1),
            start_precision="year",
        )
        header, row = csv_rows(viewer_client.get(PARTNERSHIPS, {"export": "csv"}))
        record = dict(zip(header, row, strict=True))
        assert record["Type"] == "Soft-landing agreement"
        assert record["Status"] == "Active"
        assert record["Start"] == "2020"

    def test_each_row_links_to_the_partner_organisation(self, viewer_client):
        partnership = make_partnership()
        content = viewer_client.get(PARTNERSHIPS).content.decode()
        assert f'href="{partnership.organisation.get_absolute_url()}"' in content
