import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from core.models import DatePrecision
from core.search import fold
from partners.models import Membership, Organisation, OrganisationAlias
from tests.factories import make_meeting, make_organisation, make_partnership, make_person
from tests.helpers import assert_rejected_by_database

pytestmark = pytest.mark.django_db


class TestOrganisationIntegrity:
    def test_names_are_unique_whatever_the_case(self):
        make_organisation("BioWin")
        assert_rejected_by_database(lambda: make_organisation("BIOWIN"))

    def test_full_clean_reports_a_duplicate_name_as_a_validation_error(self):
        make_organisation("BioWin")
        with pytest.raises(ValidationError, match="already exists"):
            Organisation(name="biowin", kind=Organisation.Kind.CLUSTER).full_clean()

    def test_a_name_already_used_as_another_organisations_alias_is_refused(self):
        tartu = make_organisation("Tartu BT Park")
        OrganisationAlias.objects.create(organisation=tartu, name="Tartù Biocluster")
        with pytest.raises(ValidationError, match="already an alias of Tartu BT Park"):
            Organisation(name="Tartu Biocluster", kind=Organisation.Kind.CLUSTER).full_clean()

    def test_an_alias_cannot_be_the_name_of_another_organisation(self):
        make_organisation("Medicen")
        other = make_organisation("Medicon Valley")
        with pytest.raises(ValidationError, match="is the name of Medicen"):
            OrganisationAlias(organisation=other, name="MEDICEN").full_clean()

    def test_aliases_are_unique_whatever_the_case(self):
        OrganisationAlias.objects.create(organisation=make_organisation(), name="Kawasaki")
        assert_rejected_by_database(
            lambda: OrganisationAlias.objects.create(
                organisation=make_organisation(), name="KAWASAKI"
            )
        )

    def test_an_organisation_cannot_be_its_own_parent(self):
        organisation = make_organisation()
        organisation.parent = organisation
        assert_rejected_by_database(organisation.save)

    def test_a_parent_with_children_cannot_be_deleted(self):
        parent = make_organisation("Research Triangle Park")
        make_organisation("North Carolina Biotechnology Center", parent=parent)
        with pytest.raises(ProtectedError):
            parent.delete()

    @pytest.mark.parametrize(
        "make_dependent",
        [make_person, make_partnership, make_meeting],
        ids=["person", "partnership", "meeting"],
    )
    def test_an_organisation_with_history_cannot_be_deleted(self, make_dependent):
        organisation = make_organisation()
        make_dependent(organisation=organisation)
        with pytest.raises(ProtectedError):
            organisation.delete()


class TestSearch:
    def test_fold_ignores_accents_case_and_extra_spaces(self):
        assert fold("  Grand Orly  Seine BIÈVRE ") == "grand orly seine bievre"
        assert fold("Tartù") == fold("TARTU") == "tartu"

    def test_fold_maps_letters_unicode_does_not_decompose(self):
        assert fold("Øresund Straße") == "oresund strasse"

    def test_search_finds_a_name_without_its_accents(self):
        make_organisation("Grand Orly Seine Bièvre")
        make_organisation("Medicen")
        found = Organisation.objects.search("bievre")
        assert [o.name for o in found] == ["Grand Orly Seine Bièvre"]

    def test_search_finds_an_organisation_by_an_accented_alias(self):
        tartu = make_organisation("Tartu BT Park")
        OrganisationAlias.objects.create(organisation=tartu, name="Tartù Biocluster")
        assert list(Organisation.objects.search("TARTU BIOCLUSTER")) == [tartu]

    def test_search_requires_every_word_and_lists_each_match_once(self):
        park = make_organisation("Research Triangle Park", short_name="RTP")
        OrganisationAlias.objects.create(organisation=park, name="Triangle Park")
        make_organisation("Tartu BT Park")
        assert list(Organisation.objects.search("triangle park")) == [park]

    def test_search_by_short_name(self):
        cebr = make_organisation("Council of European BioRegions", short_name="CEBR")
        assert list(Organisation.objects.search("cebr")) == [cebr]


class TestMembership:
    def test_an_organisation_cannot_be_a_member_of_itself(self):
        network = make_organisation(kind=Organisation.Kind.NETWORK)
        assert_rejected_by_database(
            lambda: Membership.objects.create(network=network, member=network)
        )

    def test_a_member_is_listed_once_per_network(self):
        network, member = make_organisation(), make_organisation()
        Membership.objects.create(network=network, member=member)
        assert_rejected_by_database(
            lambda: Membership.objects.create(network=network, member=member)
        )

    def test_members_and_networks_are_reachable_from_both_sides(self):
        eugloh = make_organisation("EUGLOH", kind=Organisation.Kind.NETWORK)
        lund = make_organisation("Lund University", kind=Organisation.Kind.UNIVERSITY)
        Membership.objects.create(network=eugloh, member=lund)
        assert list(lund.networks.all()) == [eugloh]
        assert list(eugloh.network_members.all()) == [lund]


class TestPartnership:
    def test_the_end_cannot_come_before_the_start(self):
        assert_rejected_by_database(
            lambda: make_partnership(
                start_date=datetime.date(2022, 5, 1), end_date=datetime.date(2021, 1, 1)
            )
        )

    def test_full_clean_explains_an_end_before_the_start(self):
        partnership = make_partnership()
        partnership.start_date = datetime.date(2022, 5, 1)
        partnership.end_date = datetime.date(2021, 1, 1)
        with pytest.raises(ValidationError, match="cannot be before the start"):
            partnership.full_clean()

    def test_an_open_ended_partnership_is_allowed(self):
        partnership = make_partnership(start_date=datetime.date(2019, 1, 1), end_date=None)
        partnership.full_clean()

    def test_titles_are_unique_per_organisation_and_type(self):
        organisation = make_organisation()
        make_partnership(organisation=organisation, title="Administrative board seat")
        assert_rejected_by_database(
            lambda: make_partnership(organisation=organisation, title="Administrative board seat")
        )

    def test_dates_are_shown_as_precisely_as_the_source_states_them(self):
        partnership = make_partnership(
            start_date=datetime.date(2019, 1, 1),
            start_precision=DatePrecision.YEAR,
            end_date=datetime.date(2022, 5, 1),
            end_precision=DatePrecision.MONTH,
        )
        assert partnership.start_display == "2019"
        assert partnership.end_display == "May 2022"


class TestPerson:
    def test_one_person_per_name_and_organisation_whatever_the_case(self):
        organisation = make_organisation()
        make_person(organisation=organisation, first_name="Laurent", last_name="Pépin")
        assert_rejected_by_database(
            lambda: make_person(organisation=organisation, first_name="LAURENT", last_name="pépin")
        )

    def test_namesakes_at_different_organisations_are_allowed(self):
        make_person(first_name="Marie", last_name="Martin")
        make_person(first_name="Marie", last_name="Martin")


def test_organisations_are_counted_in_the_year_of_their_first_meeting_only():
    biowin, merck = make_organisation("BioWin"), make_organisation("Merck")
    make_organisation("Never Met")
    make_meeting(biowin, date=datetime.date(2021, 3, 1))
    make_meeting(biowin, date=datetime.date(2022, 5, 1))
    make_meeting(merck, date=datetime.date(2022, 6, 1))
    assert Organisation.objects.first_met_per_year() == [
        {"year": 2021, "total": 1},
        {"year": 2022, "total": 1},
    ]
