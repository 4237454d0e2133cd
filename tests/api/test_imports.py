"""The meeting-log import over the API: the same service, checks and outcomes as the admin
and the command, for an uploaded file or for JSON rows; undone by administrators."""

from pathlib import Path

import pytest

from events.models import ImportRecord, Meeting

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parent.parent / "data"
URL = "/api/v1/meeting-imports/"

ROWS = [
    {"date": "2022-10-14", "event": "BIO-Europe 2022", "organisation": "BioWin", "topic": "A"},
    {"date": "14/10/2022", "event": "BIO-Europe 2022", "organisation": "Medicon", "notes": "x\ny"},
]


def upload(client, name, **options):
    with (DATA / name).open("rb") as stream:
        return client.post(URL, {"file": stream, **options}, format="multipart")


def test_a_dry_run_returns_the_preview_and_writes_nothing(report_data, api_as):
    before = Meeting.objects.count()
    response = upload(api_as("Importer"), "en_utf8_bom_comma.csv", dry_run="true")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["dry_run"], body["valid"], body["record"]) == (True, True, None)
    assert body["new"] == len(body["preview"]) == 2
    assert body["preview"][0]["organisation"] == "Université Paris-Saclay"
    assert Meeting.objects.count() == before and ImportRecord.objects.count() == 0


def test_a_file_with_errors_lists_line_column_value_and_reason_and_writes_nothing(
    report_data, api_as
):
    before = Meeting.objects.count()
    response = upload(api_as("Importer"), "one_bad_line.csv")
    assert response.status_code == 400
    body = response.json()
    assert body["message"] == "Nothing was imported: some lines have errors."
    [error] = body["errors"]
    assert (error["row"], error["column"], error["value"]) == (
        3,
        "Organisation",
        "Nowhere Biotech",
    )
    assert error["reason"]
    assert Meeting.objects.count() == before


def test_a_file_the_service_refuses_is_a_400_with_its_message(report_data, api_as):
    response = upload(api_as("Importer"), "not_a_log.pdf")
    assert response.status_code == 400
    assert response.json()["file_error"] == response.json()["message"] != ""


def test_an_import_returns_the_import_record_attributed_to_the_token_owner(report_data, api_as):
    response = upload(api_as("Importer", username="importing-script"), "en_utf8_bom_comma.csv")
    assert response.status_code == 201, response.json()
    record = ImportRecord.objects.get(pk=response.json()["id"])
    assert (record.source, record.user.username, record.created) == ("api", "importing-script", 2)
    assert response.json()["user"] == "importing-script"
    meeting = record.meetings.first()
    assert meeting.history.get().history_user.username == "importing-script"


def test_importing_the_same_file_again_adds_nothing(report_data, api_as):
    client = api_as("Importer")
    upload(client, "en_utf8_bom_comma.csv")
    before = Meeting.objects.count()
    again = upload(client, "en_utf8_bom_comma.csv")
    assert again.status_code == 201
    assert (again.json()["created"], again.json()["unchanged"]) == (0, 2)
    assert Meeting.objects.count() == before
    preview = upload(client, "en_utf8_bom_comma.csv", dry_run="true").json()
    assert len(preview["earlier_imports"]) == 2


def test_the_default_event_is_given_by_name(report_data, api_as):
    response = upload(
        api_as("Importer"), "partnering_export.csv", event="BIO-Europe 2022", dry_run="true"
    )
    assert response.status_code == 200, response.json()
    assert {row["event"] for row in response.json()["preview"]} == {"BIO-Europe 2022"}


def test_an_unknown_default_event_is_a_400_naming_the_option(report_data, api_as):
    response = upload(api_as("Importer"), "partnering_export.csv", event="No such fair")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["event"]


def test_json_rows_go_through_the_same_import(report_data, api_as):
    response = api_as("Importer").post(URL, {"rows": ROWS}, format="json")
    assert response.status_code == 201, response.json()
    record = ImportRecord.objects.get(pk=response.json()["id"])
    assert record.created == 2
    assert sorted(record.meetings.values_list("notes", flat=True)) == ["", "x\ny"]


def test_a_bad_json_row_is_reported_with_its_index_and_column(report_data, api_as):
    rows = [*ROWS, {"date": "someday", "organisation": "BioWin", "event": "BIO-Europe 2022"}]
    response = api_as("Importer").post(URL, {"rows": rows, "dry_run": True}, format="json")
    assert response.status_code == 400
    [error] = response.json()["errors"]
    assert (error["field"], error["value"]) == ("rows[2].date", "someday")
    # The second row's notes take two lines of the file: the third row is row 4, on line 5.
    assert (error["row"], error["file_line"]) == (4, 5)


def test_json_rows_of_the_wrong_shape_are_refused_with_their_path(api_as):
    rows = [{"date": "2022-10-14"}, {"date": "2022-10-14", "organisation": "X", "table": "T1"}]
    response = api_as("Importer").post(URL, {"rows": rows}, format="json")
    assert response.status_code == 400
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"rows[0].organisation", "rows[1].table"}


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"rows": []},
        {"rows": "not a list"},
        {"rows": [1, 2]},
        {"dry_run": "maybe", "rows": ROWS},
    ],
)
def test_a_request_without_a_usable_file_or_rows_is_a_400(api_as, body):
    response = api_as("Importer").post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize("role", [None, "Viewer", "Editor"])
def test_only_importers_and_administrators_may_import(api_as, role):
    response = api_as(role).post(URL, {"rows": ROWS}, format="json")
    assert response.status_code == 403
    assert ImportRecord.objects.count() == 0


def test_an_administrator_undoes_an_import(report_data, api_as):
    record_id = upload(api_as("Importer"), "en_utf8_bom_comma.csv").json()["id"]
    before = Meeting.objects.count()
    response = api_as("Administrator").post(f"{URL}{record_id}/undo/")
    assert response.status_code == 200, response.json()
    assert response.json() == {"meetings_deleted": 2, "meetings_restored": 0, "people_deleted": 0}
    assert Meeting.objects.count() == before - 2
    again = api_as("Administrator", username="admin2").post(f"{URL}{record_id}/undo/")
    assert again.status_code == 400
    assert again.json()["errors"][0]["message"] == "This import has already been undone."


@pytest.mark.parametrize("role", ["Importer", "Editor", "Viewer"])
def test_only_administrators_may_undo(report_data, api_as, role):
    record_id = upload(api_as("Importer", username="imp"), "en_utf8_bom_comma.csv").json()["id"]
    assert api_as(role).post(f"{URL}{record_id}/undo/").status_code == 403
    assert not ImportRecord.objects.get(pk=record_id).is_undone


def test_viewers_read_the_import_records(report_data, api_as):
    record_id = upload(api_as("Importer"), "en_utf8_bom_comma.csv").json()["id"]
    listed = api_as("Viewer").get(URL).json()["results"]
    assert [row["id"] for row in listed] == [record_id]
