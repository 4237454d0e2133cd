"""List downloads stream as they are read: a CSV's first byte leaves before every row is read,
in a number of queries that does not grow with the rows, in memory that does not grow with
them either; labels are translated once per download and say what get_*_display() says."""

import csv
import datetime
import io
import tracemalloc
from itertools import count

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from core import exports
from events.follow_ups.models import FollowUp
from events.models import Event, Meeting
from partners.models import Organisation, Person
from tests.factories import make_event, make_meeting, make_organisation
from tests.helpers import meeting_csv_cells

pytestmark = pytest.mark.django_db
MEETINGS = reverse("events:meeting-list")
BATCHES = count()


def many_meetings(count, *, people=True):
    """`count` meetings across a few new organisations, each with one person met."""
    batch = next(BATCHES)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Organisation {batch}-{n}", kind=kind, country=country)
        for n, (kind, country) in enumerate(
            [(Organisation.Kind.CLUSTER, "FR"), (Organisation.Kind.SME, "JP")] * 5
        )
    )
    event = make_event(f"BIO International Convention {2000 + batch}")
    start = datetime.date(2000, 1, 1)
    meetings = Meeting.objects.bulk_create(
        Meeting(
            organisation=organisations[n % 10],
            event=event,
            date=start + datetime.timedelta(days=n),
            topic=f"Topic {n}",
        )
        for n in range(count)
    )
    # Every other one has an open follow-up task: the CSV's follow-up columns say so.
    FollowUp.objects.bulk_create(
        FollowUp(meeting=meeting, what=f"Call back {n}")
        for n, meeting in enumerate(meetings)
        if n % 2
    )
    if people:
        person = Person.objects.create(organisation=organisations[0], first_name="Kadri",
                                       last_name="Tamm")  # fmt: skip
        Meeting.people.through.objects.bulk_create(
            Meeting.people.through(meeting=meeting, person=person) for meeting in meetings
        )
    return meetings


def download(client, **params):
    """The CSV's rows and the queries run while it was read, request and stream alike."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(MEETINGS, {"export": "csv", **params})
        body = response.getvalue()
    text = body.decode("utf-8").removeprefix("\ufeff")
    separator = ";" if response.wsgi_request.LANGUAGE_CODE == "fr" else ","
    return response, list(csv.reader(io.StringIO(text), delimiter=separator)), len(queries)


def test_a_list_csv_is_a_streamed_response(viewer_client):
    make_meeting()
    response = viewer_client.get(MEETINGS, {"export": "csv"})
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="meetings-')
    assert response.getvalue().startswith("\ufeff".encode())


@pytest.mark.parametrize("language", ["en", "fr"])
def test_labels_translated_once_are_those_get_display_gives_in_each_language(
    viewer_client, language
):
    many_meetings(4)
    make_meeting(make_organisation("Tartu Biocluster", country="EE", kind="sme"),
                 date=datetime.date(2022, 6, 1), date_precision="month")  # fmt: skip
    viewer_client.cookies["django_language"] = language
    _response, rows, _queries = download(viewer_client, sort="date")
    with translation.override(language):
        expected = [
            meeting_csv_cells(meeting)
            for meeting in Meeting.objects.with_follow_up_state().order_by("date", "pk")
        ]
    assert rows[1:] == expected


def test_the_number_of_queries_does_not_grow_with_the_rows(viewer_client):
    many_meetings(20)
    _response, rows, few = download(viewer_client)
    many_meetings(400)
    _response, more_rows, many = download(viewer_client)
    assert (len(rows), len(more_rows)) == (21, 421)
    assert many == few


def test_rows_are_read_in_chunks_with_their_related_rows_once_per_chunk(viewer_client, monkeypatch):
    many_meetings(10)
    _response, _rows, one_chunk = download(viewer_client)
    monkeypatch.setattr(exports, "CHUNK_SIZE", 4)
    _response, rows, three_chunks = download(viewer_client)
    assert len(rows) == 11
    # Each further chunk reads its links to people (whose names the first chunk read), its
    # links to accompanied companies (none here, so no companies) and its follow-up tasks.
    assert three_chunks == one_chunk + 2 * 3


def peak_memory_of_a_download(client):
    """The most memory Python held while the CSV was produced, its bytes dropped as sent."""
    tracemalloc.start()
    try:
        response = client.get(MEETINGS, {"export": "csv"})
        size = sum(len(part) for part in response.streaming_content)
        return size, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_flat_when_the_rows_triple(viewer_client, monkeypatch, settings):
    settings.DEBUG = False  # the query log would grow with the chunks
    monkeypatch.setattr(exports, "CHUNK_SIZE", 500)
    many_meetings(1500)
    small_size, small_peak = peak_memory_of_a_download(viewer_client)
    many_meetings(3000)
    large_size, large_peak = peak_memory_of_a_download(viewer_client)
    assert large_size > 2.9 * small_size
    assert large_peak < 1.3 * small_peak


def test_an_excel_download_past_the_limit_sends_back_to_the_list_offering_the_csv(
    viewer_client, settings
):
    settings.EXPORT_XLSX_MAX_ROWS = 2
    many_meetings(3, people=False)
    response = viewer_client.get(MEETINGS, {"export": "xlsx", "q": "Topic"})
    assert response.status_code == 302
    assert response["Location"] == f"{MEETINGS}?q=Topic"
    page = viewer_client.get(response["Location"]).content.decode()
    assert "more than 2 rows, the most an Excel download holds: download it as CSV" in page


def test_an_excel_download_within_the_limit_holds_every_row(viewer_client, settings):
    from openpyxl import load_workbook

    settings.EXPORT_XLSX_MAX_ROWS = 3
    many_meetings(3, people=False)
    response = viewer_client.get(MEETINGS, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.getvalue())).active
    assert sheet.max_row == 4
    names = set(Organisation.objects.values_list("name", flat=True))
    assert [cell.value for cell in sheet[2]][2] in names


def test_events_labels_are_the_same_in_the_download_as_on_their_model(viewer_client):
    event = make_event(kind=Event.Kind.CONVENTION, format=Event.Format.VIRTUAL, country="DE")
    response = viewer_client.get(reverse("events:event-list"), {"export": "csv"})
    row = list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig"))))[1]
    assert row[2:4] == [event.get_kind_display(), event.get_format_display()]
    assert row[9] == event.country.name

