"""A log line completes a meeting the CRM holds only to the month or year, field by field,
and undo puts the meeting back exactly as it was."""

import datetime

import pytest

from core.models import DatePrecision
from events.importing import import_meeting_log, undo_import
from events.models import ImportRecord, Meeting
from partners.models import Organisation, Person
from tests.helpers import log_in

pytestmark = pytest.mark.django_db

JUNE = datetime.date(2022, 6, 1)


@pytest.fixture
def merck(report_data):
    """The reports' "June 2022, Merck, BIO 2022": to the month, with a topic and notes."""
    return Meeting.objects.get(organisation__name="Merck", date=JUNE)


@pytest.fixture
def bare(report_data):
    """A meeting known only to its year, with nothing else filled."""
    return Meeting.objects.create(
        organisation=Organisation.objects.get(name="BioWin"),
        event=None,
        date=datetime.date(2021, 1, 1),
        date_precision=DatePrecision.YEAR,
    )


def run(write_log, text, **options):
    with write_log(text).open("rb") as stream:
        return import_meeting_log(stream=stream, file_name="log.csv", **options)


MERCK_LINE = (
    "Date;Event;Organisation;Topic;Notes;Follow-up;Contacts\n2022-06-14;BIO 2022;Merck;{}\n"
)


def test_the_date_becomes_the_day_of_the_line(merck, write_log):
    report = run(write_log, MERCK_LINE.format(";;;"))
    merck.refresh_from_db()
    assert (merck.date, merck.date_precision) == (datetime.date(2022, 6, 14), DatePrecision.DAY)
    assert (report.created, len(report.completed), report.unchanged) == (0, 1, [])


def test_filled_topic_and_notes_are_kept_and_listed_as_conflicts(merck, write_log):
    before = (merck.topic, merck.notes)
    report = run(write_log, MERCK_LINE.format("Other topic;Other notes;;"))
    merck.refresh_from_db()
    assert (merck.topic, merck.notes) == before
    (item,) = report.completed
    assert (item.fields, item.conflicts) == (["date"], ("topic", "notes"))


def test_an_empty_follow_up_is_filled_with_an_open_task(merck, write_log):
    report = run(write_log, MERCK_LINE.format(";;Send the brochure;"))
    assert list(merck.follow_ups.values_list("what", "state")) == [("Send the brochure", "open")]
    assert report.completed[0].fields == ["date", "follow_up"]


def test_a_follow_up_the_meeting_has_as_a_task_is_no_conflict_whichever_task(merck, write_log):
    merck.follow_ups.create(what="Call back", state="open")
    merck.follow_ups.create(
        what="Send the brochure", state="done", closed_at=datetime.datetime.now(datetime.UTC)
    )
    for text in ("Call back", "Send the brochure"):
        report = run(write_log, MERCK_LINE.format(f";;{text};"), dry_run=True)
        (item,) = report.completed
        assert (item.fields, item.conflicts) == (["date"], ()), text


def test_a_follow_up_none_of_the_meeting_s_tasks_says_is_a_conflict(merck, write_log):
    merck.follow_ups.create(what="Call back", state="open")
    report = run(write_log, MERCK_LINE.format(";;Send the brochure;"))
    (item,) = report.completed
    assert (item.fields, item.conflicts) == (["date"], ("follow-up",))
    assert list(merck.follow_ups.values_list("what", flat=True)) == ["Call back"]


def test_empty_topic_and_notes_are_filled(bare, write_log):
    report = run(
        write_log, "Date;Organisation;Topic;Notes\n2021-05-03;BioWin;Clusters;Met at lunch\n"
    )
    bare.refresh_from_db()
    assert (bare.date, bare.topic, bare.notes) == (
        datetime.date(2021, 5, 3),
        "Clusters",
        "Met at lunch",
    )
    assert report.completed[0].fields == ["date", "topic", "notes"]
    assert report.completed[0].precision_note == "recorded in the CRM to the year (2021)"


def test_the_line_s_contacts_are_added_known_and_new(bare, write_log):
    known = Person.objects.create(first_name="Ann", last_name="Lee", organisation=bare.organisation)
    report = run(write_log, "Date;Organisation;Contacts\n2021-05-03;BioWin;Ann Lee, Bob Stone\n")
    assert {p.full_name for p in bare.people.all()} == {"Ann Lee", "Bob Stone"}
    assert known in bare.people.all()
    assert [c.full_name for c in report.new_contacts] == ["Bob Stone"]
    assert report.completed[0].fields == ["date", "contacts"]


def test_a_line_on_the_day_the_crm_stores_the_month_is_unchanged(merck, write_log):
    # How the CRM's own export writes a month-precise meeting: nothing to complete.
    report = run(write_log, MERCK_LINE.format(";;;").replace("2022-06-14", "2022-06-01"))
    assert (report.completed, len(report.unchanged)) == ([], 1)
    merck.refresh_from_db()
    assert merck.date_precision == DatePrecision.MONTH


def test_a_second_day_of_the_same_month_does_not_complete_it_again(merck, write_log):
    text = MERCK_LINE.format(";;;") + "2022-06-16;BIO 2022;Merck;;;;\n"
    report = run(write_log, text)
    assert [c.row for c in report.completed] == [2]
    assert [u.row for u in report.unchanged] == [3]


def test_a_dry_run_completes_nothing(merck, write_log):
    report = run(write_log, MERCK_LINE.format(";;;"), dry_run=True)
    merck.refresh_from_db()
    assert (len(report.completed), merck.date) == (1, JUNE)


def test_the_record_counts_and_lists_the_completed_meetings(merck, write_log):
    run(write_log, MERCK_LINE.format(";;Call back;"))
    record = ImportRecord.objects.get()
    assert record.completed == 1
    assert record.completions == [
        {
            "row": 2,
            "file_line": 2,
            "meeting": merck.pk,
            "fields": ["date", "follow_up"],
            "people": [],
            "follow_ups": [merck.follow_ups.get().pk],
        }
    ]


def test_completing_is_in_the_meeting_s_history(merck, write_log, make_user):
    run(write_log, MERCK_LINE.format(";;;"), user=make_user("Importer"))
    latest = merck.history.order_by("-history_id").first()
    assert latest.history_type == "~" and "Imported from log.csv" in latest.history_change_reason


def test_completing_twice_is_idempotent(merck, write_log):
    run(write_log, MERCK_LINE.format(";;Call back;"))
    again = run(write_log, MERCK_LINE.format(";;Call back;"))
    assert (again.created, again.completed, len(again.unchanged)) == (0, [], 1)


# --- Undo --------------------------------------------------------------------------------


def snapshot(meeting):
    meeting = Meeting.objects.get(pk=meeting.pk)
    return (
        meeting.date,
        meeting.date_precision,
        meeting.topic,
        meeting.notes,
        list(meeting.follow_ups.values_list("what", "state")),
        sorted(meeting.people.values_list("pk", flat=True)),
    )


def test_undo_restores_a_completed_meeting_field_by_field(bare, write_log, make_user):
    before = snapshot(bare)
    text = "Date;Organisation;Topic;Notes;Follow-up;Contacts\n2021-05-03;BioWin;T;N;yes;Bob Stone\n"
    record = run(write_log, text).record
    assert snapshot(bare) != before
    assert undo_import(record=record, user=make_user("Administrator")) == (0, 1, 1)
    assert snapshot(bare) == before


def test_undo_restores_a_meeting_loaded_without_history(merck, write_log, make_user):
    before = snapshot(merck)
    record = run(write_log, MERCK_LINE.format(";;Call back;")).record
    undo_import(record=record, user=make_user("Administrator"))
    assert snapshot(merck) == before


def test_undo_keeps_contacts_the_meeting_had_before(bare, write_log, make_user):
    ann = Person.objects.create(first_name="Ann", last_name="Lee", organisation=bare.organisation)
    bare.people.add(ann)
    record = run(
        write_log, "Date;Organisation;Contacts\n2021-05-03;BioWin;Ann Lee, Bob Stone\n"
    ).record
    undo_import(record=record, user=make_user("Administrator"))
    assert list(bare.people.all()) == [ann]
    assert not Person.objects.filter(last_name="Stone").exists()


def test_the_undo_page_says_completed_meetings_will_be_restored(client, bare, write_log, make_user):
    record = run(write_log, "Date;Organisation;Topic\n2021-05-03;BioWin;T\n").record
    log_in(client, make_user("Administrator"))
    from django.urls import reverse

    page = client.get(reverse("admin:events_importrecord_undo", args=[record.pk])).content.decode()
    assert "1 meeting it completed will be restored" in page
