"""Names in a log resolve to the CRM's records; an unknown organisation or event is an error."""

import datetime
import re

import pytest

from core.search import fold
from events.importing.values import name_key
from events.models import Meeting
from partners.models import Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "organisation"),
    [
        (14, "Tartu BT Park"),  # "Tartù Biocluster": an alias
        (15, "Bristol Myers Squibb"),  # "BRISTOL MYERS SQUIBB": another case
        (16, "Grand Orly Seine Bièvre"),  # "Grand Orly Seine Bievre": no accent
    ],
)
def test_organisations_match_by_name_or_alias_whatever_the_case_and_accents(
    import_file, day, organisation
):
    import_file("fr_excel_cp1252.csv")
    found = Meeting.objects.get(date=datetime.date(2022, 10, day)).organisation
    assert found.name == organisation


@pytest.mark.parametrize(
    "name",
    [
        "  Grand   Orly Seine  Bièvre ",
        "GEN.ERA",
        "Tartù\u00a0Biocluster",  # a no-break space
        "Jörg\tMÜLLER-Lefèvre",
        "Straße Æther Œuvre Ørsted Łódź",
        "A*STAR\u2003(Paris)",  # an em space
        "BIO–Europe 2022",
        "",
    ],
)
def test_a_names_key_is_its_folded_form_without_spaces_or_punctuation(name):
    assert name_key(name) == re.sub(r"[\W_]+", "", fold(name))


def test_events_match_by_alias_whatever_the_case(import_file):
    import_file("utf8_tab.tsv")  # "EHDS conference 2022" and "EHDS CONFERENCE 2022"
    events = set(Meeting.objects.filter(date__year=2022, date__month=6, date__day__in=[8, 9]))
    assert {m.event.name for m in events} == {"European Health Data Space conference 2022"}


def test_extra_spaces_in_a_name_do_not_matter(import_file, write_log):
    from events.importing import import_meeting_log

    path = write_log("Date;Organisation\n2022-10-14;  Grand   Orly Seine  Bièvre \n")
    with path.open("rb") as stream:
        report = import_meeting_log(stream=stream, file_name="log.csv")
    assert (report.created, report.errors) == (1, [])


def test_an_unknown_organisation_is_an_error_naming_the_closest_known_names(import_file):
    report = import_file("unknown_names.csv")
    error = next(e for e in report.errors if e.row == 2)
    assert (error.column, error.value) == ("Organisation", "Tartu Biocluter")
    assert "“Tartù Biocluster”" in error.reason


def test_an_unknown_event_is_an_error_naming_the_closest_known_names(import_file):
    report = import_file("unknown_names.csv")
    error = next(e for e in report.errors if e.row == 3)
    assert (error.column, error.value) == ("Event", "BIO Europe 2032")
    assert "“BIO-Europe 2022”" in error.reason


def test_a_name_with_nothing_close_says_to_add_it_first(import_file):
    report = import_file("unknown_names.csv")
    error = next(e for e in report.errors if e.row == 4)
    assert "nor a close one" in error.reason


def test_an_unknown_organisation_never_becomes_a_new_record(import_file):
    before = Organisation.objects.count()
    import_file("unknown_names.csv")
    assert Organisation.objects.count() == before


def test_known_contacts_match_whatever_the_accents_and_the_case(import_file):
    report = import_file("contacts.csv")
    assert report.new_contacts == []
    people = Meeting.objects.get(date=datetime.date(2022, 10, 15)).people.all()
    assert sorted(p.full_name for p in people) == ["Gilles Lasserre", "Laurent Pépin"]


def test_a_single_known_first_name_resolves_to_the_only_person_so_named(import_file):
    import_file("contacts.csv")
    people = Meeting.objects.get(date=datetime.date(2022, 10, 16)).people.all()
    assert [p.full_name for p in people] == ["Alexis Biton"]


def test_a_single_unknown_name_is_an_error_asking_for_first_and_last_name(import_file):
    report = import_file("contact_single_unknown_name.csv")
    error = report.errors[0]
    assert (error.row, error.column, error.value) == (2, "Contacts", "Zora")
    assert "first and a last name" in error.reason


def test_unknown_contacts_are_created_at_the_meeting_organisation(import_file):
    import_file("partnering_export.csv")
    tartu = Organisation.objects.get(name="Tartu BT Park")
    assert set(tartu.people.values_list("first_name", "last_name")) >= {
        ("Kadri", "Tamm"),
        ("Jaan", "Kask"),
    }


def test_new_contacts_are_listed_in_the_report(import_file):
    report = import_file("partnering_export.csv")
    assert sorted((c.full_name, c.organisation, c.rows) for c in report.new_contacts) == [
        ("Jaan Kask", "Tartu BT Park", [3]),
        ("Kadri Tamm", "Tartu BT Park", [3]),
        ("Marie DUPONT", "BioWin", [2]),
    ]


def test_a_surname_in_capitals_first_is_read_as_the_last_name(import_file):
    import_file("partnering_export.csv")
    assert Person.objects.filter(first_name="Marie", last_name="DUPONT").exists()


def test_a_dry_run_lists_new_contacts_without_creating_them(import_file):
    report = import_file("partnering_export.csv", dry_run=True)
    assert len(report.new_contacts) == 3
    assert not Person.objects.filter(last_name__in=["Tamm", "Kask", "DUPONT"]).exists()


def _import_text(write_log, text):
    from events.importing import import_meeting_log

    with write_log(text).open("rb") as stream:
        return import_meeting_log(stream=stream, file_name="log.csv")


@pytest.mark.parametrize(
    "written", ["BIO Europe Spring 2021", "bio-europe spring-2021", "BIOEurope Spring 2021"]
)
def test_event_names_match_ignoring_hyphens_and_spaces(report_data, write_log, written):
    text = f"Date;Event;Organisation\n2021-03-02;{written};Université Paris-Saclay\n"
    report = _import_text(write_log, text)
    assert (report.errors, report.created) == ([], 1)
    assert (
        Meeting.objects.get(date=datetime.date(2021, 3, 2)).event.name == "BIO-Europe Spring 2021"
    )


@pytest.mark.parametrize("written", ["EndoGene Bio", "endogenebio", "ENDO-GENE.BIO"])
def test_organisation_names_match_ignoring_punctuation(report_data, write_log, written):
    report = _import_text(write_log, f"Date;Organisation\n2022-10-14;{written}\n")
    assert (report.errors, report.created) == ([], 1)
    assert Meeting.objects.get(date=datetime.date(2022, 10, 14)).organisation.name == "EndoGene.Bio"


def test_a_legal_form_is_not_dropped_but_the_name_without_it_is_suggested(report_data, write_log):
    report = _import_text(write_log, "Date;Organisation\n2022-10-14;Boehringer Ingelheim GmbH\n")
    (error,) = report.errors
    assert error.value == "Boehringer Ingelheim GmbH"
    assert "“Boehringer Ingelheim”" in error.reason
    assert report.created == 0


def test_contact_names_match_ignoring_hyphens(report_data, write_log):
    person = Person.objects.create(
        first_name="Jean-Marc",
        last_name="Dupont",
        organisation=Organisation.objects.get(name="BioWin"),
    )
    report = _import_text(
        write_log, "Date;Organisation;Contacts\n2022-10-14;BioWin;Jean Marc Dupont\n"
    )
    assert (report.errors, report.new_contacts) == ([], [])
    assert list(Meeting.objects.get(date=datetime.date(2022, 10, 14)).people.all()) == [person]


def test_a_contacts_cell_repeated_on_lines_links_its_people_to_each_meeting(
    report_data, write_log
):
    biowin = Organisation.objects.get(name="BioWin")
    paris_saclay = Organisation.objects.get(name="Université Paris-Saclay")
    at_biowin = Person.objects.create(first_name="Léa", last_name="Durand", organisation=biowin)
    at_saclay = Person.objects.create(
        first_name="Léa", last_name="Durand", organisation=paris_saclay
    )
    text = (
        "Date;Organisation;Contacts\n"
        "2022-10-14;BioWin;Léa Durand\n"
        "2022-10-15;BioWin;Léa Durand\n"
        "2022-10-16;Université Paris-Saclay;Léa Durand\n"
    )
    report = _import_text(write_log, text)
    assert (report.errors, report.created, report.new_contacts) == ([], 3, [])
    people = {
        meeting.date.day: list(meeting.people.all())
        for meeting in Meeting.objects.filter(date__range=("2022-10-14", "2022-10-16"))
    }
    assert people == {14: [at_biowin], 15: [at_biowin], 16: [at_saclay]}


def test_a_new_contact_repeated_on_lines_is_created_once_and_lists_each_line(
    report_data, write_log
):
    text = (
        "Date;Organisation;Contacts\n"
        "2022-10-14;BioWin;Zoé Martin\n"
        "2022-10-15;BioWin;Zoé Martin\n"
    )
    report = _import_text(write_log, text)
    assert [(c.full_name, c.rows) for c in report.new_contacts] == [("Zoé Martin", [2, 3])]
    zoe = Person.objects.get(first_name="Zoé", last_name="Martin")
    assert set(zoe.meetings.values_list("date", flat=True)) == {
        datetime.date(2022, 10, 14),
        datetime.date(2022, 10, 15),
    }


def test_an_unknown_contact_repeated_on_lines_is_an_error_on_each_line(report_data, write_log):
    text = "Date;Organisation;Contacts\n2022-10-14;BioWin;Zora\n2022-10-15;BioWin;Zora\n"
    report = _import_text(write_log, text)
    assert [(e.row, e.value) for e in report.errors] == [(2, "Zora"), (3, "Zora")]


def test_an_invisible_character_in_a_repeated_name_is_dropped_on_every_line(
    report_data, write_log
):
    text = (
        "Date;Organisation\n"
        "2022-10-14;Université\u200b Paris-Saclay\n"
        "2022-10-15;Université\u200b Paris-Saclay\n"
    )
    report = _import_text(write_log, text)
    assert (report.errors, report.created) == ([], 2)
