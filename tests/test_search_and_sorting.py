"""Search and sorting as a person expects: punctuation, case and accents ignored, all words
within one record, best matches first, countries by name, alphabetical order that ignores
case and accents on the lists, the admin and the CSV."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import Event, Meeting
from partners.models import Organisation, OrganisationAlias, Person
from projects.models import Project
from tests.factories import (
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_person,
)
from tests.pages import csv_rows, listed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_afterwards():
    # A request in French leaves French active in this thread: later tests expect English.
    yield
    translation.activate("en")


ORGANISATIONS = reverse("partners:organisation-list")


def names(queryset):
    return [str(record) for record in queryset]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("genera", "GEN.ERA"),
        ("gen.era", "GEN.ERA"),
        ("astar", "Agency for Science, Technology and Research"),
        ("a*star", "Agency for Science, Technology and Research"),
        ("endogenebio", "EndoGene.Bio"),
        ("hopitaux de paris", "Assistance Publique – Hôpitaux de Paris"),
    ],
)
def test_punctuation_is_ignored(report_data, query, found):
    matches = names(Organisation.objects.search(query)) + names(Project.objects.search(query))
    assert found in matches


def test_all_words_must_match_within_one_record():
    biowin = make_organisation("BioWin")
    make_meeting(biowin, event=make_event("BIO 2022"), topic="Soft landing")
    assert Meeting.objects.search("biowin").count() == 1
    assert Meeting.objects.search("bio 2022").count() == 1
    # "biowin" is the organisation's, "2022" the event's, "landing" the meeting's own.
    assert Meeting.objects.search("biowin 2022").count() == 0
    assert Meeting.objects.search("biowin landing").count() == 0


def test_a_person_is_not_found_by_a_name_split_across_them_and_their_organisation():
    make_person(make_organisation("Genopole"), first_name="Laurent", last_name="Pépin")
    assert names(Person.objects.search("laurent pepin")) == ["Laurent Pépin"]
    assert names(Person.objects.search("genopole")) == ["Laurent Pépin"]
    assert names(Person.objects.search("laurent genopole")) == []


def test_results_are_ranked_exact_name_or_alias_then_prefix_then_the_rest():
    make_organisation("Medicen Paris Region")
    make_organisation("Pôle Medicen")
    make_organisation("Medicen")
    alias_owner = make_organisation("Paris Region Health Cluster")
    OrganisationAlias.objects.create(organisation=alias_owner, name="MEDICEN.")
    ranked = names(Organisation.objects.ranked_search("medicen"))
    assert set(ranked[:2]) == {"Medicen", "Paris Region Health Cluster"}
    assert ranked[2:] == ["Medicen Paris Region", "Pôle Medicen"]


def test_the_organisation_list_shows_the_best_match_first_unless_sorted(viewer_client):
    make_organisation("Biotech Sidi Thabet")
    make_organisation("Alsace BioValley")
    make_organisation("Bio")
    assert listed(viewer_client.get(ORGANISATIONS, {"q": "bio"})) == [
        "Bio",
        "Biotech Sidi Thabet",
        "Alsace BioValley",
    ]
    assert listed(viewer_client.get(ORGANISATIONS, {"q": "bio", "sort": "name"}))[0] == (
        "Alsace BioValley"
    )


@pytest.mark.parametrize("query", ["Japon", "japan", "JAPAN"])
def test_countries_are_searchable_by_name_in_english_or_french(report_data, query):
    assert "Kawasaki Life Innovation Center" in names(Organisation.objects.search(query))


def test_the_global_search_includes_partnerships_and_shows_kind_and_country(viewer_client):
    biowin = make_organisation("BioWin", kind=Organisation.Kind.CLUSTER, country="BE")
    make_partnership(biowin, title="Soft-landing agreement")
    response = viewer_client.get(reverse("search"), {"q": "biowin"})
    page = response.content.decode()
    assert "Soft-landing agreement" in page
    assert "— Cluster, Belgium" in page


def test_the_global_search_shows_the_latest_partnerships_first(viewer_client):
    # The list sorts them by organisation: Alsace BioValley's first.
    make_partnership(make_organisation("Alsace BioValley"), title="Earlier agreement")
    make_partnership(make_organisation("BioWin"), title="Later agreement")
    response = viewer_client.get(reverse("search"), {"q": "agreement"})
    sections = {str(s["label"]): s for s in response.context["sections"]}
    titles = [result.record.title for result in sections["partnerships"]["results"]]
    assert titles == ["Later agreement", "Earlier agreement"]


def test_the_admin_search_ignores_punctuation(admin_client, report_data):
    response = admin_client.get(reverse("admin:partners_organisation_changelist"), {"q": "astar"})
    assert [str(o) for o in response.context["cl"].result_list] == [
        "Agency for Science, Technology and Research"
    ]


# Sorting.

MIXED = [
    "bjt Pharma",
    "BioWin",
    "Étoile",
    "Biocon Valley",
    "BioM",
    "eagle",
    "Zeta",
    "Université Paris-Saclay",
    "UiT",
]
NATURAL = [
    "Biocon Valley",
    "BioM",
    "BioWin",
    "bjt Pharma",
    "eagle",
    "Étoile",
    "UiT",
    "Université Paris-Saclay",
    "Zeta",
]


@pytest.fixture
def mixed_names():
    for name in MIXED:
        make_organisation(name)


def test_names_sort_ignoring_case_and_accents_in_the_database(mixed_names):
    assert names(Organisation.objects.order_by("name")) == NATURAL


def test_the_list_page_and_its_csv_sort_ignoring_case_and_accents(
    viewer_client, make_user, mixed_names
):
    assert listed(viewer_client.get(ORGANISATIONS)) == NATURAL
    assert listed(viewer_client.get(ORGANISATIONS, {"sort": "-name"})) == NATURAL[::-1]
    viewer_client.force_login(make_user("Administrator", username="exporter"))
    rows = csv_rows(viewer_client.get(ORGANISATIONS, {"export": "csv"}))
    assert [row[0] for row in rows[1:]] == NATURAL


def test_the_admin_list_sorts_ignoring_case_and_accents(admin_client, mixed_names):
    response = admin_client.get(reverse("admin:partners_organisation_changelist"))
    assert [str(o) for o in response.context["cl"].result_list] == NATURAL


def test_people_sort_by_last_name_ignoring_accents():
    genopole = make_organisation("Genopole")
    for last_name in ["Fabre", "Étienne", "Dupont", "evans"]:
        make_person(genopole, first_name="Ada", last_name=last_name)
    assert [p.last_name for p in Person.objects.all()] == ["Dupont", "Étienne", "evans", "Fabre"]


def test_the_country_column_sorts_by_the_countries_names_in_the_language_shown(viewer_client):
    for name, country in [("A", "DE"), ("B", "BE"), ("C", "ES")]:
        make_organisation(name, country=country)
    # English: Belgium, Germany, Spain. French: Allemagne, Belgique, Espagne.
    assert listed(viewer_client.get(ORGANISATIONS, {"sort": "country"})) == ["B", "A", "C"]
    response = viewer_client.get(ORGANISATIONS, {"sort": "country"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert listed(response) == ["A", "B", "C"]


def test_the_kind_column_sorts_by_the_kinds_names(viewer_client):
    make_organisation("Merck", kind=Organisation.Kind.CORPORATION)
    make_organisation("Leaf Ventures", kind=Organisation.Kind.INVESTOR)
    make_organisation("Synsight", kind=Organisation.Kind.SME)
    # Investor, Large company, SME; by code it would be corporation, investor, sme.
    assert listed(viewer_client.get(ORGANISATIONS, {"sort": "kind"})) == [
        "Leaf Ventures",
        "Merck",
        "Synsight",
    ]
    # Grande entreprise, Investisseur, PME.
    response = viewer_client.get(ORGANISATIONS, {"sort": "kind"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert listed(response) == ["Merck", "Leaf Ventures", "Synsight"]


def test_event_names_sort_ignoring_case(viewer_client):
    for name in ["bio-Europe", "BIO 2022", "Biotech Showcase"]:
        make_event(name, start_date=datetime.date(2022, 1, 1))
    assert names(Event.objects.order_by("name")) == ["BIO 2022", "bio-Europe", "Biotech Showcase"]


def admin_sorted(client, model_admin, column, language="en"):
    """The admin changelist's rows, sorted by clicking the heading of `column` (a leading
    "-": clicked twice, descending)."""
    url = reverse(f"admin:{model_admin.opts.app_label}_{model_admin.opts.model_name}_changelist")
    # The columns as the changelist numbers them (the action checkbox comes first).
    index = client.get(url).context["cl"].list_display.index(column.lstrip("-"))
    order = f"-{index}" if column.startswith("-") else str(index)
    response = client.get(url, {"o": order}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return [str(row) for row in response.context["cl"].result_list]


def model_admin(model):
    from django.contrib import admin

    return admin.site._registry[model]


def test_the_admin_country_column_sorts_by_the_countries_names_in_the_language_shown(
    admin_client,
):
    for name, country in [("A", "DE"), ("B", "BE"), ("C", "ES")]:
        make_organisation(name, country=country)
    organisations = model_admin(Organisation)
    # English: Belgium, Germany, Spain. French: Allemagne, Belgique, Espagne.
    assert admin_sorted(admin_client, organisations, "country") == ["B", "A", "C"]
    assert admin_sorted(admin_client, organisations, "country", "fr") == ["A", "B", "C"]
    assert admin_sorted(admin_client, organisations, "-country", "fr") == ["C", "B", "A"]


def test_the_admin_kind_column_sorts_by_the_kinds_names_in_the_language_shown(admin_client):
    make_organisation("Merck", kind=Organisation.Kind.CORPORATION)
    make_organisation("Leaf Ventures", kind=Organisation.Kind.INVESTOR)
    make_organisation("Synsight", kind=Organisation.Kind.SME)
    organisations = model_admin(Organisation)
    # Investor, Large company, SME; by code it would be corporation, investor, sme.
    assert admin_sorted(admin_client, organisations, "kind") == [
        "Leaf Ventures",
        "Merck",
        "Synsight",
    ]
    # Grande entreprise, Investisseur, PME.
    assert admin_sorted(admin_client, organisations, "kind", "fr") == [
        "Merck",
        "Leaf Ventures",
        "Synsight",
    ]


def test_the_admin_status_column_sorts_by_the_statuses_names_in_the_language_shown(
    admin_client,
):
    from partners.models import Partnership

    for status in Partnership.Status:
        make_partnership(make_organisation(status.value), status=status)
    partnerships = model_admin(Partnership)

    def organisations(rows):
        return [row.split(" — ")[0] for row in rows]

    # Active, Ended, In discussion, Prospect (the codes' order too, in English).
    assert organisations(admin_sorted(admin_client, partnerships, "status")) == [
        "active",
        "ended",
        "in_discussion",
        "prospect",
    ]
    # Actif, En discussion, Piste, Terminé.
    assert organisations(admin_sorted(admin_client, partnerships, "status", "fr")) == [
        "active",
        "in_discussion",
        "prospect",
        "ended",
    ]
