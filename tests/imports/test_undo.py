"""An import is undone as a whole: its meetings and the contacts only it needed go."""

import pytest
from django.core.exceptions import ValidationError

from events.importing import undo_import
from events.models import ImportRecord, Meeting
from partners.models import Person
from tests.factories import make_meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(make_user):
    return make_user("Administrator")


def test_undo_deletes_every_meeting_the_import_created(import_file, administrator):
    before = Meeting.objects.count()
    record = import_file("fr_excel_cp1252.csv").record
    assert undo_import(record=record, user=administrator) == (3, 0, 1)
    assert Meeting.objects.count() == before


def test_undo_leaves_meetings_from_elsewhere_alone(import_file, administrator):
    report_meetings = set(Meeting.objects.values_list("pk", flat=True))
    first = import_file("overlap_a.csv").record
    second = import_file("overlap_b.csv").record
    undo_import(record=second, user=administrator)
    remaining = set(Meeting.objects.values_list("pk", flat=True))
    assert remaining == report_meetings | set(first.meetings.values_list("pk", flat=True))


def test_undo_keeps_the_record_marked_with_who_undid_it_and_when(import_file, administrator):
    record = import_file("overlap_a.csv").record
    undo_import(record=record, user=administrator)
    record.refresh_from_db()
    assert record.is_undone and record.undone_by == administrator


def test_undo_deletes_new_contacts_that_no_other_meeting_mentions(import_file, administrator):
    record = import_file("partnering_export.csv").record
    undo_import(record=record, user=administrator)
    assert not Person.objects.filter(last_name__in=["Tamm", "Kask", "DUPONT"]).exists()


def test_undo_keeps_new_contacts_that_another_meeting_mentions(import_file, administrator):
    record = import_file("partnering_export.csv").record
    tamm = Person.objects.get(last_name="Tamm")
    make_meeting(organisation=tamm.organisation).people.add(tamm)
    undo_import(record=record, user=administrator)
    assert Person.objects.filter(pk=tamm.pk).exists()


def test_undo_records_history_attributed_to_whoever_undid_it(import_file, administrator):
    record = import_file("overlap_a.csv").record
    undo_import(record=record, user=administrator)
    deletions = Meeting.history.filter(import_record=record, history_type="-")
    assert list(deletions.values_list("history_user", flat=True)) == [administrator.pk] * 2


def test_undo_deletes_meetings_edited_since_the_import_with_their_edits(import_file, administrator):
    record = import_file("overlap_a.csv").record
    meeting = record.meetings.first()
    meeting.topic = "Edited"
    meeting.save()
    undo_import(record=record, user=administrator)
    assert Meeting.history.filter(id=meeting.pk, history_type="-").get().topic == "Edited"


def test_an_import_cannot_be_undone_twice(import_file, administrator):
    record = import_file("overlap_a.csv").record
    undo_import(record=record, user=administrator)
    with pytest.raises(ValidationError):
        undo_import(record=record, user=administrator)


def test_an_undone_file_can_be_imported_again(import_file, administrator):
    undo_import(record=import_file("overlap_a.csv").record, user=administrator)
    again = import_file("overlap_a.csv")
    assert again.created == 2
    assert ImportRecord.objects.count() == 2


def test_a_meeting_restored_from_history_after_the_undo_belongs_to_no_import(
    import_file, administrator
):
    record = import_file("overlap_a.csv").record
    undo_import(record=record, user=administrator)
    deleted = Meeting.history.filter(history_type="-", import_record=record).first()
    deleted.instance.save()  # what the admin's "recover deleted" and revert pages do
    restored = Meeting.objects.get(pk=deleted.id)
    assert restored.import_record is None
    assert not record.meetings.exists()
