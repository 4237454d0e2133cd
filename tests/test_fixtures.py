"""The report-derived data: loadable, reloadable, and saying what the reports say."""

import datetime

import pytest
from django.apps import apps
from django.core.management import call_command

from events.follow_ups.models import FollowUp
from events.models import Event, EventFigure, Meeting
from partners.models import Organisation, Partnership, Person, Report
from projects.models import Project
from tests.conftest import FIXTURES

pytestmark = pytest.mark.django_db

DOMAIN_APPS = ("partners", "events", "projects")


# Records that only ever come from using the application, never from the reports (an import
# preview is an upload waiting for its confirmation).
NOT_IN_REPORTS = {"ImportRecord", "ImportPreview", "ImportJob", "Subscriber"}


def domain_models():
    return [
        model
        for app in DOMAIN_APPS
        for model in apps.get_app_config(app).get_models()
        if not model.__name__.startswith("Historical") and model.__name__ not in NOT_IN_REPORTS
    ]


def record_counts():
    return {model.__name__: model.objects.count() for model in domain_models()}


@pytest.fixture
def loaded(db):
    """Loaded by loaddata itself, as `make run` does (not from the test snapshot)."""
    call_command("loaddata", *FIXTURES, verbosity=0)


def test_the_fixtures_load_into_an_empty_database(loaded):
    counts = record_counts()
    assert counts["Report"] == 5
    assert counts["Organisation"] > 60
    # "Not a duplicate" decisions are staff's, not the reports'.
    decisions = {"DistinctOrganisations", "DistinctPeople"}
    from_reports = {name: count for name, count in counts.items() if name not in decisions}
    assert all(from_reports.values()), f"a model has no report data: {counts}"


def test_loading_the_fixtures_again_duplicates_nothing(loaded):
    before = record_counts()
    call_command("loaddata", *FIXTURES, verbosity=0)
    assert record_counts() == before


# The reports' only follow-up: the one migration events.0009 and adopt_meeting_follow_ups
# made a task of, from the meeting's old columns.
SIDI_THABET = (
    "Genopole may accompany the Tunisian pole in consolidating its Fablab and structuring its "
    "entrepreneurship activities."
)


def report_follow_ups():
    return list(
        FollowUp.objects.values_list(
            "meeting__organisation__name", "meeting__event__name", "what", "state", "owner"
        )
    )


def test_the_reports_follow_up_is_an_open_task_on_its_meeting(loaded):
    assert report_follow_ups() == [
        ("BiotechPole Sidi Thabet", "Pharma In cluster inauguration", SIDI_THABET, "open", None)
    ]


def test_setup_local_loads_the_reports_follow_up_with_them(db, capsys):
    call_command("setup_local")
    assert [what for _org, _event, what, *_ in report_follow_ups()] == [SIDI_THABET]


def test_the_test_snapshot_has_the_reports_follow_up(report_data):
    assert len(report_follow_ups()) == 1


def test_every_report_derived_record_names_its_source_reports(report_data):
    for model in domain_models():
        if not any(f.name == "sources" for f in model._meta.get_fields()):
            continue
        unsourced = model.objects.filter(sources__isnull=True)
        assert not unsourced.exists(), f"{model.__name__} without a source: {list(unsourced)}"


def test_each_report_is_recorded_with_its_year(report_data):
    assert dict(Report.objects.values_list("file_name", "year")) == {
        "000_52c3a5c3104651b5.txt": 2020,
        "001_11a6a809ac557fdf.txt": 2020,
        "002_21bab461d7a70b0e.txt": 2021,
        "003_0d8ce277c9ec8333.txt": 2020,
        "004_d8d48f5feeb4f35b.txt": 2022,
    }


@pytest.mark.parametrize(
    ("spelling", "organisation"),
    [
        ("Tartù Biocluster", "Tartu BT Park"),
        ("New sciences LLC", "New Science LLC"),
        ("Paris-Saclay University", "Université Paris-Saclay"),
        ("Life Innovation Center de Kawasaki", "Kawasaki Life Innovation Center"),
        ("Triangle Park", "Research Triangle Park"),
        ("GIP Genopole", "Genopole"),
    ],
)
def test_other_spellings_are_aliases_of_one_record(report_data, spelling, organisation):
    assert [o.name for o in Organisation.objects.named(spelling)] == [organisation]


def test_gen_era_is_coordinated_by_genopole_with_four_partners(report_data):
    gen_era = Project.objects.get(acronym="GEN.ERA")
    roles = {m.organisation.name: m.role for m in gen_era.consortium.select_related("organisation")}
    assert roles == {
        "Genopole": "coordinator",
        "Distretto Tecnologico Campania Bioscience": "partner",
        "Tartu BT Park": "partner",
        "Turku Science Park Ltd": "partner",
        "East-Netherlands Development Agency": "partner",
    }
    assert gen_era.programme.name == "COSME"
    assert gen_era.status == Project.Status.CLOSED
    closing = gen_era.milestones.get(kind="closing_event")
    assert closing.date == datetime.date(2022, 6, 14)
    assert closing.event.venue == "Tartu BT Park"


def test_cobioe_was_signed_on_27_december_2022_with_four_partners(report_data):
    cobioe = Project.objects.get(acronym="COBIOE")
    assert cobioe.milestones.get(kind="signature").date == datetime.date(2022, 12, 27)
    assert cobioe.coordinator.name == "Genopole"
    assert sorted(
        cobioe.consortium.filter(role="partner").values_list("organisation__name", flat=True)
    ) == [
        "Council of European BioRegions",
        "EIT Health",
        "Health Cluster Portugal",
        "ScanBalt",
    ]


def test_eugloh_groups_nine_universities_coordinated_by_paris_saclay(report_data):
    eugloh = Organisation.objects.get(short_name="EUGLOH")
    members = eugloh.member_links.select_related("member")
    assert members.count() == 9
    assert all(m.member.kind == Organisation.Kind.UNIVERSITY for m in members)
    assert members.get(role="coordinator").member.name == "Université Paris-Saclay"
    assert eugloh.partnerships.get().type == Partnership.Type.ASSOCIATE_PARTNERSHIP


def test_the_research_triangle_park_soft_landing_started_in_2019(report_data):
    soft_landing = Partnership.objects.get(
        organisation__name="Research Triangle Park", type=Partnership.Type.SOFT_LANDING
    )
    assert soft_landing.start_display == "2019"
    assert soft_landing.status == Partnership.Status.ACTIVE
    assert "finalise" in soft_landing.notes
    nc_biotech = Organisation.objects.get(name="North Carolina Biotechnology Center")
    assert nc_biotech.parent == soft_landing.organisation


def test_cebr_seats_move_from_executive_committee_to_board_in_may_2022(report_data):
    seats = Partnership.objects.filter(
        organisation__short_name="CEBR", type=Partnership.Type.GOVERNANCE_SEAT
    )
    board = seats.get(title="Administrative board seat")
    assert (board.start_date, board.start_precision) == (datetime.date(2022, 5, 1), "month")
    assert seats.get(title="Executive committee seat").status == Partnership.Status.ENDED


def test_eit_health_membership_since_2019(report_data):
    membership = Partnership.objects.get(organisation__name="EIT Health", type="membership")
    assert membership.start_date.year == 2019


def test_bio_editions_form_one_series(report_data):
    editions = Event.objects.filter(series__short_name="BIO").order_by("start_date")
    assert [e.edition for e in editions] == ["2020", "2021", "2022"]
    assert [e.format for e in editions] == ["virtual", "virtual", "in_person"]


def test_bio_2022_figures_keep_the_reports_wording(report_data):
    bio_2022 = Event.objects.named("bio 2022").get()
    figures = {f.metric: f for f in bio_2022.figures.all()}
    assert (figures["meetings"].qualifier, figures["meetings"].value) == ("about", 100)
    assert figures["corporations"].value == 25
    assert figures["investors"].value == 20
    assert figures["genopole_companies"].value == 8
    assert (figures["participants"].qualifier, figures["participants"].value) == (
        "more_than",
        13000,
    )
    assert str(figures["meetings"]) == "about 100 meetings"
    assert bio_2022.participation.accompanied_companies.count() == 8


def test_named_counterparts_at_bio_2022_are_meetings(report_data):
    met = Meeting.objects.filter(event__aliases__name="BIO 2022").values_list(
        "organisation__name", flat=True
    )
    assert {"Merck", "Boehringer Ingelheim", "Bristol Myers Squibb", "Taiho"} <= set(met)


def test_people_are_recorded_with_their_roles(report_data):
    assert Person.objects.get(last_name="Pépin").role == "Director of Prospection and Partnerships"
    assert Person.objects.get(last_name="Lasserre").role == "CEO"
    assert Person.objects.get(last_name="Moscatelli").organisation.name == "EndoGene.Bio"


def test_the_event_aliases_staff_use_resolve(report_data):
    for alias in ["BIO 2022", "BIO-Europe 2022", "Biotech Showcase 2020"]:
        assert Event.objects.named(alias).count() == 1, alias


def test_genopole_companies_are_flagged_as_accompanied(report_data):
    accompanied = set(Organisation.objects.genopole_accompanied().values_list("name", flat=True))
    assert {"Synsight", "Deeptope", "Phagos", "CGenetix", "EndoGene.Bio"} <= accompanied


def test_event_figures_are_unique_per_metric_and_detail(report_data):
    ehds = Event.objects.get(name__startswith="European Health Data Space")
    assert sorted(
        EventFigure.objects.filter(event=ehds, metric="participants").values_list("label", "value")
    ) == [("in person", 40), ("virtual", 290)]
