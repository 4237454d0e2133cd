"""Finding 8: deleting a person never silently takes them out of the meetings they attended."""

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from partners.models import Person
from tests.factories import make_meeting, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def attendee():
    person = make_person(first_name="Ada", last_name="Lovelace")
    make_meeting(person.organisation, topic="Analytical engine").people.add(person)
    return person


def test_a_person_who_attended_meetings_cannot_be_deleted(attendee):
    with pytest.raises(ProtectedError, match="attended meetings"):
        attendee.delete()
    assert attendee.meetings.count() == 1


def test_the_admin_refuses_and_lists_the_meetings(admin_client, attendee):
    url = reverse("admin:partners_person_delete", args=[attendee.pk])
    page = admin_client.get(url)
    assert "Cannot delete person" in page.content.decode()
    assert str(attendee.meetings.get()) in page.content.decode()
    admin_client.post(url, {"post": "yes"})
    assert Person.objects.filter(pk=attendee.pk).exists()


def test_the_admin_bulk_delete_refuses_too(admin_client, attendee):
    admin_client.post(
        reverse("admin:partners_person_changelist"),
        {"action": "delete_selected", "_selected_action": [attendee.pk], "post": "yes"},
    )
    assert Person.objects.filter(pk=attendee.pk).exists()


def test_a_person_in_no_meeting_can_still_be_deleted():
    person = make_person()
    person.delete()
    assert not Person.objects.filter(pk=person.pk).exists()
