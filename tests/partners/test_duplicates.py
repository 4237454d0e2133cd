"""Duplicate candidates: the reports' own variants and typical import variants are proposed,
distinct real partners are not, and "not a duplicate" is remembered."""

import pytest
from django.core.management import call_command

from partners.duplicates import (
    candidates_for_new_organisation,
    organisation_candidates,
    person_candidates,
)
from partners.models import DistinctOrganisations, DistinctPeople, Organisation, OrganisationAlias
from tests.factories import make_organisation, make_person

pytestmark = pytest.mark.django_db

Kind = Organisation.Kind


def pair_names(candidates):
    return {frozenset((c.first.name, c.second.name)) for c in candidates}


def proposed(first, second):
    return frozenset((first, second)) in pair_names(organisation_candidates())


@pytest.mark.parametrize(
    ("existing", "variant"),
    [
        # The reports' own variants.
        (("Tartu BT Park", Kind.SCIENCE_PARK, "EE"), ("Tartù Biocluster", Kind.CLUSTER, "EE")),
        (("New Science LLC", Kind.SME, "US"), ("New sciences LLC", Kind.SME, "US")),
        (
            ("Université Paris-Saclay", Kind.UNIVERSITY, "FR"),
            ("Paris-Saclay University", Kind.UNIVERSITY, "FR"),
        ),
        (("SG Innovate", Kind.PUBLIC_AGENCY, "SG"), ("SGInnovate", Kind.PUBLIC_AGENCY, "SG")),
        (
            ("Bristol Myers Squibb", Kind.CORPORATION, "US"),
            ("Bristol-Myers Squibb", Kind.CORPORATION, "US"),
        ),
        (
            ("Turku Science Park Ltd", Kind.SCIENCE_PARK, "FI"),
            ("Turku Science Park", Kind.OTHER, ""),
        ),
        # Typical import variants: case, accents, punctuation, legal forms, typos.
        (("GEN.ERA", Kind.NETWORK, ""), ("Gen Era", Kind.OTHER, "")),
        (
            ("Agency for Science, Technology and Research", Kind.PUBLIC_AGENCY, "SG"),
            ("AGENCY FOR SCIENCE TECHNOLOGY & RESEARCH", Kind.OTHER, ""),
        ),
        (("Seppic", Kind.CORPORATION, "FR"), ("SEPPIC S.A.", Kind.OTHER, "FR")),
        (
            ("Boehringer Ingelheim", Kind.CORPORATION, "DE"),
            ("Boehringer Ingelheim GmbH", Kind.OTHER, ""),
        ),
        (("Merck", Kind.CORPORATION, "DE"), ("Merck KGaA", Kind.CORPORATION, "DE")),
        (
            ("Lithuanian Biotechnology Association", Kind.NETWORK, "LT"),
            ("Lithuanian Biotechnology Asociation", Kind.OTHER, ""),
        ),
        (
            ("Grand Orly Seine Bièvre", Kind.PUBLIC_AGENCY, "FR"),
            ("grand-orly seine bievre", Kind.OTHER, ""),
        ),
    ],
)
def test_variants_of_one_name_are_proposed(existing, variant):
    for name, kind, country in (existing, variant):
        make_organisation(name, kind=kind, country=country)
    assert proposed(existing[0], variant[0])


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("BioWin", "BioM"),
        ("EIT Health", "EIT Food"),
        ("Merck", "Medicen"),
        ("Medicon Valley", "Biocon Valley"),
        ("University of Porto", "University of Szeged"),
        ("France Cluster", "France Biolead"),
    ],
)
def test_distinct_real_partners_are_not_proposed(first, second):
    make_organisation(first)
    make_organisation(second)
    assert not proposed(first, second)


def test_a_university_is_not_proposed_as_the_science_park_of_its_town():
    make_organisation("Tartu BT Park", kind=Kind.SCIENCE_PARK, country="EE")
    make_organisation("University of Tartu", kind=Kind.UNIVERSITY, country="EE")
    assert not proposed("Tartu BT Park", "University of Tartu")


def test_the_report_fixtures_yield_no_candidates(report_data):
    # The reports' variants are recorded as aliases there, not as second organisations.
    assert organisation_candidates() == []
    assert person_candidates() == []


def test_a_new_record_named_like_another_ones_alias_is_proposed(report_data):
    make_organisation("Paris-Saclay", kind=Kind.OTHER)
    candidate = next(
        c for c in organisation_candidates() if "Paris-Saclay" in (c.first.name, c.second.name)
    )
    assert {candidate.first.name, candidate.second.name} == {
        "Université Paris-Saclay",
        "Paris-Saclay",
    }
    assert candidate.score == 0.9
    assert "alias" in candidate.reason


def test_candidates_come_best_first_each_with_its_reason():
    make_organisation("Synsight")
    make_organisation("SYNSIGHT SAS")
    make_organisation("New Science LLC")
    make_organisation("New sciences LLC")
    make_organisation("Phagos")
    make_organisation("PHAGOS.")
    scores = [(c.score, c.reason) for c in organisation_candidates()]
    assert [score for score, _ in scores] == sorted((score for score, _ in scores), reverse=True)
    assert scores[0][0] == 1.0 and "punctuation" in scores[0][1]
    assert scores[1] == (0.95, "Same name apart from the legal form")
    assert 0.5 < scores[2][0] < 0.85 and "similar" in scores[2][1].lower()


def test_a_pair_marked_not_a_duplicate_is_not_proposed_again():
    first = make_organisation("New Science LLC")
    second = make_organisation("New sciences LLC")
    DistinctOrganisations.objects.create(first=second, second=first)
    assert organisation_candidates() == []


def test_people_with_the_same_name_or_email_are_proposed():
    genopole = make_organisation("Genopole")
    make_person(genopole, first_name="Étienne", last_name="Philippe")
    make_person(genopole, first_name="Etienne", last_name="Philippe")
    make_person(genopole, first_name="Ada", last_name="Lovelace", email="ada@example.org")
    make_person(first_name="Augusta", last_name="King", email="ADA@example.org")
    reasons = {c.reason for c in person_candidates()}
    assert reasons == {"Same name at the same organisation", "Same email address"}


def test_people_marked_not_duplicates_are_not_proposed_again():
    one = make_person(first_name="Jean", last_name="Martin")
    other = make_person(first_name="Jean", last_name="Martin")
    assert [c.reason for c in person_candidates()] == ["Same name, at another organisation"]
    DistinctPeople.objects.create(first=one, second=other)
    assert person_candidates() == []


def test_a_new_organisation_is_checked_against_the_existing_ones(report_data):
    names = [
        c.first.name
        for c in candidates_for_new_organisation(
            "Tartu Biocluster", kind=Kind.CLUSTER, country="EE"
        )
    ]
    assert names == ["Tartu BT Park"]
    assert candidates_for_new_organisation("Biocodex", kind=Kind.CORPORATION) == []


def test_find_duplicates_prints_one_pair_a_line_best_first(capsys):
    make_organisation("Phagos")
    make_organisation("PHAGOS.")
    make_organisation("Synsight")
    make_organisation("Synsight SAS")
    call_command("find_duplicates")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("1.00  #") and "Phagos" in lines[0] and "PHAGOS." in lines[0]
    assert lines[1].startswith("0.95  #")


def test_every_spelling_the_reports_use_is_proposed_when_recorded_as_an_organisation(
    report_data,
):
    # The fixtures record the reports' variants as aliases; an import that did not know
    # them would have created organisations (of kind "other") instead.
    spellings = []
    for alias in OrganisationAlias.objects.select_related("organisation"):
        spellings.append((alias.organisation.name, alias.name))
        alias.delete()
        make_organisation(alias.name, kind=Kind.OTHER)
    found = pair_names(organisation_candidates())
    assert [pair for pair in spellings if frozenset(pair) not in found] == []
