"""Imports past IMPORT_BACKGROUND_LINES run as a background task once confirmed: queued in the
database, run by `manage.py db_worker`, all or nothing, followed on a progress page that only
the importer and administrators may see."""

import signal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from events.importing.tasks import Progress, run_import_job
from events.models import Event, ImportJob, ImportRecord, Meeting
from tests.helpers import log_in
from tests.imports.test_admin import confirm, upload

pytestmark = pytest.mark.django_db
FILE = "fr_excel_cp1252.csv"  # three meetings


@pytest.fixture(autouse=True)
def small_threshold(settings):
    settings.IMPORT_BACKGROUND_LINES = 2
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def importer(client, make_user, report_data):
    log_in(client, make_user("Importer"))
    return client


@pytest.fixture
def queued(importer):
    """A confirmed import of the three-meeting file, waiting for a worker."""
    response = confirm(importer, upload(importer, FILE))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    return job


def run_worker():
    """`manage.py db_worker --batch`: runs the queued tasks, then returns. It installs its own
    signal handlers and leaves them: put the test process's back."""
    signals = [signal.SIGINT, signal.SIGTERM, signal.SIGQUIT]
    saved = [signal.getsignal(number) for number in signals]
    try:
        call_command("db_worker", "--batch", verbosity=0)
    finally:
        for number, handler in zip(signals, saved, strict=True):
            signal.signal(number, handler)


def test_a_large_import_is_queued_rather_than_run_during_the_request(importer, queued):
    assert queued.status == ImportJob.Status.QUEUED
    assert (queued.lines_total, queued.file_name) == (3, FILE)
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert not ImportRecord.objects.exists()


def test_a_file_within_the_threshold_is_still_imported_at_once(importer, settings):
    settings.IMPORT_BACKGROUND_LINES = 3
    confirm(importer, upload(importer, FILE))
    assert ImportRecord.objects.get().created == 3
    assert not ImportJob.objects.exists()


def test_the_queued_page_says_it_waits_and_updates_itself_from_a_script_file(importer, queued):
    page = importer.get(queued.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page
    assert "waits for a task worker; this page updates itself" in page
    assert '<script src="/static/events/import-progress.js" defer></script>' in page
    status = importer.get(reverse("events:import-status", args=[queued.pk])).json()
    assert (status["status"], status["lines_done"], status["lines_total"]) == ("queued", 0, 3)


# Transactional: the worker checks its connection as a long-running process does, which on
# PostgreSQL closes one left inside a test's transaction.
@pytest.mark.django_db(transaction=True)
def test_the_worker_imports_it_and_the_page_shows_the_summary_and_the_record(importer, queued):
    before = Meeting.objects.count()
    run_worker()
    job = ImportJob.objects.get()
    record = ImportRecord.objects.get()
    assert (job.status, job.record, job.lines_done, bytes(job.data)) == ("done", record, 3, b"")
    assert Meeting.objects.count() == before + 3
    assert (record.user.username, record.source) == ("importer", ImportRecord.Source.ADMIN)
    page = importer.get(job.get_absolute_url()).content.decode()
    assert "Imported: 3 new, 0 unchanged, 0 skipped, 1 new contacts." in page
    assert reverse("admin:events_importrecord_change", args=[record.pk]) in page
    assert "import-progress.js" not in page  # finished: nothing more to poll
    status = importer.get(reverse("events:import-status", args=[job.pk])).json()
    assert (status["finished"], status["record"], status["created"]) == (True, record.pk, 3)


def test_progress_is_written_to_the_job_as_the_file_is_read(queued):
    progress = Progress(queued)
    progress("reading", 0.0)
    progress("reading", 2 / 3)  # within a second of the last: not written
    assert ImportJob.objects.get().lines_done == 0
    progress.last = 0.0
    progress("reading", 2 / 3)
    assert ImportJob.objects.values_list("stage", "lines_done").get() == ("reading", 2)


def test_a_failure_writes_nothing_and_the_page_shows_why(importer, queued):
    before = Meeting.objects.count()
    # Between the preview and the worker, the file's event was renamed: every line fails.
    Event.objects.filter(name="BIO-Europe 2022").update(name="BIO-Europe Autumn 2022")
    Event.aliases.field.model.objects.filter(name__iexact="BIO-Europe 2022").delete()
    run_import_job.call(queued.pk)
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED
    assert "Nothing was written" in job.message
    assert Meeting.objects.count() == before and not ImportRecord.objects.exists()
    page = importer.get(job.get_absolute_url()).content.decode()
    assert job.message in page


def test_a_file_changed_in_the_queue_is_refused_with_its_message(queued):
    ImportJob.objects.filter(pk=queued.pk).update(data=b"date,organisation\n2022-01-01,X\n")
    run_import_job.call(queued.pk)
    job = ImportJob.objects.get()
    assert (job.status, job.message) == ("failed", "The file changed since it was previewed; "
                                         "upload it again.")  # fmt: skip
    assert not ImportRecord.objects.exists()


def test_a_job_runs_once_even_if_its_task_is_replayed(queued):
    run_import_job.call(queued.pk)
    run_import_job.call(queued.pk)
    assert ImportRecord.objects.count() == 1


def test_another_importer_may_not_follow_someone_elses_import(client, queued, make_user):
    log_in(client, make_user("Importer", username="other"))
    assert client.get(queued.get_absolute_url()).status_code == 403
    assert client.get(reverse("events:import-status", args=[queued.pk])).status_code == 403


def test_an_administrator_may_follow_anyones_import(client, queued, make_user):
    log_in(client, make_user("Administrator", username="boss"))
    assert client.get(queued.get_absolute_url()).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(client, queued):
    client.logout()
    response = client.get(queued.get_absolute_url())
    assert response.status_code == 302 and "login" in response.url

