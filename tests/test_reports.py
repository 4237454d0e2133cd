"""/reports/<year>/: the "Europe & International" section of the annual report, regenerated.

With the fixtures loaded, each year reproduces the headline figures of its report
(../shared/reports/): the events and what was counted there, partnerships, project milestones.
"""

import datetime
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from openpyxl import load_workbook

from events.models import EventFigure, Participation
from tests.factories import make_event, make_meeting, make_partnership
from tests.pages import csv_rows, queries_for

pytestmark = pytest.mark.django_db


def report(client, year, **headers):
    response = client.get(reverse("report", args=[year]), **headers)
    assert response.status_code == 200
    # Tags out, entities decoded, spaces squeezed: the report as a reader reads it.
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    # (Only ASCII white space: French keeps its non-breaking spaces.)
    return re.sub(r"[ \t\r\n]+", " ", unescape(text))


def test_2022_bio_in_san_diego_with_its_meetings(viewer_client, report_data):
    text = report(viewer_client, 2022)
    assert (
        "BIO International Convention 2022 (BIO 2022, BIO USA 2022) — June 2022, San Diego" in text
    )
    for figure in (
        "more than 13,000 participants",
        "about 100 meetings",
        "25 corporations or SMEs",
        "20 investors",
        "8 Genopole companies",
    ):
        assert figure in text, figure


def test_2022_itap_bio_europe_and_the_eit_health_summit(viewer_client, report_data):
    text = report(viewer_client, 2022)
    assert "(ITAP 2022) — November 2022, Singapore" in text
    assert "BIO-Europe 2022 — October 2022, Leipzig, Germany" in text
    assert "EIT Health Summit 2022 — May 2022, Stockholm, Sweden" in text
    assert "more than 2,000 participants" in text


def test_2022_cebr_board_cobioe_and_gen_era(viewer_client, report_data):
    text = report(viewer_client, 2022)
    assert (
        "May 2022: Governance seat with Council of European BioRegions begins — "
        "Administrative board seat." in text
    )
    assert "COBIOE — Signature: 27 December 2022." in text
    assert (
        "GEN.ERA — Closing event: 14 June 2022 (GEN.ERA closing event, at Tartu BT Park)" in text
    )


def test_2022_european_health_data_space_conference(viewer_client, report_data):
    text = report(viewer_client, 2022)
    assert "European Health Data Space conference 2022 (EHDS conference 2022)" in text
    assert "40 participants (in person), 290 participants (virtual), 14 countries" in text


def test_2021_virtual_bio_bio_europe_spring_and_meet_in_italy(viewer_client, report_data):
    text = report(viewer_client, 2021)
    assert "BIO International Convention 2021 (BIO 2021) — June 2021, virtual" in text
    assert "21 companies" in text
    assert "BIO-Europe Spring 2021 — 2021, Munich, Germany" in text
    assert "close to 30 meetings" in text
    assert "more than 300 participants" in text
    assert "EUGLOH Annual Conference 2021 — October 2021" in text


def test_2021_new_cluster_and_university_partnerships_and_project_bids(viewer_client, report_data):
    text = report(viewer_client, 2021)
    for partner in (
        "Lithuanian Biotechnology Association",
        "Tartu BT Park",
        "Technology Park Ljubljana",
        "Medicon Valley",
        "Biocon Valley",
        "University of Porto",
        "University of Szeged",
        "Greifswald Medical School",
        "Hanze University of Applied Sciences",
    ):
        assert f"2021: Cooperation agreement with {partner} begins" in text, partner
    assert "URINBB — Submission: 2021." in text and "Braintech — Submission: 2021." in text
    assert "more than 150 members (partners)" in text  # EIT Health


def test_2020_biotech_showcase_bio_usa_kawasaki_and_gen_era(viewer_client, report_data):
    text = report(viewer_client, 2020)
    assert "Biotech Showcase 2020 — January 2020, San Francisco" in text
    assert "about 30 meetings" in text
    assert "more than 40 meetings (videoconference)" in text
    assert "Kawasaki Life Innovation Center delegation visit 2020 — February 2020" in text
    assert "GEN.ERA — Launch: September 2020." in text
    assert "2020: Certification with European Business and Innovation Centre Network begins" in text
    assert "130 members (business and innovation centres)" in text
    assert "12 businesses (Genopole businesses identified)" in text


def test_the_report_names_its_sources_by_title_and_year(viewer_client, report_data):
    text = report(viewer_client, 2020)
    assert "Activity report — GEN.ERA and EU|BIC certification (2020)" in text
    assert "Rapport d’activité — Europe et international (2020)" in text
    assert ".txt" not in text


def test_a_year_with_no_data_says_so(viewer_client, report_data):
    text = report(viewer_client, 2018)
    assert "No activity is recorded for 2018" in text


def test_a_year_out_of_range_or_an_unknown_download_is_not_found(viewer_client):
    assert viewer_client.get(reverse("report", args=[12])).status_code == 404
    url = reverse("report-download", args=[2022, "pdf"])
    assert viewer_client.get(url).status_code == 404


def test_the_report_speaks_french(viewer_client, report_data):
    text = report(viewer_client, 2022, HTTP_ACCEPT_LANGUAGE="fr")
    assert "Europe et international — 2022" in text
    assert "plus de 13\xa0000 participants" in text
    assert "25 grands groupes ou PME" in text
    assert "8 Genopole companies" not in text


def test_the_figures_download_as_csv(viewer_client, report_data):
    rows = csv_rows(viewer_client.get(reverse("report-download", args=[2022, "csv"])))
    assert rows[0] == ["Section", "Subject", "Figure", "Qualifier", "Value"]
    assert [
        "Events",
        "BIO International Convention 2022",
        "participants",
        "more than",
        "13000",
    ] in rows
    assert ["Key figures", "Genopole", "Events attended", "", "8"] in rows


def test_the_figures_download_as_xlsx_with_the_same_rows(viewer_client, report_data):
    as_csv = csv_rows(viewer_client.get(reverse("report-download", args=[2022, "csv"])))
    response = viewer_client.get(reverse("report-download", args=[2022, "xlsx"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    as_xlsx = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert as_xlsx == as_csv


def test_a_name_that_looks_like_a_formula_is_neutralised(viewer_client, report_data):
    event = EventFigure.objects.filter(event__start_date__year=2022).first().event
    event.name = "=HYPERLINK(1)"
    event.save()
    for download in ("csv", "xlsx"):
        response = viewer_client.get(reverse("report-download", args=[2022, download]))
        if download == "csv":
            subjects = {row[1] for row in csv_rows(response)}
        else:
            sheet = load_workbook(io.BytesIO(response.content)).active
            subjects = {row[1] for row in sheet.iter_rows(values_only=True)}
        assert "'=HYPERLINK(1)" in subjects and "=HYPERLINK(1)" not in subjects


def test_the_report_needs_to_read_every_list(client, make_user):
    client.force_login(make_user(username="no-role"))
    assert client.get(reverse("report", args=[2022])).status_code == 403


def test_the_page_is_printable_on_a4(viewer_client, report_data):
    content = viewer_client.get(reverse("report", args=[2022])).content.decode()
    assert re.search(r'<link rel="stylesheet" href="[^"]*/crm/dashboard\.css"', content)
    css = Path(finders.find("crm/dashboard.css")).read_text()
    assert "@page { size: A4" in css and "@media print" in css


def test_the_report_runs_a_fixed_number_of_queries(viewer_client, report_data):
    url = reverse("report", args=[2022])
    few = queries_for(viewer_client, url)
    for i in range(20):
        event = make_event(start_date=day_in_2022(i))
        Participation.objects.create(event=event, role="attendee")
        EventFigure.objects.create(event=event, metric="participants", value=i)
        make_meeting(event=event, date=day_in_2022(i))
        make_partnership(start_date=day_in_2022(i), title=f"New {i}")
    many = queries_for(viewer_client, url)
    # Computed afresh after the edits (tests/test_dashboard_cache.py): 16 and the version.
    assert (few, many) == (17, 17)


def day_in_2022(i):
    return datetime.date(2022, 1 + i % 12, 1 + i)
