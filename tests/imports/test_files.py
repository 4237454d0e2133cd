"""Meeting logs as people really save them: each shape in tests/data/ imports the same way."""

import datetime

import pytest

from events.importing.columns import header_key
from events.importing.values import parse_date, parse_follow_up
from events.models import Event, Meeting

pytestmark = pytest.mark.django_db


def meeting(organisation, day):
    return Meeting.objects.get(organisation__name=organisation, date=day)


def test_a_french_excel_file_in_windows_1252_is_read_with_its_accents(import_file):
    report = import_file("fr_excel_cp1252.csv")
    assert report.file_description == "Windows-1252 text, semicolon-separated"
    assert report.created == 3
    assert meeting("Grand Orly Seine Bièvre", datetime.date(2022, 10, 16)).notes == "Réunion à Évry"


def test_a_quoted_cell_may_span_several_lines(import_file):
    import_file("fr_excel_cp1252.csv")
    notes = meeting("Tartu BT Park", datetime.date(2022, 10, 14)).notes
    assert notes == "Très intéressés par l'offre d'accueil.\nRappeler en novembre."


def test_a_row_after_a_multi_line_cell_is_named_by_its_row_and_its_file_line(
    report_data, write_log
):
    path = write_log('Date;Organisation;Notes\n2022-10-14;BioWin;"one\ntwo\nthree"\nnope;BioWin;\n')
    from events.importing import import_meeting_log

    with path.open("rb") as stream:
        report = import_meeting_log(stream=stream, file_name="log.csv")
    assert [error.row for error in report.errors] == [3]  # Excel shows it on row 3
    assert report.where(3) == "row 3 (file line 5)"
    assert report.where(2) == "row 2"  # the row holding the cell starts on its own line


def test_crlf_line_ends_are_not_kept_in_the_last_cell(import_file):
    import_file("fr_excel_cp1252.csv")
    # "non\r" would have been a follow-up to do.
    assert not meeting("Bristol Myers Squibb", datetime.date(2022, 10, 15)).follow_ups.exists()


def test_day_first_dates_are_read_as_day_month_year(import_file):
    import_file("fr_excel_cp1252.csv")
    assert Meeting.objects.filter(
        organisation__name="Tartu BT Park", date=datetime.date(2022, 10, 14)
    ).exists()


def test_utf8_with_a_byte_order_mark_and_commas_is_read(import_file):
    report = import_file("en_utf8_bom_comma.csv")
    assert report.file_description == "UTF-8 text, comma-separated"
    assert (report.created, report.errors) == (2, [])


def test_doubled_quotes_inside_a_quoted_cell_are_kept(import_file):
    import_file("en_utf8_bom_comma.csv")
    notes = meeting("Boehringer Ingelheim", datetime.date(2022, 5, 11)).notes
    assert notes == 'Met at the stand, "very keen"'


def test_an_excel_separator_hint_line_sets_the_separator(import_file):
    report = import_file("excel_separator_hint.csv")
    assert (report.file_description, report.created, report.errors) == (
        "UTF-8 text, semicolon-separated",
        1,
        [],
    )


def test_a_tab_separated_file_is_read(import_file):
    report = import_file("utf8_tab.tsv")
    assert report.file_description == "UTF-8 text, tab-separated"
    assert report.created == 2


def test_excel_unicode_text_in_utf16_is_read(import_file):
    report = import_file("excel_unicode_text.txt")
    assert report.file_description == "UTF-16 text, tab-separated"
    assert meeting("Université Paris-Saclay", datetime.date(2022, 10, 18)).topic == (
        "Alliance européenne"
    )


def test_an_xlsx_workbook_is_read_with_real_and_text_dates(import_file):
    report = import_file("meetings.xlsx")
    assert (report.file_description, report.created, report.errors) == ("XLSX", 2, [])
    assert Meeting.objects.filter(
        organisation__name="BioWin", date=datetime.date(2022, 10, 19)
    ).exists()
    assert Meeting.objects.filter(
        organisation__name="Medicon Valley", date=datetime.date(2022, 10, 20)
    ).exists()


def test_an_xlsx_formula_is_stored_as_typed_not_evaluated(import_file):
    import_file("meetings.xlsx")
    notes = meeting("Medicon Valley", datetime.date(2022, 10, 20)).notes
    assert notes == '=HYPERLINK("http://evil.example","deck")'


def test_blank_rows_are_not_meeting_lines(import_file):
    assert import_file("meetings.xlsx").lines == 2


def test_partnering_platform_headers_are_recognised(import_file, report_data):
    report = import_file(
        "partnering_export.csv", default_event=Event.objects.get(name="BIO-Europe 2022")
    )
    assert (report.created, report.errors) == (2, [])
    assert meeting("BioWin", datetime.date(2022, 10, 24)).event.name == "BIO-Europe 2022"


def test_time_and_table_columns_are_recognised_as_not_imported(import_file):
    report = import_file("partnering_export.csv")
    assert report.unknown_columns == []
    assert "not imported: “Table” (a table or place), “Start time” (a time)" in (
        report.file_description
    )
    assert report.created == 2


def test_lines_naming_no_event_are_meetings_outside_events(import_file):
    import_file("partnering_export.csv")
    assert meeting("BioWin", datetime.date(2022, 10, 24)).event is None


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Date", "date"),
        ("Meeting date", "date"),
        ("ÉVÉNEMENT", "event"),
        ("Evenement", "event"),
        ("Société", "organisation"),
        ("Organization", "organisation"),
        ("Company", "organisation"),
        ("Contact(s)", "contacts"),
        ("Participants", "contacts"),
        ("Personnes rencontrées", "contacts"),
        ("Sujet", "topic"),
        ("Notes :", "notes"),
        ("Follow-up", "follow_up"),
        ("Suivi", "follow_up"),
        ("À suivre", "follow_up"),
    ],
)
def test_headers_match_in_english_or_french_whatever_the_case_and_accents(header, column):
    from events.importing.columns import HEADERS

    assert HEADERS[header_key(header)] == column


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("yes", ("pending", "")),
        ("Oui", ("pending", "")),
        ("OUI ", ("pending", "")),
        ("no", ("none", "")),
        ("Non", ("none", "")),
        ("", ("none", "")),
        ("Envoyer la plaquette", ("pending", "Envoyer la plaquette")),
    ],
)
def test_follow_up_reads_yes_and_no_in_english_and_french_and_keeps_other_text(cell, expected):
    assert parse_follow_up(cell) == expected


@pytest.mark.parametrize(
    ("cell", "day"),
    [
        ("2022-10-14", datetime.date(2022, 10, 14)),
        ("14/10/2022", datetime.date(2022, 10, 14)),
        ("4/5/2022", datetime.date(2022, 5, 4)),
        ("14.10.2022", datetime.date(2022, 10, 14)),
        ("2022-10-14 09:30", datetime.date(2022, 10, 14)),
        (datetime.datetime(2022, 10, 14, 9, 30), datetime.date(2022, 10, 14)),
    ],
)
def test_dates_are_read_as_iso_or_day_first(cell, day):
    assert parse_date(cell) == day


def test_follow_up_text_gives_the_meeting_an_open_task_with_that_text(import_file):
    import_file("fr_excel_cp1252.csv")
    orly = meeting("Grand Orly Seine Bièvre", datetime.date(2022, 10, 16))
    assert list(orly.follow_ups.values_list("state", "what")) == [("open", "Envoyer la plaquette")]
