"""The API's import of a file past IMPORT_BACKGROUND_LINES: 202 and a status URL, the import
itself run by a task worker (events/importing/tasks.py), as in the admin."""

import pytest

from events.importing.tasks import run_import_job
from events.models import ImportJob, ImportRecord
from tests.api.test_imports import upload as api_upload

pytestmark = pytest.mark.django_db
FILE = "fr_excel_cp1252.csv"  # three meetings


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_LINES = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_api_answers_202_with_a_status_url_for_a_large_file(report_data, api_as):
    client = api_as("Importer")
    response = api_upload(client, FILE)
    assert response.status_code == 202, response.json()
    job = ImportJob.objects.get()
    body = response.json()
    # Estimated from its line breaks: one note spans two lines.
    assert (body["job"], body["status"], body["lines_total"]) == (job.pk, "queued", 4)
    assert response["Location"] == body["status_url"]
    assert not ImportRecord.objects.exists()
    run_import_job.call(job.pk)
    status = client.get(body["status_url"]).json()
    assert (status["status"], status["record"]) == ("done", ImportRecord.objects.get().pk)
    assert status["lines_done"] == status["lines_total"] == 3
    assert ImportRecord.objects.get().source == ImportRecord.Source.API


def test_an_api_dry_run_of_a_large_file_still_answers_at_once(report_data, api_as):
    response = api_upload(api_as("Importer"), FILE, dry_run="true")
    assert response.status_code == 200 and response.json()["new"] == 3
    assert not ImportJob.objects.exists()


def test_only_its_importer_may_read_a_background_imports_status(report_data, api_as):
    status_url = api_upload(api_as("Importer"), FILE).json()["status_url"]
    assert api_as("Importer", username="other").get(status_url).status_code == 403
    assert api_as("Administrator", username="boss").get(status_url).status_code == 200
