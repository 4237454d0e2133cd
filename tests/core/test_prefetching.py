"""A sliced Prefetch reads one record's latest related rows with a LIMIT (core/prefetching.py),
and several records' with Django's window, the same rows either way."""

import datetime
import inspect

import pytest
from django.db import connection
from django.db.models import Prefetch
from django.db.models.fields import related_descriptors
from django.test.utils import CaptureQueriesContext

from core import prefetching
from events.models import Event, Meeting
from tests.factories import make_event, make_meeting, make_person

pytestmark = pytest.mark.django_db


def with_meetings(n):
    event = make_event()
    for day in range(1, n + 1):
        make_meeting(event=event, date=datetime.date(2022, 6, day))
    return event


def latest_two():
    return Prefetch(
        "meetings", Meeting.objects.order_by("-date", "-pk")[:2], to_attr="latest_meetings"
    )


def dates(event):
    return [meeting.date.day for meeting in event.latest_meetings]


def test_one_records_latest_rows_are_read_with_a_limit_not_a_window():
    event = with_meetings(5)
    with CaptureQueriesContext(connection) as captured:
        read = Event.objects.prefetch_related(latest_two()).get(pk=event.pk)
    assert dates(read) == [5, 4]
    prefetch_sql = captured[-1]["sql"].upper()
    assert ("LIMIT 2" in prefetch_sql, "ROW_NUMBER" in prefetch_sql) == (True, False)


def test_several_records_each_get_their_own_latest_rows():
    first, second = with_meetings(4), with_meetings(3)
    read = Event.objects.prefetch_related(latest_two()).filter(pk__in=[first.pk, second.pk])
    assert sorted(dates(event) for event in read) == [[3, 2], [4, 3]]


def test_a_many_to_many_relation_is_left_to_django():
    person = make_person()
    for day in (1, 2, 3):
        make_meeting(date=datetime.date(2022, 6, day)).people.add(person)
    latest = Prefetch("meetings", Meeting.objects.order_by("-date")[:2], to_attr="latest")
    read = type(person).objects.prefetch_related(latest).get(pk=person.pk)
    assert [meeting.date.day for meeting in read.latest] == [3, 2]


def test_the_private_hook_of_django_it_replaces_is_still_called_so():
    # Fails on an upgrade that renames the hook or changes its arguments: see the adapter.
    assert related_descriptors._filter_prefetch_queryset is prefetching._filter_prefetch_queryset
    stock = inspect.signature(prefetching._stock)
    assert list(stock.parameters) == ["queryset", "field_name", "instances"]
    source = inspect.getsource(related_descriptors)
    assert source.count("_filter_prefetch_queryset(") == 3  # its definition and two callers
