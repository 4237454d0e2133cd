"""Downloads that open right in Excel: the separator French Excel expects, dates as dates
with their precision beside them, workbooks with typed cells, names that say what is in
them."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import (
    make_consortium_member,
    make_event,
    make_meeting,
    make_organisation,
    make_partnership,
    make_project,
)

pytestmark = pytest.mark.django_db
LISTS = ["organisation", "person", "partnership", "event", "meeting", "project"]
APP = {"organisation": "partners", "person": "partners", "partnership": "partners",
       "event": "events", "meeting": "events", "project": "projects"}  # fmt: skip


def list_url(name):
    return reverse(f"{APP[name]}:{name}-list")


def csv_text(response):
    assert response.status_code == 200
    return response.getvalue().decode("utf-8").removeprefix("\ufeff")


def workbook(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.getvalue())).active


def test_english_csv_is_separated_by_commas(viewer_client):
    make_organisation("BioWin")
    header = csv_text(viewer_client.get(list_url("organisation"), {"export": "csv"}))
    assert header.startswith("Name,Short name,")


def test_french_csv_is_separated_by_semicolons_as_french_excel_expects(viewer_client):
    make_organisation("BioWin")
    response = viewer_client.get(
        list_url("organisation"), {"export": "csv"}, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert csv_text(response).startswith("Nom;Nom court;")


def test_dates_are_iso_with_their_precision_in_the_next_column(viewer_client):
    make_meeting(date=datetime.date(2022, 6, 1), date_precision="month")
    make_meeting(date=datetime.date(2022, 6, 14))
    lines = csv_text(viewer_client.get(list_url("meeting"), {"export": "csv", "sort": "date"}))
    rows = [line.split(",")[:2] for line in lines.splitlines()]
    assert rows == [["Date", "Date (precision)"], ["2022-06-01", "Month"], ["2022-06-14", "Day"]]


@pytest.mark.parametrize("name", LISTS)
def test_every_list_downloads_as_a_workbook_with_a_frozen_bold_header(viewer_client, name):
    make_partnership(make_organisation("BioWin"))
    make_meeting(event=make_event("BIO International Convention 2022"))
    sheet = workbook(viewer_client.get(list_url(name), {"export": "xlsx"}))
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    assert all(sheet.column_dimensions[c.column_letter].width >= 4 for c in sheet[1])


def test_workbook_dates_are_real_date_cells(viewer_client):
    make_meeting(date=datetime.date(2022, 6, 14))
    sheet = workbook(viewer_client.get(list_url("meeting"), {"export": "xlsx"}))
    cell = sheet["A2"]
    assert cell.is_date and cell.value.date() == datetime.date(2022, 6, 14)
    assert cell.number_format == "yyyy-mm-dd"


def test_workbook_cells_never_run_as_formulas(viewer_client):
    make_organisation('=HYPERLINK("http://evil.example","x")')
    sheet = workbook(viewer_client.get(list_url("organisation"), {"export": "xlsx"}))
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '\'=HYPERLINK("http://evil.example","x")'


def test_the_workbook_has_the_same_filtered_sorted_rows_as_the_page(viewer_client):
    for name in ("Zeta", "Alpha", "Beta"):
        make_organisation(name, country="JP")
    make_organisation("Gamma", country="BE")
    query = {"country": "JP", "sort": "-name"}
    page = viewer_client.get(list_url("organisation"), query)
    sheet = workbook(viewer_client.get(list_url("organisation"), {**query, "export": "xlsx"}))
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        str(o) for o in page.context["object_list"]
    ]


def test_the_file_name_says_what_is_in_it_and_when(viewer_client):
    event = make_event("BIO International Convention 2022")
    make_meeting(event=event)
    response = viewer_client.get(list_url("meeting"), {"event": event.pk, "export": "csv"})
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="meetings-bio-international-convention-2022-{today}.csv"'
    )


def test_the_page_offers_both_downloads_with_the_same_filters(viewer_client):
    content = viewer_client.get(list_url("organisation"), {"country": "JP"}).content.decode()
    assert 'href="/organisations/?country=JP&amp;export=csv"' in content
    assert 'href="/organisations/?country=JP&amp;export=xlsx"' in content


def test_a_projects_csv_names_its_coordinator_and_its_consortium_in_role_order(viewer_client):
    project = make_project("COBIOE")
    make_project("GEN.ERA")  # no consortium yet: both cells empty
    for name, role in (("Tartu Biotechnology Park", "partner"), ("Genopole", "coordinator"),
                       ("BioWin", "partner"), ("EIT Health", "associated_partner")):
        make_consortium_member(project, make_organisation(name), role=role)
    response = viewer_client.get(list_url("project"), {"export": "csv", "sort": "acronym"})
    rows = list(csv.DictReader(io.StringIO(csv_text(response))))
    assert [(row["Acronym"], row["Coordinator"], row["Consortium"]) for row in rows] == [
        ("COBIOE", "Genopole", "EIT Health (Associated partner); Genopole (Coordinator); "
                               "BioWin (Partner); Tartu Biotechnology Park (Partner)"),
        ("GEN.ERA", "", ""),
    ]  # fmt: skip
