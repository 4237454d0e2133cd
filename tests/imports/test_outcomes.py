"""All or nothing, dry runs, idempotency, and what every import leaves behind."""

import datetime

import pytest
from django.db import IntegrityError

from events.importing import bulk, planner
from events.models import ImportRecord, Meeting
from partners.models import Person

pytestmark = pytest.mark.django_db


def test_a_file_with_one_bad_line_writes_nothing(import_file):
    before = Meeting.objects.count()
    report = import_file("one_bad_line.csv")
    assert report.error_lines == 1
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before, 0)


def test_a_file_with_errors_still_counts_what_its_good_lines_would_do(import_file):
    report = import_file("one_bad_line.csv")
    assert (report.created, report.record) == (2, None)


def test_a_dry_run_writes_nothing(import_file):
    before = (Meeting.objects.count(), Person.objects.count())
    import_file("partnering_export.csv", dry_run=True)
    assert (Meeting.objects.count(), Person.objects.count()) == before
    assert ImportRecord.objects.count() == 0


def test_a_dry_run_reports_what_the_import_would_do(import_file):
    report = import_file("fr_excel_cp1252.csv", dry_run=True)
    assert (report.created, len(report.unchanged), len(report.skipped)) == (3, 0, 0)


def test_importing_the_same_file_twice_adds_each_meeting_once(import_file):
    import_file("fr_excel_cp1252.csv")
    before = Meeting.objects.count()
    second = import_file("fr_excel_cp1252.csv")
    assert (second.created, len(second.unchanged)) == (0, 3)
    assert Meeting.objects.count() == before


def test_importing_the_same_file_twice_creates_its_new_contacts_once(import_file):
    import_file("partnering_export.csv")
    second = import_file("partnering_export.csv")
    assert second.new_contacts == []
    assert Person.objects.filter(last_name="Tamm").count() == 1


def test_overlapping_logs_add_the_meeting_they_share_once(import_file):
    import_file("overlap_a.csv")
    second = import_file("overlap_b.csv")
    assert (second.created, [u.row for u in second.unchanged]) == (1, [2])
    assert Meeting.objects.filter(organisation__name="Medicon Valley").count() == 1


def test_a_meeting_already_in_the_crm_is_never_overwritten(import_file):
    import_file("overlap_a.csv")
    Meeting.objects.filter(organisation__name="Medicon Valley").update(topic="Edited by staff")
    import_file("overlap_b.csv")
    assert Meeting.objects.get(organisation__name="Medicon Valley").topic == "Edited by staff"


def test_an_existing_meeting_whose_details_differ_is_listed(import_file):
    import_file("overlap_a.csv")
    report = import_file("overlap_b.csv")
    (item,) = report.unchanged_with_differences
    assert (item.row, item.differences) == (2, ("topic",))


def test_a_day_within_a_meeting_dated_only_to_its_month_completes_that_meeting(import_file):
    # The reports give "June 2022" for Genopole's meeting with Merck at BIO 2022.
    report = import_file("matches_report_meeting.csv")
    (item,) = report.completed
    assert item.row == 2
    assert item.precision_note == "recorded in the CRM to the month (June 2022)"
    assert Meeting.objects.filter(organisation__name="Merck").count() == 1


def test_a_repeated_line_is_skipped_naming_the_line_it_repeats(import_file):
    report = import_file("repeated_lines.csv")
    assert report.created == 1
    assert [(s.row, s.repeats_row) for s in report.skipped] == [(3, 2), (4, 2)]


def test_a_repeated_line_with_other_details_is_flagged(import_file):
    report = import_file("repeated_lines.csv")
    assert [s.row for s in report.skipped_with_differences] == [4]


def test_every_import_is_recorded_with_who_what_file_and_counts(import_file, make_user):
    importer = make_user("Importer")
    report = import_file("repeated_lines.csv", user=importer)
    record = ImportRecord.objects.get()
    assert (record.user, record.file_name, record.source) == (
        importer,
        "repeated_lines.csv",
        "command",
    )
    assert (record.lines, record.created, record.unchanged, record.skipped) == (3, 1, 0, 2)
    assert record.checksum == report.checksum and len(record.checksum) == 64


def test_the_checksum_is_the_sha256_of_the_file(import_file):
    import hashlib

    from tests.imports.conftest import DATA

    report = import_file("overlap_a.csv")
    assert report.checksum == hashlib.sha256((DATA / "overlap_a.csv").read_bytes()).hexdigest()


def test_the_record_lists_the_meetings_the_import_created(import_file):
    import_file("overlap_a.csv")
    report = import_file("overlap_b.csv")
    created = report.record.meetings.values_list("organisation__name", flat=True)
    assert list(created) == ["Tartu BT Park"]


def test_the_record_lists_the_contacts_the_import_created(import_file):
    report = import_file("partnering_export.csv")
    assert sorted(report.record.new_people.values_list("last_name", flat=True)) == [
        "DUPONT",
        "Kask",
        "Tamm",
    ]


def test_a_second_import_of_the_same_file_mentions_the_first(import_file):
    first = import_file("overlap_a.csv").record
    assert import_file("overlap_a.csv").earlier_imports == [first]


def test_imported_meetings_have_history_attributed_to_the_importer(import_file, make_user):
    importer = make_user("Importer")
    import_file("overlap_a.csv", user=importer)
    history = Meeting.history.filter(organisation__name="BioWin", date=datetime.date(2022, 10, 14))
    assert list(history.values_list("history_type", "history_user")) == [("+", importer.pk)]


def test_new_contacts_have_history_attributed_to_the_importer(import_file, make_user):
    importer = make_user("Importer")
    import_file("partnering_export.csv", user=importer)
    history = Person.history.filter(last_name="Tamm")
    assert list(history.values_list("history_type", "history_user")) == [("+", importer.pk)]


def test_cell_text_is_stored_exactly_as_typed(import_file):
    import_file("hostile.csv")
    biowin = Meeting.objects.get(organisation__name="BioWin", date=datetime.date(2022, 10, 14))
    assert biowin.topic == '<script>alert("topic")</script>'
    assert biowin.follow_ups.get().what == '=HYPERLINK("http://evil.example","click")'


def test_a_meeting_added_meanwhile_makes_the_import_write_nothing(import_file, monkeypatch):
    # Someone else adds the same meeting between the checks and the write: the database's
    # unique constraint stops the import, and its transaction takes everything back.
    def add_it_first(plan):
        plan.new_rows = list(plan.rows)
        Meeting.objects.create(
            organisation_id=plan.rows[1].organisation,
            event_id=plan.rows[1].event,
            date=plan.rows[1].date,
        )

    monkeypatch.setattr(planner.Plan, "classify", add_it_first)
    before = Meeting.objects.count()
    report = import_file("overlap_a.csv")
    assert "added by someone else" in report.file_error
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before + 1, 0)


def test_the_write_itself_is_atomic(import_file, monkeypatch):
    def fail(*args, **kwargs):
        raise IntegrityError("boom")

    monkeypatch.setattr(bulk, "record_history", fail)
    before = Meeting.objects.count()
    import_file("overlap_a.csv")
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before, 0)
