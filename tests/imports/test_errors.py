"""Each kind of bad input is reported in words, line by line, and nothing is written."""

import pytest

from events.models import ImportRecord, Meeting

pytestmark = pytest.mark.django_db

BAD_FILES = [
    ("empty.csv", "The file is empty."),
    ("header_only.csv", "The file has a header line but no meetings."),
    ("binary.csv", "This is not a text file"),
    ("unknown_encoding.csv", "neither UTF-8, Windows-1252 nor Mac Roman"),
    ("old_excel.xls", "old-style Excel workbook"),
    ("no_organisation_column.csv", "The file has no organisation column"),
    ("two_organisation_columns.csv", "Two columns give the organisation"),
]


@pytest.mark.parametrize(("name", "message"), BAD_FILES)
def test_a_file_that_cannot_be_read_as_a_log_is_rejected_with_a_reason(import_file, name, message):
    report = import_file(name)
    assert message in report.file_error


@pytest.mark.parametrize(("name", "message"), BAD_FILES)
def test_a_rejected_file_writes_nothing(import_file, name, message):
    before = Meeting.objects.count()
    import_file(name)
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before, 0)


def test_a_missing_column_error_lists_the_headers_found_and_accepted(import_file):
    report = import_file("no_organisation_column.csv")
    assert "found: “Date”, “Event”, “Topic”" in report.file_error
    assert "“société”" in report.file_error


def test_an_unreadable_encoding_error_names_the_line(import_file):
    assert "line 2" in import_file("unknown_encoding.csv").file_error


def test_dates_that_do_not_exist_or_cannot_be_read_are_errors_on_their_lines(import_file):
    report = import_file("bad_dates.csv")
    assert [(e.row, e.value) for e in report.errors] == [
        (2, "31/02/2022"),
        (3, "2022-13-01"),
        (4, "next Tuesday"),
        (5, "14/10/22"),
        (6, ""),
    ]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (2, "This date does not exist."),
        (4, "Not a date: write it as 2022-06-14 or 14/06/2022."),
        (5, "Write the year with four digits (14/06/2022)."),
        (6, "A date is required."),
    ],
)
def test_each_date_error_says_what_is_wrong(import_file, line, reason):
    report = import_file("bad_dates.csv")
    assert next(e.reason for e in report.errors if e.row == line) == reason


def test_the_29th_of_february_of_a_leap_year_is_a_date(import_file):
    report = import_file("bad_dates.csv")
    assert 7 not in {e.row for e in report.errors}


def test_every_bad_line_is_listed_with_line_column_value_and_reason(import_file):
    report = import_file("unknown_names.csv")
    assert [(e.row, e.column, e.value) for e in report.errors] == [
        (2, "Organisation", "Tartu Biocluter"),
        (3, "Event", "BIO Europe 2032"),
        (4, "Organisation", "Acme Widgets International"),
    ]
    assert all(e.reason for e in report.errors)


def test_an_unquoted_separator_is_an_error_rather_than_shifted_columns(import_file):
    report = import_file("unquoted_separator.csv")
    assert [(e.row, e.value) for e in report.errors] == [(3, "with; semicolons")]
    assert "unquoted separator" in report.errors[0].reason


def test_a_topic_longer_than_the_field_is_an_error(import_file, write_log):
    from events.importing import import_meeting_log

    path = write_log("Date;Organisation;Topic\n2022-10-14;BioWin;" + "x" * 301 + "\n")
    with path.open("rb") as stream:
        report = import_meeting_log(stream=stream, file_name="log.csv")
    assert report.errors[0].reason == "The topic is 301 characters long; at most 300 fit."


def test_an_empty_organisation_cell_is_an_error(import_file, write_log):
    from events.importing import import_meeting_log

    path = write_log("Date;Organisation;Topic\n2022-10-14;;Lost\n")
    with path.open("rb") as stream:
        report = import_meeting_log(stream=stream, file_name="log.csv")
    assert report.errors[0].reason == "The organisation is required."
