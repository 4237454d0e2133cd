"""Files as spreadsheets, calendars and partnering platforms really save them (issue 9), and
files made to take the server down (issue 15, findings 2 and 5): each is read as its user
sees it, or refused with a message saying why — never a traceback, never mojibake."""

import datetime
import sys
from pathlib import Path

import pytest

from events.importing import import_meeting_log, limits
from events.importing.files import FileRejected, open_log
from events.models import Meeting

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "data"))
import bombs  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"
pytestmark = pytest.mark.django_db


def read(path, **options):
    """The LogFile and its lines, as the import reads them."""
    with Path(path).open("rb") as stream:
        log = open_log(stream, file_name=Path(path).name, **options)
        return log, list(log.lines())


def refusal(path, **options):
    with pytest.raises(FileRejected) as refused:
        read(path, **options)
    return refused.value.message


def imported(path, **options):
    with Path(path).open("rb") as stream:
        return import_meeting_log(stream=stream, file_name=Path(path).name, **options)


def meeting(organisation, day):
    return Meeting.objects.get(organisation__name=organisation, date=day)


# --- Encodings and line ends ------------------------------------------------------------------


def test_excel_for_mac_csv_in_mac_roman_is_read_with_its_accents():
    log, lines = read(DATA / "mac_roman_cr.csv")
    assert log.description == "Mac Roman text, semicolon-separated"
    assert [cells[3:] for _line, cells in lines[:2]] == [
        ["Jörg Müller", "Thérapies géniques"],
        ["", "Réunion à Évry"],
    ]


def test_bare_cr_line_ends_are_line_ends_and_messages_give_their_line(report_data):
    report = imported(DATA / "mac_roman_cr.csv")
    assert [(error.row, error.value) for error in report.errors] == [(4, "31/02/2022")]


def test_a_mac_file_s_rows_count_title_rows_and_a_cell_spanning_lines_is_one_row(report_data):
    report = imported(DATA / "mac_roman_cr_title_multiline.csv")
    assert [(error.row, error.value) for error in report.errors] == [(5, "31/02/2022")]
    assert report.where(5) == "row 5 (file line 6)"


def test_a_csv_error_is_on_the_row_excel_shows_title_and_blank_rows_counted(report_data, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "Meetings at BIO 2022\n\nDate;Organisation\n14/10/2022;BioWin\n31/02/2022;BioWin\n"
    )
    report = imported(path)
    assert [error.row for error in report.errors] == [5]
    assert report.where(5) == "row 5"


def test_excel_s_sep_line_is_not_a_row_so_the_header_is_row_1(report_data, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("sep=;\nDate;Organisation\n31/02/2022;BioWin\n")
    report = imported(path)
    assert [error.row for error in report.errors] == [2]
    assert report.where(2) == "row 2 (file line 3)"


def test_an_xlsx_error_is_on_the_sheet_s_row_title_rows_included(report_data):
    report = imported(DATA / "merged_title_rows.xlsx")
    assert [(error.row, report.where(error.row)) for error in report.errors] == [(7, "row 7")]


def test_a_file_readable_as_windows_1252_or_mac_roman_alike_is_refused_naming_both(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"Date;Organisation;Sujet\n14/10/2022;BioWin;Lot \xa7 2\n")
    message = refusal(path)
    assert "Windows-1252 (“14/10/2022;BioWin;Lot § 2”)" in message
    assert "Mac Roman (“14/10/2022;BioWin;Lot ß 2”)" in message
    assert "--encoding" in message


def test_the_encoding_option_settles_an_unclear_file(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"Date;Organisation;Sujet\n14/10/2022;BioWin;Lot \xa7 2\n")
    log, lines = read(path, encoding="cp1252")
    assert lines[0][1][2] == "Lot § 2"
    assert "as chosen" in log.description


def test_an_encoding_that_cannot_read_the_file_is_refused_by_line(tmp_path):
    path = tmp_path / "log.csv"
    path.write_bytes(b"Date;Organisation\n14/10/2022;BioWin\n15/10/2022;Caf\xe9\n")
    assert "line 3 cannot be read" in refusal(path, encoding="utf-8")


def test_utf8_with_one_line_pasted_from_windows_1252_is_refused_naming_the_line(report_data):
    report = imported(DATA / "utf8_stray_byte.csv")
    assert "UTF-8 text except on line 3" in report.file_error
    assert not Meeting.objects.filter(topic="Réunion à Évry").exists()


def test_outlooks_utf16_export_is_read(report_data):
    report = imported(DATA / "outlook_en_utf16.csv")
    assert report.file_description.startswith("UTF-16 text, comma-separated")
    assert (report.created, report.errors) == (2, [])


# --- Headers ----------------------------------------------------------------------------------


def test_outlook_start_date_is_the_day_subject_the_topic_attendees_the_contacts(report_data):
    imported(DATA / "outlook_en_utf16.csv")
    visit = meeting("Medicon Valley", datetime.date(2022, 6, 14))
    assert (visit.topic, visit.notes) == ("Cluster visit", "Deck sent")
    assert sorted(person.full_name for person in visit.people.all()) == ["Anna Berg", "Jaan Kask"]


def test_outlook_in_french_is_read_the_same_way(report_data):
    report = imported(DATA / "outlook_fr_utf16.csv")
    assert report.errors == []
    visit = meeting("Medicon Valley", datetime.date(2022, 6, 14))
    assert (visit.topic, visit.notes) == ("Visite du cluster", "Plaquette envoyée")


def test_other_dates_times_places_and_calendar_fields_are_listed_as_not_imported(report_data):
    report = imported(DATA / "outlook_en_utf16.csv")
    assert report.unknown_columns == []
    for listed in [
        "“End Date” (another date)",
        "“Reminder Date” (another date)",
        "“Start Time” (a time)",
        "“Location” (a table or place)",
        "“Meeting Organizer” (a calendar setting)",
    ]:
        assert listed in report.file_description


@pytest.mark.parametrize("header", ["Status", "Meeting status", "Statut", "État", "STATUT :"])
def test_status_headers_name_the_status_column(tmp_path, header):
    path = tmp_path / "log.csv"
    path.write_text(f"Date;Organisation;{header}\n14/10/2022;BioWin;Accepted\n")
    log, _lines = read(path)
    assert log.columns["status"] == 2


def test_title_rows_above_the_header_are_ignored_and_mentioned():
    log, lines = read(DATA / "merged_title_rows.xlsx")
    assert "Rows above the header ignored: row 1 (“Rendez-vous BIO-Europe 2022”)." in (
        log.description
    )
    assert (log.headers[:3], [line for line, _cells in lines]) == (
        ["Événement", "Date", "Société"],
        [4, 5, 6, 7],
    )


def test_a_csv_title_line_above_the_header_is_ignored(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Meetings at BIO 2022, Copenhagen\n\nDate;Organisation\n14/10/2022;BioWin\n")
    log, lines = read(path)
    assert (log.delimiter, lines) == (";", [(4, ["14/10/2022", "BioWin"])])
    assert "row 1 (“Meetings at BIO 2022, Copenhagen”)" in log.description


def test_no_row_among_the_first_ten_naming_date_and_organisation_is_refused(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Title\n" * 12 + "Date;Organisation\n14/10/2022;BioWin\n")
    assert "no date or organisation column" in refusal(path)


# --- Rows and cells -----------------------------------------------------------------------------


def test_merged_cells_apply_to_every_row_of_their_range():
    _log, lines = read(DATA / "merged_title_rows.xlsx")
    # The event is merged over rows 4-6, BioWin over rows 4-5; row 7 is outside both.
    assert [cells[0] for _line, cells in lines] == ["BIO-Europe 2022"] * 3 + [""]
    assert [cells[2] for _line, cells in lines] == ["BioWin", "BioWin", "Medicon", "Medicon"]


def test_blank_lines_are_ignored_whatever_their_width(report_data):
    report = imported(DATA / "wide_blank_lines.csv")
    assert (report.created, report.errors, report.lines) == (1, [], 1)


def test_invisible_characters_are_dropped_in_headers_names_and_values(report_data):
    report = imported(DATA / "invisible_characters.csv")
    assert (report.created, report.errors) == (2, [])
    assert meeting("BioWin", datetime.date(2022, 10, 14)).topic == "Cluster visit"
    assert meeting("Medicon Valley", datetime.date(2022, 10, 15)).topic == "Data"


@pytest.mark.parametrize(
    "cell, seen_as",
    [
        ("Merck\u200b", "Merck"),  # a zero-width space pasted from a web page
        ("Merck\U000e0001", "Merck"),  # a language tag, beyond U+FFFF
        ("Thérapies\u00a0géniques", "Thérapies géniques"),  # a no-break space
        ("The\u0301rapies", "Thérapies"),  # an accent typed as a combining mark (macOS)
        ("Ciclix 🧬", "Ciclix 🧬"),  # a visible character beyond U+FFFF stays
    ],
)
def test_a_line_is_cleaned_whenever_one_of_its_accented_cells_needs_it(cell, seen_as, tmp_path):
    """Lines are checked whole, at C speed: the check must see what cell-by-cell would."""
    path = tmp_path / "log.csv"
    path.write_text(f"Date;Organisation;Topic\n2022-10-14;BioWin;Évry {cell}\n", "utf-8")
    _log, lines = read(path)
    assert lines[0][1][2] == f"Évry {seen_as}"


# --- Dates ---------------------------------------------------------------------------------


def test_a_column_with_month_first_only_dates_is_read_month_first_and_says_so(report_data):
    report = imported(DATA / "us_month_first.csv")
    assert report.errors == []
    assert "Dates in “Date” read as month/day (US): 06/14/2022 cannot be day/month." in (
        report.file_description
    )
    assert meeting("Medicon Valley", datetime.date(2022, 6, 3)).topic == "Data"


def test_a_column_of_only_ambiguous_dates_is_refused_naming_the_choice(report_data):
    report = imported(DATA / "us_ambiguous.csv")
    assert "1/8/2020 is 01 Aug 2020 or 08 Jan 2020" in report.file_error
    assert "--date-order dmy|mdy" in report.file_error


def test_the_date_order_option_settles_ambiguous_dates(tmp_path):
    log, lines = read(DATA / "us_ambiguous.csv", date_order="mdy")
    assert [cells[0] for _line, cells in lines] == [
        datetime.date(2020, 1, 8),
        datetime.date(2020, 1, 9),
    ]
    assert "read as month/day (US): as chosen" in log.description


def test_am_pm_times_are_evidence_of_a_us_export(tmp_path):
    log, lines = read(DATA / "us_ambiguous_am_pm.csv")
    assert lines[0][1][0] == datetime.date(2020, 1, 8)
    assert "times are written AM/PM" in log.description


@pytest.fixture
def bio_europe_dated(report_data):
    """BIO-Europe 2022 known to the day, 3–5 October 2022 (the fixtures give only its month)."""
    from core.models import DatePrecision
    from events.models import Event

    Event.objects.filter(name="BIO-Europe 2022").update(
        start_date=datetime.date(2022, 10, 3),
        start_precision=DatePrecision.DAY,
        end_date=datetime.date(2022, 10, 5),
        end_precision=DatePrecision.DAY,
    )
    return Event.objects.get(name="BIO-Europe 2022")


def test_the_event_s_dates_read_an_ambiguous_column_month_first(bio_europe_dated, tmp_path):
    # A partnering export: no event column, the event chosen for its lines; 10/3 and 10/4
    # are 3 and 4 October as month/day, 10 March and 10 April as day/month.
    path = tmp_path / "log.csv"
    path.write_text("Meeting date,Company,Topic\n10/3/2022,BioWin,a\n10/4/2022,Medicon,b\n")
    report = imported(path, default_event=bio_europe_dated)
    assert (report.file_error, report.errors) == ("", [])
    assert set(Meeting.objects.filter(topic__in=["a", "b"]).values_list("date", flat=True)) == {
        datetime.date(2022, 10, 3),
        datetime.date(2022, 10, 4),
    }
    assert (
        "Dates in “Meeting date” read as month/day (US): they fall within BIO-Europe 2022's "
        "dates, 3–5 October 2022."
    ) in report.file_description


def test_the_events_named_on_the_lines_read_an_ambiguous_column_day_first(
    bio_europe_dated, tmp_path
):
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Organisation,Event,Topic\n4/10/2022,BioWin,BIO-Europe 2022,a\n"
        "5/10/2022,Medicon,BIO Europe 2022,b\n"
    )
    report = imported(path)
    assert (report.file_error, report.errors) == ("", [])
    assert set(Meeting.objects.filter(topic__in=["a", "b"]).values_list("date", flat=True)) == {
        datetime.date(2022, 10, 4),
        datetime.date(2022, 10, 5),
    }
    assert "read as day/month: they fall within BIO-Europe 2022's" in report.file_description


def test_events_whose_dates_say_both_orders_refuse_the_file(bio_europe_dated, tmp_path):
    path = tmp_path / "log.csv"
    path.write_text(
        "Date,Organisation,Event\n4/10/2022,BioWin,BIO-Europe 2022\n"
        "10/4/2022,Medicon,BIO-Europe 2022\n"
    )
    report = imported(path)
    assert "the events' dates in the CRM say both" in report.file_error
    assert "4/10/2022 falls within BIO-Europe 2022's dates as day/month" in report.file_error
    assert not Meeting.objects.filter(date__year=2022, date__month__in=(4, 10)).filter(
        organisation__name__in=["BioWin", "Medicon"], event=bio_europe_dated
    ).exists()


def test_events_known_only_to_the_month_are_no_evidence_and_the_file_is_refused(
    report_data, tmp_path
):
    path = tmp_path / "log.csv"
    path.write_text("Date,Organisation,Event\n10/3/2022,BioWin,BIO-Europe 2022\n")
    report = imported(path)
    assert "could be day/month or month/day" in report.file_error
    assert "--date-order dmy|mdy" in report.file_error


def test_dates_outside_the_event_are_no_evidence_and_the_file_is_refused(
    bio_europe_dated, tmp_path
):
    path = tmp_path / "log.csv"
    path.write_text("Date,Organisation,Event\n1/8/2022,BioWin,BIO-Europe 2022\n")
    report = imported(path)
    assert "1/8/2022 is 01 Aug 2022 or 08 Jan 2022" in report.file_error


def test_french_headers_are_evidence_of_day_first_dates(tmp_path):
    path = tmp_path / "log.csv"
    path.write_text("Date;Société\n01/08/2020;BioWin\n", encoding="utf-8")
    log, lines = read(path)
    assert lines[0][1][0] in ("01/08/2020", datetime.date(2020, 8, 1))
    assert "the headers are French" in log.description


def test_a_month_first_date_among_day_first_ones_says_it_reads_month_first(report_data):
    report = imported(DATA / "mixed_orders.csv")
    assert [error.reason for error in report.errors] == [
        "06/14/2022 reads as month/day (2022-06-14), not day/month as the other dates of "
        "this column: check it, or choose the month/day order."
    ]


def test_month_names_in_english_and_french_with_or_without_weekday(report_data):
    report = imported(DATA / "month_names.csv")
    assert report.errors == []
    days = set(Meeting.objects.filter(topic__in="abcdefg").values_list("topic", "date"))
    assert days == {
        ("a", datetime.date(2022, 6, 13)),
        ("b", datetime.date(2022, 6, 14)),
        ("c", datetime.date(2022, 6, 14)),
        ("d", datetime.date(2022, 6, 15)),
        ("e", datetime.date(2022, 6, 15)),
        ("f", datetime.date(2022, 6, 16)),
        ("g", datetime.date(2022, 7, 1)),
    }


def test_a_two_digit_year_is_refused_without_a_month_name(tmp_path):
    from events.importing.values import Problem, parse_date

    assert isinstance(parse_date("14/06/22"), Problem)
    assert parse_date("14-Jun-22") == datetime.date(2022, 6, 14)


def test_xlsx_real_text_and_serial_dates_are_days_and_other_numbers_errors(report_data):
    report = imported(DATA / "merged_title_rows.xlsx", dry_run=True)
    _log, lines = read(DATA / "merged_title_rows.xlsx")
    assert [cells[1] for _line, cells in lines][:2] == [
        datetime.date(2022, 10, 24),
        datetime.date(2022, 10, 25),  # serial number 44859
    ]
    assert [(error.row, error.value) for error in report.errors] == [(7, "123")]


# --- Bounds: files made to take the server down (issue 15, finding 2) ---------------------------


def test_a_workbook_part_expanding_beyond_the_limit_is_refused_before_reading(tmp_path):
    path = bombs.huge_shared_string(tmp_path / "bomb.xlsx", megabytes=40)
    assert "sharedStrings.xml expands to 40 MB" in refusal(path)


def test_a_sheet_expanding_beyond_the_limit_is_refused_before_reading(tmp_path):
    path = bombs.many_cells(tmp_path / "bomb.xlsx", rows=700_000, columns=10)
    assert "sheet1.xml expands to" in refusal(path)


def test_a_sheet_declaring_millions_of_cells_is_refused(tmp_path):
    path = bombs.declared_dimension(tmp_path / "bomb.xlsx")
    assert "declares 1,048,576 rows" in refusal(path)


def test_a_sheet_with_more_rows_than_it_declares_is_refused(tmp_path):
    path = bombs.empty_rows(tmp_path / "bomb.xlsx", rows=limits.MAX_ROWS + 1)
    assert "more than 500000 rows" in refusal(path)


def test_a_row_with_more_cells_than_a_log_has_is_refused(tmp_path):
    path = bombs.wide_row(tmp_path / "bomb.xlsx", columns=limits.MAX_COLUMNS + 1)
    assert "a row has more than 200 cells" in refusal(path)


def test_an_xlsx_cell_longer_than_excel_allows_is_refused_by_row(tmp_path):
    path = bombs.long_cell(tmp_path / "bomb.xlsx", characters=limits.MAX_CELL + 1)
    assert "Row 2 has a cell of 32,768 characters" in refusal(path)


def test_reading_is_bounded_in_time(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_READING_SECONDS", -1)
    path = bombs.many_cells(tmp_path / "log.xlsx", rows=2048, columns=2)
    assert "reading it took over -1 seconds" in refusal(path)


def test_a_200_kb_csv_cell_is_refused_cleanly(report_data, tmp_path):
    report = imported(bombs.csv_long_cell(tmp_path / "log.csv", 200_000))
    assert (
        report.file_error == "Row 2 cannot be read: a cell there is longer than 32,767 characters."
    )


def test_a_50_mb_csv_line_is_refused_cleanly(report_data, tmp_path):
    report = imported(bombs.csv_long_line(tmp_path / "log.csv", 50))
    assert report.file_error.startswith("Line 2 is longer than 1,048,576 characters")


def test_a_128_kb_csv_header_is_refused_cleanly(report_data, tmp_path):
    report = imported(bombs.csv_long_header(tmp_path / "log.csv", 128))
    assert report.file_error == (
        "Row 1 has a cell of 131,072 characters; a spreadsheet cell holds at most 32,767."
    )
