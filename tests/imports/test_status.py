"""A status column decides whether a line is a meeting: only held meetings are imported."""

import pytest

from events.importing import import_meeting_log
from events.models import ImportRecord, Meeting
from partners.models import Person

pytestmark = pytest.mark.django_db

HEADER = "Date;Organisation;Contacts;Status\n"


def run(write_log, lines, **options):
    with write_log(HEADER + lines).open("rb") as stream:
        return import_meeting_log(stream=stream, file_name="log.csv", **options)


@pytest.mark.parametrize("word", ["Accepted", "confirmed", "AGREED", "Confirmé", "acceptée", ""])
def test_held_meetings_become_meetings(report_data, write_log, word):
    report = run(write_log, f"2022-10-14;BioWin;;{word}\n")
    assert (report.errors, report.created, report.not_held) == ([], 1, [])


@pytest.mark.parametrize(
    ("word", "label"),
    [
        ("Declined", "declined"),
        ("Rejected", "declined"),
        ("refusé", "declined"),
        ("Cancelled", "cancelled"),
        ("Canceled", "cancelled"),
        ("Annulée", "cancelled"),
        ("Pending", "pending"),
        ("Requested", "pending"),
        ("en attente", "pending"),
        ("No-show", "no-show"),
        ("no show", "no-show"),
    ],
)
def test_meetings_not_held_are_skipped_with_their_status(report_data, write_log, word, label):
    report = run(write_log, f"2022-10-14;BioWin;;{word}\n")
    assert (report.errors, report.created) == ([], 0)
    assert [(item.row, item.status) for item in report.not_held] == [(2, label)]
    assert report.skipped_count == 1


def test_a_meeting_not_held_creates_no_contact_and_no_meeting(report_data, write_log):
    before = (Meeting.objects.count(), Person.objects.count())
    report = run(
        write_log, "2022-10-14;BioWin;Zoe Newperson;Declined\n2022-10-15;BioWin;;Confirmed\n"
    )
    assert (report.created, report.new_contacts) == (1, [])
    assert (Meeting.objects.count(), Person.objects.count()) == (before[0] + 1, before[1])
    assert ImportRecord.objects.get().skipped == 1


def test_a_line_not_held_is_not_checked_further(report_data, write_log):
    # Its organisation is unknown, but it is not a meeting: nothing to correct.
    report = run(write_log, "2022-10-14;Nobody Known Inc;;Cancelled\n")
    assert (report.errors, len(report.not_held)) == ([], 1)


def test_an_unknown_status_is_an_error_naming_the_values_understood(report_data, write_log):
    report = run(write_log, "2022-10-14;BioWin;;Maybe\n")
    (error,) = report.errors
    assert (error.row, error.column, error.value) == (2, "Status", "Maybe")
    assert "Understood:" in error.reason
    for word in ("accepted", "declined", "cancelled", "pending", "no-show"):
        assert word in error.reason
    assert report.created == 0
