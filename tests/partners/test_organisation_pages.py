"""/organisations/: find organisations by text, kind, country, network and partnership."""

import datetime

import pytest
from django.urls import reverse

from events.models import Participation
from partners.models import Membership, Organisation, OrganisationAlias, Partnership
from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
    make_project,
)
from tests.pages import csv_rows, listed

pytestmark = pytest.mark.django_db
URL = reverse("partners:organisation-list")

Kind = Organisation.Kind


class TestFilters:
    def test_search_ignores_accents_in_the_name(self, viewer_client):
        make_organisation("Grand Orly Seine Bièvre")
        make_organisation("BioWin")
        assert listed(viewer_client.get(URL, {"q": "bievre"})) == ["Grand Orly Seine Bièvre"]

    def test_search_finds_an_organisation_by_an_accented_alias_typed_without_accent(
        self, viewer_client
    ):
        tartu = make_organisation("Tartu BT Park")
        OrganisationAlias.objects.create(organisation=tartu, name="Tartù Biocluster")
        make_organisation("Turku Science Park")
        assert listed(viewer_client.get(URL, {"q": "TARTU biocluster"})) == ["Tartu BT Park"]

    def test_search_finds_an_organisation_by_its_acronym(self, viewer_client):
        make_organisation("European University Alliance for Global Health", short_name="EUGLOH")
        make_organisation("EIT Health")
        assert listed(viewer_client.get(URL, {"q": "eugloh"})) == [
            "European University Alliance for Global Health"
        ]

    def test_an_organisation_matching_through_two_aliases_is_listed_once(self, viewer_client):
        biowin = make_organisation("BioWin")
        OrganisationAlias.objects.create(organisation=biowin, name="Pôle BioWin")
        OrganisationAlias.objects.create(organisation=biowin, name="BioWin Wallonia")
        assert listed(viewer_client.get(URL, {"q": "biowin"})) == ["BioWin"]

    def test_kind_keeps_organisations_of_that_kind(self, viewer_client):
        make_organisation("BioWin", kind=Kind.CLUSTER)
        make_organisation("University of Tartu", kind=Kind.UNIVERSITY)
        assert listed(viewer_client.get(URL, {"kind": "university"})) == ["University of Tartu"]

    def test_several_kinds_keep_organisations_of_any_of_them(self, viewer_client):
        make_organisation("BioWin", kind=Kind.CLUSTER)
        make_organisation("Tartu BT Park", kind=Kind.SCIENCE_PARK)
        make_organisation("University of Tartu", kind=Kind.UNIVERSITY)
        response = viewer_client.get(URL, {"kind": ["cluster", "science_park"]})
        assert listed(response) == ["BioWin", "Tartu BT Park"]

    def test_several_country_codes_keep_organisations_of_any_of_them(self, viewer_client):
        make_organisation("Kawasaki LiSE", country="JP")
        make_organisation("Osong", country="KR")
        make_organisation("BioWin", country="BE")
        response = viewer_client.get(URL, {"country": ["JP", "KR"]})
        assert listed(response) == ["Kawasaki LiSE", "Osong"]

    def test_country_and_kind_combine(self, viewer_client):
        make_organisation("Kawasaki LiSE", country="JP", kind=Kind.CLUSTER)
        make_organisation("Astellas", country="JP", kind=Kind.CORPORATION)
        make_organisation("BioWin", country="BE", kind=Kind.CLUSTER)
        response = viewer_client.get(URL, {"country": "JP", "kind": "cluster"})
        assert listed(response) == ["Kawasaki LiSE"]

    def test_an_unknown_country_code_is_reported_not_ignored(self, viewer_client):
        make_organisation("BioWin", country="BE")
        response = viewer_client.get(URL, {"country": "XX"})
        assert listed(response) == []
        assert "country" in response.context["filter"].errors

    def test_network_keeps_the_networks_members(self, viewer_client):
        eugloh = make_organisation("EUGLOH", kind=Kind.NETWORK)
        tartu = make_organisation("University of Tartu", kind=Kind.UNIVERSITY)
        make_organisation("University of Oslo", kind=Kind.UNIVERSITY)
        Membership.objects.create(network=eugloh, member=tartu)
        assert listed(viewer_client.get(URL, {"network": eugloh.pk})) == ["University of Tartu"]

    def test_partnership_type_and_status_must_describe_the_same_partnership(self, viewer_client):
        both = make_organisation("Research Triangle Park")
        make_partnership(
            both, type=Partnership.Type.SOFT_LANDING, status=Partnership.Status.IN_DISCUSSION
        )
        split = make_organisation("BioWin")
        make_partnership(split, type=Partnership.Type.SOFT_LANDING, status=Partnership.Status.ENDED)
        make_partnership(
            split, type=Partnership.Type.COOPERATION, status=Partnership.Status.IN_DISCUSSION
        )
        response = viewer_client.get(
            URL, {"partnership_type": "soft_landing", "partnership_status": "in_discussion"}
        )
        assert listed(response) == ["Research Triangle Park"]

    def test_partnership_status_alone_keeps_organisations_with_such_a_partnership(
        self, viewer_client
    ):
        make_partnership(make_organisation("BioWin"), status=Partnership.Status.PROSPECT)
        make_partnership(make_organisation("BioM"), status=Partnership.Status.ACTIVE)
        make_organisation("Medicen")
        response = viewer_client.get(URL, {"partnership_status": "prospect"})
        assert listed(response) == ["BioWin"]

    def test_no_active_partnership_keeps_organisations_without_one(self, viewer_client):
        make_partnership(make_organisation("BioWin"), status=Partnership.Status.ACTIVE)
        make_partnership(make_organisation("BioM"), status=Partnership.Status.ENDED)
        make_organisation("Medicen")
        response = viewer_client.get(URL, {"active_partnership": "false"})
        assert listed(response) == ["BioM", "Medicen"]

    def test_eugloh_universities_with_no_active_partnership(self, viewer_client, report_data):
        eugloh = Organisation.objects.get(short_name="EUGLOH")
        response = viewer_client.get(
            URL, {"network": eugloh.pk, "kind": "university", "active_partnership": "false"}
        )
        names = listed(response)
        members = Organisation.objects.in_networks([eugloh]).filter(kind=Kind.UNIVERSITY)
        assert names
        assert set(names) <= {m.name for m in members}
        assert not Partnership.objects.active().filter(organisation__name__in=names).exists()

    def test_genopole_accompanied_keeps_accompanied_companies(self, viewer_client):
        make_organisation("Synsight", kind=Kind.STARTUP, genopole_accompanied=True)
        make_organisation("Astellas", kind=Kind.CORPORATION)
        response = viewer_client.get(URL, {"genopole_accompanied": "true"})
        assert listed(response) == ["Synsight"]


class TestSortingAndPaging:
    def test_the_list_is_sorted_by_name_by_default(self, viewer_client):
        for name in ["Medicen", "BioWin", "Osong"]:
            make_organisation(name)
        assert listed(viewer_client.get(URL)) == ["BioWin", "Medicen", "Osong"]

    def test_sorting_by_name_descending(self, viewer_client):
        for name in ["Medicen", "BioWin", "Osong"]:
            make_organisation(name)
        assert listed(viewer_client.get(URL, {"sort": "-name"})) == ["Osong", "Medicen", "BioWin"]

    def test_sorting_by_number_of_meetings(self, viewer_client):
        often, once = make_organisation("Often met"), make_organisation("Met once")
        make_organisation("Never met")
        for day in (1, 2, 3):
            make_meeting(often, date=datetime.date(2022, 6, day))
        make_meeting(once)
        response = viewer_client.get(URL, {"sort": "-meetings"})
        assert listed(response) == ["Often met", "Met once", "Never met"]

    def test_the_sorted_column_header_says_so_and_offers_the_reverse(self, viewer_client):
        make_organisation("BioWin")
        content = viewer_client.get(URL, {"sort": "name"}).content.decode()
        assert 'aria-sort="ascending"' in content
        assert "?sort=-name" in content

    def test_fifty_organisations_fit_on_a_page_and_the_total_is_shown(self, viewer_client):
        Organisation.objects.bulk_create(
            Organisation(name=f"Cluster {n:02}", kind=Kind.CLUSTER) for n in range(51)
        )
        first = viewer_client.get(URL)
        assert len(listed(first)) == 50
        assert "51 results" in first.content.decode()
        assert listed(viewer_client.get(URL, {"page": 2})) == ["Cluster 50"]

    def test_paging_keeps_the_filters_and_sorting(self, viewer_client):
        Organisation.objects.bulk_create(
            Organisation(name=f"Cluster {n:02}", kind=Kind.CLUSTER) for n in range(51)
        )
        content = viewer_client.get(URL, {"kind": "cluster", "sort": "-name"}).content.decode()
        assert "?kind=cluster&amp;sort=-name&amp;page=2" in content

    def test_a_page_past_the_end_is_not_found(self, viewer_client):
        make_organisation()
        assert viewer_client.get(URL, {"page": 3}).status_code == 404


class TestEmptyStateAndClearing:
    def test_filters_that_match_nothing_say_so_and_offer_to_clear_them(self, viewer_client):
        make_organisation("BioWin")
        response = viewer_client.get(URL, {"q": "nothing like this"})
        content = response.content.decode()
        assert "Nothing matches these filters." in content
        assert f'href="{URL}">Clear filters' in content

    def test_an_unfiltered_list_has_no_clear_filters_link(self, viewer_client):
        make_organisation("BioWin")
        assert "Clear filters" not in viewer_client.get(URL).content.decode()

    def test_sorting_alone_is_not_filtering(self, viewer_client):
        make_organisation("BioWin")
        assert "Clear filters" not in viewer_client.get(URL, {"sort": "-name"}).content.decode()


class TestCsv:
    def test_the_csv_holds_exactly_the_filtered_rows_in_the_chosen_order(self, viewer_client):
        make_organisation("Kawasaki LiSE", country="JP")
        make_organisation("Osaka Bio HQ", country="JP")
        make_organisation("BioWin", country="BE")
        rows = csv_rows(viewer_client.get(URL, {"country": "JP", "sort": "-name", "export": "csv"}))
        assert rows[0][:2] == ["Name", "Short name"]
        assert [row[0] for row in rows[1:]] == ["Osaka Bio HQ", "Kawasaki LiSE"]

    def test_the_csv_is_not_paginated(self, viewer_client):
        Organisation.objects.bulk_create(
            Organisation(name=f"Cluster {n:02}", kind=Kind.CLUSTER) for n in range(51)
        )
        assert len(csv_rows(viewer_client.get(URL, {"export": "csv", "page": 2}))) == 52

    def test_accents_survive_and_the_country_is_named(self, viewer_client):
        make_organisation("Grand Orly Seine Bièvre", country="FR", kind=Kind.PUBLIC_AGENCY)
        header, row = csv_rows(viewer_client.get(URL, {"export": "csv"}))
        record = dict(zip(header, row, strict=True))
        assert record["Name"] == "Grand Orly Seine Bièvre"
        assert record["Kind"] == "Public agency"
        assert (record["Country"], record["Country code"]) == ("France", "FR")

    def test_counts_come_with_the_rows(self, viewer_client):
        biowin = make_organisation("BioWin")
        make_partnership(biowin, status=Partnership.Status.ACTIVE)
        make_partnership(biowin, status=Partnership.Status.ENDED)
        make_meeting(biowin, date=datetime.date(2021, 6, 1), date_precision="month")
        header, row = csv_rows(viewer_client.get(URL, {"export": "csv"}))
        record = dict(zip(header, row, strict=True))
        assert record["Partnerships"] == "2"
        assert record["Active partnerships"] == "1"
        assert record["Meetings"] == "1"
        assert record["Last met"] == "June 2021"

    def test_a_cell_that_a_spreadsheet_would_run_is_neutralised(self, viewer_client):
        make_organisation('=HYPERLINK("http://evil.example","x")')
        rows = csv_rows(viewer_client.get(URL, {"export": "csv"}))
        assert rows[1][0] == '\'=HYPERLINK("http://evil.example","x")'

    def test_the_page_links_to_its_own_csv(self, viewer_client):
        make_organisation(country="JP")
        content = viewer_client.get(URL, {"country": "JP", "page": 1}).content.decode()
        assert f'href="{URL}?country=JP&amp;export=csv"' in content


class TestDetail:
    def test_the_list_links_to_each_organisations_page(self, viewer_client):
        biowin = make_organisation("BioWin")
        assert f'href="{biowin.get_absolute_url()}"' in viewer_client.get(URL).content.decode()

    def test_the_profile_shows_aliases_parent_children_and_people(self, viewer_client):
        parent = make_organisation("Research Triangle Park", country="US", city="Durham")
        ncbio = make_organisation("North Carolina Biotechnology Center", parent=parent)
        OrganisationAlias.objects.create(organisation=parent, name="RTP")
        person = make_person(parent, first_name="Scott", last_name="Levitan", role="CEO")
        content = viewer_client.get(parent.get_absolute_url()).content.decode()
        assert "Durham, United States of America" in content
        assert "RTP" in content
        assert f'href="{ncbio.get_absolute_url()}"' in content
        assert f'href="{person.get_absolute_url()}">Scott Levitan</a> — CEO' in content
        child_page = viewer_client.get(ncbio.get_absolute_url()).content.decode()
        assert f'href="{parent.get_absolute_url()}"' in child_page

    def test_a_partnership_shows_how_its_status_evolved_and_who_changed_it(
        self, viewer_client, make_user
    ):
        laurent = make_user("Editor", username="laurent", first_name="Laurent", last_name="P")
        partnership = make_partnership(
            make_organisation("Research Triangle Park"),
            title="Soft-landing agreement",
            status=Partnership.Status.IN_DISCUSSION,
        )
        partnership.status = Partnership.Status.ACTIVE
        partnership._history_user = laurent
        partnership.save()
        content = viewer_client.get(partnership.organisation.get_absolute_url()).content.decode()
        assert "Soft-landing agreement" in content
        assert "by Laurent P" in content
        assert "status: In discussion → Active" in content

    def test_networks_events_meetings_and_projects_are_linked(self, viewer_client):
        tartu = make_organisation("Tartu BT Park")
        scanbalt = make_organisation("ScanBalt", kind=Kind.NETWORK)
        Membership.objects.create(
            network=scanbalt,
            member=tartu,
            start_date=datetime.date(2019, 1, 1),
            start_precision="year",
        )
        bio = make_event("BIO 2022")
        meeting = make_meeting(tartu, event=bio, topic="Soft landing")
        project = make_project("GEN.ERA")
        make_consortium_member(project, tartu, role="coordinator")
        content = viewer_client.get(tartu.get_absolute_url()).content.decode()
        assert f'href="{scanbalt.get_absolute_url()}">ScanBalt</a> — Member' in content
        assert "since 2019" in content
        assert f'href="{bio.get_absolute_url()}">BIO 2022</a>' in content
        assert f'href="{meeting.get_absolute_url()}"' in content
        assert f'href="{project.get_absolute_url()}">GEN.ERA</a> — Coordinator' in content

    def test_projects_are_listed_newest_first_with_undated_ones_last(self, viewer_client):
        tartu = make_organisation("Tartu BT Park")
        for acronym, start in [("URINBB", None), ("GEN.ERA", 2020), ("COBIOE", 2022)]:
            started = datetime.date(start, 1, 1) if start else None
            make_consortium_member(make_project(acronym, start_date=started), tartu)
        roles = viewer_client.get(tartu.get_absolute_url()).context["object"].consortium_roles
        assert [role.project.acronym for role in roles.all()] == ["COBIOE", "GEN.ERA", "URINBB"]

    def test_a_network_lists_its_members(self, viewer_client):
        eugloh = make_organisation("EUGLOH", kind=Kind.NETWORK)
        tartu = make_organisation("University of Tartu")
        Membership.objects.create(network=eugloh, member=tartu)
        content = viewer_client.get(eugloh.get_absolute_url()).content.decode()
        assert f'href="{tartu.get_absolute_url()}">University of Tartu</a>' in content

    def test_the_timeline_puts_everything_dated_newest_first(self, viewer_client):
        rtp = make_organisation("Research Triangle Park")
        make_partnership(
            rtp, title="Soft landing", start_date=datetime.date(2019, 1, 1), start_precision="year"
        )
        make_meeting(rtp, date=datetime.date(2022, 6, 14), topic="Renewal")
        shared = make_event("BIO 2021", start_date=datetime.date(2021, 6, 10))
        Participation.objects.create(event=shared, role="exhibitor").co_participants.add(rtp)
        timeline = viewer_client.get(rtp.get_absolute_url()).context["timeline"]
        assert [(entry.date.year, str(entry.what)) for entry in timeline] == [
            (2022, "Meeting"),
            (2021, "At an event alongside Genopole"),
            (2019, "Partnership started"),
        ]

    def test_the_record_history_says_who_changed_which_field(self, viewer_client, make_user):
        editor = make_user("Editor", username="alexis", first_name="Alexis", last_name="B")
        biowin = make_organisation("BioWin", city="Liège")
        biowin.city = "Gosselies"
        biowin._history_user = editor
        biowin.save()
        content = viewer_client.get(biowin.get_absolute_url()).content.decode()
        assert "Changed" in content
        assert "by Alexis B" in content
        assert "city: Liège → Gosselies" in content

    def test_an_unknown_organisation_is_not_found(self, viewer_client):
        response = viewer_client.get(reverse("partners:organisation-detail", args=[999999]))
        assert response.status_code == 404

    def test_every_report_organisation_page_renders(self, viewer_client, report_data):
        for organisation in Organisation.objects.all():
            assert viewer_client.get(organisation.get_absolute_url()).status_code == 200
