"""The admin's export in bounded memory: its CSV streams, with the bytes the library would
have built whole, in a number of queries that does not grow with the rows; a workbook past
the limit is refused with the way to the CSV; and the library's hooks it relies on are still
those it was written for (core/admin_exports.py)."""

import datetime
import inspect
import io

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from import_export.admin import ExportMixin
from import_export.formats.base_formats import CSV
from import_export.mixins import BaseExportMixin
from import_export.resources import Resource
from openpyxl import load_workbook

from core import exports
from events.follow_ups.models import FollowUp
from events.importing.adapter import MeetingResource
from events.models import Meeting
from partners.models import Person
from tests.factories import make_event, make_meeting, make_organisation
from tests.helpers import log_in

pytestmark = pytest.mark.django_db
EXPORT = reverse("admin:events_meeting_export")
CSV_FORMAT, XLSX_FORMAT = "0", "1"
FIELDS = ["date", "event", "organisation", "contacts", "topic", "notes", "follow_up",
          "follow_up_status"]  # fmt: skip


@pytest.fixture
def viewer(client, make_user):
    return log_in(client, make_user("Viewer"))


def export(client, file_format, fields=FIELDS, **params):
    chosen = {f"meetingresource_{name}": "on" for name in fields}
    return client.post(
        f"{EXPORT}?{'&'.join(f'{k}={v}' for k, v in params.items())}",
        {"format": file_format, "resource": "0", **chosen},
    )


def meetings(count, start=0):
    organisation = make_organisation(f"Organisation {start}")
    event = make_event(f"BIO International Convention {2000 + start}")
    person = Person.objects.create(organisation=organisation, first_name="Kadri",
                                   last_name="Tamm")  # fmt: skip
    for n in range(start, start + count):
        day = datetime.date(2020, 1, 1) + datetime.timedelta(days=n)
        meeting = make_meeting(organisation, event=event, topic=f"Topic {n}", date=day)
        meeting.people.add(person)
        if n % 2:
            FollowUp.objects.create(meeting=meeting, what=f"Call back {n}")


def the_librarys_own_csv(fields=FIELDS):
    """What django-import-export builds in memory for the same rows."""
    queryset = Meeting.objects.order_by("-date", "-pk")
    dataset = MeetingResource().export(queryset, export_fields=fields)
    return CSV().export_data(dataset).encode()


def test_the_csv_export_streams(viewer):
    meetings(3)
    response = export(viewer, CSV_FORMAT)
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv"
    assert response["Content-Disposition"].startswith('attachment; filename="Meeting-')


def test_the_streamed_csv_has_the_bytes_the_library_would_have_built(viewer):
    meetings(5)
    make_meeting(make_organisation('=HYPERLINK("http://evil.example","x")'),
                 topic="\u00a0@SUM(A1)", notes="Bell\x07, \"quoted\"\nand a new line")  # fmt: skip
    # Several contacts (in the people's order), tasks done then open, all done, none.
    organisation = make_organisation("Tartu Biotechnology Park")
    several = make_meeting(organisation, topic="Soft landing", date=datetime.date(2024, 5, 2))
    several.people.add(Person.objects.create(organisation=organisation, first_name="Zoe",
                                             last_name="Zimmer"),
                       Person.objects.create(organisation=organisation, first_name="Ann",
                                             last_name="Aasa"))  # fmt: skip
    FollowUp.objects.create(meeting=several, what="Sent the brochure", state="done",
                            closed_at=timezone.now())
    FollowUp.objects.create(meeting=several, what="Visit in June")
    done = make_meeting(organisation, topic="Closed", date=datetime.date(2024, 5, 3))
    FollowUp.objects.create(meeting=done, what="Thanked them", state="done",
                            closed_at=timezone.now())
    body = export(viewer, CSV_FORMAT).getvalue()
    assert body == the_librarys_own_csv()
    assert "Ann Aasa; Zoe Zimmer" in body.decode()  # by last name, as the people are
    assert b",Visit in June,pending\r\n" in body and b",Thanked them,done\r\n" in body


def test_only_the_fields_chosen_on_the_form_are_exported(viewer):
    meetings(2)
    body = export(viewer, CSV_FORMAT, fields=["date", "topic"]).getvalue()
    assert body.decode().splitlines()[0] == "date,topic"
    assert body == the_librarys_own_csv(fields=["date", "topic"])


def test_the_admin_filters_apply_to_the_export(viewer):
    meetings(2, start=0)
    meetings(3, start=10)
    event = Meeting.objects.get(topic="Topic 10").event
    lines = export(viewer, CSV_FORMAT, event__id__exact=event.pk).getvalue().splitlines()
    assert len(lines) == 1 + 3


def test_the_number_of_queries_does_not_grow_with_the_rows(viewer, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK_SIZE", 1000)
    meetings(3)
    with CaptureQueriesContext(connection) as few:
        export(viewer, CSV_FORMAT).getvalue()
    meetings(30, start=100)
    with CaptureQueriesContext(connection) as many:
        export(viewer, CSV_FORMAT).getvalue()
    assert len(many) == len(few)


def test_a_workbook_past_the_limit_is_refused_with_the_way_to_the_csv(viewer, settings):
    settings.EXPORT_XLSX_MAX_ROWS = 2
    meetings(3)
    response = export(viewer, XLSX_FORMAT)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "more than 2 rows, the most a workbook holds: choose CSV" in page


def test_a_workbook_within_the_limit_holds_every_row(viewer, settings):
    settings.EXPORT_XLSX_MAX_ROWS = 3
    meetings(3)
    response = export(viewer, XLSX_FORMAT)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 4


def test_every_field_of_the_resource_has_its_export_column():
    assert set(MeetingResource.export_columns) == set(MeetingResource().fields)


# (library class, hook): its signature in the version core/admin_exports.py was written for.
HOOKS = {
    (ExportMixin, "_do_file_export"): "(self, file_format, request, queryset, export_form=None)",
    (ExportMixin, "get_export_filename"): "(self, request, queryset, file_format)",
    (ExportMixin, "has_export_permission"): "(self, request)",
    (BaseExportMixin, "choose_export_resource_class"): "(self, form, request)",
    (BaseExportMixin, "get_export_resource_kwargs"): "(self, request, **kwargs)",
    (BaseExportMixin, "get_export_resource_fields_from_form"): "(self, form)",
    (Resource, "get_export_fields"): "(self, selected_fields=None)",
    (Resource, "get_export_headers"): "(self, selected_fields=None)",
}


@pytest.mark.parametrize(("owner", "hook"), HOOKS, ids=lambda v: getattr(v, "__name__", v))
def test_the_librarys_hooks_are_as_written_for(owner, hook):
    assert str(inspect.signature(getattr(owner, hook))) == HOOKS[owner, hook]
