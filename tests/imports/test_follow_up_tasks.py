"""The import writes a line's follow-up as a follow-up task (events.follow_ups), owned by
whoever imported it, and its undo takes the tasks back."""

import datetime

import pytest

from core.models import DatePrecision
from events.follow_ups.models import FollowUp
from events.importing import import_meeting_log, undo_import
from events.models import Meeting
from partners.models import Organisation

pytestmark = pytest.mark.django_db

LOG = (
    "Date;Organisation;Topic;Follow-up\n"
    "2022-10-14;BioWin;Clusters;Send the brochure\n"
    "2022-10-15;Medicon;Data;oui\n"
    "2022-10-16;Tartu BT Park;Visit;non\n"
)


def run(write_log, text, **options):
    with write_log(text).open("rb") as stream:
        return import_meeting_log(stream=stream, file_name="log.csv", **options)


def tasks_of(record):
    return FollowUp.objects.filter(meeting__import_record=record)


def test_each_line_with_a_follow_up_becomes_an_open_task_owned_by_the_importer(
    report_data, write_log, make_user
):
    importer = make_user("Importer")
    record = run(write_log, LOG, user=importer).record
    assert sorted(
        tasks_of(record).values_list("meeting__organisation__name", "what", "state", "owner")
    ) == [
        ("BioWin", "Send the brochure", "open", importer.pk),
        ("Medicon Valley", "Data", "open", importer.pk),  # "oui": the topic says what
    ]


def test_the_tasks_are_in_their_history_attributed_to_the_importer(
    report_data, write_log, make_user
):
    importer = make_user("Importer")
    record = run(write_log, LOG, user=importer).record
    rows = FollowUp.history.filter(meeting__import_record=record)
    assert sorted(rows.values_list("history_type", "history_user")) == [("+", importer.pk)] * 2


def test_importing_the_file_again_adds_no_task(report_data, write_log):
    run(write_log, LOG)
    count = FollowUp.objects.count()
    run(write_log, LOG)
    assert FollowUp.objects.count() == count


def test_undo_deletes_the_import_s_tasks_and_tasks_added_since_to_its_meetings(
    report_data, write_log, make_user
):
    record = run(write_log, LOG).record
    FollowUp.objects.create(meeting=record.meetings.get(organisation__name="BioWin"), what="Call")
    others = FollowUp.objects.exclude(meeting__import_record=record).count()
    undo_import(record=record, user=make_user("Administrator"))
    assert (tasks_of(record).count(), FollowUp.objects.count()) == (0, others)


@pytest.fixture
def june_meeting(report_data):
    return Meeting.objects.create(
        organisation=Organisation.objects.get(name="BioWin"),
        date=datetime.date(2022, 6, 1),
        date_precision=DatePrecision.MONTH,
    )


JUNE_LINE = "Date;Organisation;Follow-up\n2022-06-14;BioWin;{}\n"


def test_completing_a_meeting_without_follow_up_adds_the_task_and_undo_removes_it(
    june_meeting, write_log, make_user
):
    importer = make_user("Importer")
    record = run(write_log, JUNE_LINE.format("Send the offer"), user=importer).record
    task = june_meeting.follow_ups.get()
    assert (task.what, task.state, task.owner) == ("Send the offer", "open", importer)
    undo_import(record=record, user=make_user("Administrator"))
    assert not june_meeting.follow_ups.exists()
    june_meeting.refresh_from_db()
    assert june_meeting.date_precision == DatePrecision.MONTH


def test_a_meeting_with_a_task_keeps_it_and_a_different_follow_up_is_a_conflict(
    june_meeting, write_log
):
    FollowUp.objects.create(meeting=june_meeting, what="Call them")
    report = run(write_log, JUNE_LINE.format("Send the offer"))
    (item,) = report.completed
    assert (item.fields, item.conflicts) == (["date"], ("follow-up",))
    assert list(june_meeting.follow_ups.values_list("what", flat=True)) == ["Call them"]


def test_the_same_follow_up_as_the_meeting_s_task_is_no_conflict(june_meeting, write_log):
    FollowUp.objects.create(meeting=june_meeting, what="Send the offer")
    report = run(write_log, JUNE_LINE.format("Send the offer"))
    assert (report.completed[0].fields, report.completed[0].conflicts) == (["date"], ())


DUE_LOG = (
    "Date;Organisation;Topic;Follow-up;Échéance\n"
    "14/10/2022;BioWin;Clusters;Send the brochure;15/11/2022\n"
    "15/10/2022;Medicon Valley;Data;;30/11/2022\n"
    "16/10/2022;Tartu BT Park;Visit;Call back;\n"
)


def test_the_file_s_follow_up_due_date_is_the_task_s_due_date(report_data, write_log):
    record = run(write_log, DUE_LOG).record
    assert sorted(
        tasks_of(record).values_list("meeting__organisation__name", "what", "due_date")
    ) == [
        ("BioWin", "Send the brochure", datetime.date(2022, 11, 15)),
        # A due date alone says something is to be done: the topic says what.
        ("Medicon Valley", "Data", datetime.date(2022, 11, 30)),
        ("Tartu BT Park", "Call back", None),
    ]


def test_a_follow_up_due_date_that_is_not_a_date_is_an_error_on_its_row(report_data, write_log):
    report = run(write_log, DUE_LOG.replace("30/11/2022", "next week"))
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "Échéance", "next week")]
    assert report.record is None
