"""Finding 8: exports open safely in a spreadsheet, whatever a record holds."""

import io

import openpyxl
import pytest
from import_export.formats.base_formats import XLSX

from events.importing.adapter import MeetingResource
from tests.factories import make_meeting, make_organisation

pytestmark = pytest.mark.django_db


def exported_xlsx_rows():
    dataset = MeetingResource().export()
    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(dataset)))
    return [[cell.value for cell in row] for row in workbook.active.iter_rows()]


def test_one_control_character_does_not_break_the_xlsx_export():
    make_meeting(make_organisation("BioWin"), topic="Bell\x07 and \x1bescape")
    rows = exported_xlsx_rows()
    assert "Bell\ufffd and \ufffdescape" in rows[1]


def test_a_formula_behind_a_no_break_space_is_neutralised_in_the_xlsx_export():
    make_meeting(make_organisation("BioWin"), topic="\u00a0=HYPERLINK(1)")
    assert "'\u00a0=HYPERLINK(1)" in exported_xlsx_rows()[1]


def test_a_formula_behind_a_zero_width_space_is_neutralised_in_the_csv_download(admin_client):
    make_meeting(make_organisation("\u200b@SUM(A1)"))
    response = admin_client.get("/meetings/", {"export": "csv"})
    assert "'\u200b@SUM(A1)" in response.getvalue().decode()
