"""The import's work follows the file, not the size of the CRM: names and meetings are looked
up by the file's own keys, in batches, so many names and organisations resolve as a few."""

import datetime
import gc
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import DatePrecision
from events.importing import import_meeting_log
from events.models import Event, Meeting
from partners.models import Organisation

pytestmark = pytest.mark.django_db


def _import(text, **options):
    data = io.BytesIO(text.encode("utf-8"))
    return import_meeting_log(stream=data, file_name="log.csv", **options)


def _organisations(count, prefix="Scale Biotech"):
    return Organisation.objects.bulk_create(
        [Organisation(name=f"{prefix} {n:04d}", kind="sme") for n in range(count)]
    )


def test_a_file_of_known_names_reads_no_organisation_or_event_it_does_not_name():
    _organisations(50)
    text = "Date;Organisation\n2022-10-14;Scale Biotech 0001\n2022-10-15;scale-biotech 0002\n"
    with CaptureQueriesContext(connection) as queries:
        report = _import(text, dry_run=True)
    assert not report.has_errors, report.errors[:3]
    tables = ("partners_organisation", "partners_organisationalias", "events_event")
    reads = [
        query["sql"]
        for query in queries
        if query["sql"].startswith("SELECT") and any(f'FROM "{t}"' in query["sql"] for t in tables)
    ]
    assert reads
    assert all(" WHERE " in sql for sql in reads), [sql for sql in reads if " WHERE " not in sql]


def test_a_file_naming_more_organisations_than_a_batch_resolves_every_one():
    organisations = _organisations(1200)
    lines = [f"2022-10-14;SCALE BIOTECH {n:04d}" for n in range(1200)]
    report = _import("Date;Organisation\n" + "\n".join(lines) + "\n")
    assert not report.has_errors, report.errors[:3]
    imported = set(Meeting.objects.values_list("organisation_id", flat=True))
    assert imported == {o.pk for o in organisations}


def test_meetings_of_many_organisations_are_found_by_their_keys():
    """Above 500 organisations the import once read every meeting in the file's dates."""
    organisations = _organisations(1200)
    event = Event.objects.create(
        name="Scale Convention 2022", kind="convention", start_date=datetime.date(2022, 10, 13)
    )
    day = datetime.date(2022, 10, 14)
    Meeting.objects.bulk_create(
        [Meeting(organisation=o, event=event, date=day) for o in organisations[:600]]
        + [
            Meeting(
                organisation=organisations[700],
                event=event,
                date=day.replace(day=1),
                date_precision=DatePrecision.MONTH,
            ),
            Meeting(organisation=organisations[800], date=day),
        ]
    )
    lines = [f"14/10/2022;Scale Convention 2022;{o.name}" for o in organisations]
    lines.append(f"14/10/2022;;{organisations[800].name}")
    report = _import("Date;Event;Organisation\n" + "\n".join(lines) + "\n", dry_run=True)
    assert not report.has_errors, report.errors[:3]
    assert len(report.unchanged) == 601
    assert [c.meeting_id for c in report.completed] == [
        Meeting.objects.get(organisation=organisations[700]).pk
    ]
    assert report.created == 1200 - 600 - 1


def test_a_spelling_shared_by_several_organisations_is_an_error_on_each_of_its_lines():
    Organisation.objects.bulk_create(
        [Organisation(name=f"Acronym Holder {n}", short_name="ABC", kind="sme") for n in range(2)]
    )
    _organisations(1)
    text = "Date;Organisation\n2022-10-14;ABC\n2022-10-15;Scale Biotech 0000\n2022-10-16;abc\n"
    report = _import(text)
    assert [(e.row, e.value) for e in report.errors] == [(2, "ABC"), (4, "abc")]
    assert all("several organisations" in e.reason for e in report.errors)
    assert not Meeting.objects.exists()


def test_the_import_pauses_the_cycle_collector_and_gives_it_back():
    """Its objects form no cycles: the collector's passes over them were 15% of its time."""
    states = []
    assert gc.isenabled()
    _import(
        "Date;Organisation\n2022-10-14;Scale\n", progress=lambda *_: states.append(gc.isenabled())
    )
    assert states and not any(states)
    assert gc.isenabled()
