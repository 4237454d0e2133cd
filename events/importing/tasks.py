"""Imports too large to run during a request, as background tasks (Django's tasks framework,
the django-tasks backport until Django 6, with its database backend: `manage.py db_worker`
runs them, on any number of machines against the same database).

The admin's confirm step (adapter.py) and the API store the file as an `ImportJob` and call
`start()`; the worker runs `run_import_job`, which calls the same service as every other import
(`import_meeting_log`, one transaction: all or nothing) and notes on the job how far it got, for
the progress page (progress.py). Past IMPORT_BACKGROUND_LINES lines a file goes this way.
"""

import io
import time

from django.conf import settings
from django.contrib.admin.models import ADDITION, LogEntry
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from events.importing.service import import_meeting_log
from events.models import ImportJob, ImportRecord

# The progress page polls every few seconds: writing the job more often is wasted work.
PROGRESS_EVERY = 1.0  # seconds


def runs_in_background(lines: int) -> bool:
    return lines > settings.IMPORT_BACKGROUND_LINES


def start(job: ImportJob):
    """Queue the job for a worker (with the immediate backend, run it now)."""
    run_import_job.enqueue(job.pk)


class Progress:
    """The service's `progress(stage, fraction)`, written to the job now and then. Reading
    counts as the lines done; checking and writing happen outside the lines' loop."""

    def __init__(self, job):
        self.job, self.last = job, 0.0

    def __call__(self, stage, fraction):
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY and fraction not in (0.0, 1.0):
            return
        self.last = now
        done = round(self.job.lines_total * fraction) if stage == _("reading") else None
        self.job.stage = stage[:100]
        if done is not None:
            self.job.lines_done = done
        ImportJob.objects.filter(pk=self.job.pk).update(
            stage=self.job.stage, lines_done=self.job.lines_done
        )


@task()
def run_import_job(job_id: int):
    job = ImportJob.objects.select_related("user", "default_event").get(pk=job_id)
    if job.status != ImportJob.Status.QUEUED:
        return job.status  # a second worker, or a replayed task: it ran already
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    try:
        report = import_meeting_log(
            stream=io.BytesIO(bytes(job.data)),
            file_name=job.file_name,
            user=job.user,
            source=job.source,
            default_event=job.default_event,
            expected_checksum=job.checksum or None,
            date_order=job.date_order or None,
            encoding=job.encoding or None,
            progress=Progress(job),
        )
    except Exception:
        finish(
            job,
            ImportJob.Status.FAILED,
            _(
                "The import stopped on an unexpected error. "
                "Nothing was written; try again or ask for help."
            ),
        )
        raise
    if report.record is None:
        finish(job, ImportJob.Status.FAILED, failure_message(report))
    else:
        if job.source == ImportRecord.Source.ADMIN:
            LogEntry.objects.log_actions(
                user_id=job.user_id,
                queryset=[report.record],
                action_flag=ADDITION,
                change_message=_("Imported a meeting log"),
                single_object=True,
            )
        lines = {"lines_done": report.lines, "lines_total": report.lines}  # not an estimate now
        finish(job, ImportJob.Status.DONE, "", record=report.record, **lines)
    return job.status


def failure_message(report):
    if report.file_error:
        return report.file_error
    return _(
        "%(count)s lines cannot be imported as written (the CRM changed since the preview). "
        "Nothing was written; upload the file again to see them."
    ) % {"count": report.error_lines}


def finish(job, status, message, **fields):
    job.status, job.message = status, message
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        message=message,
        data=b"",  # the file is of no more use, and may be large
        finished_at=timezone.now(),
        **fields,
    )
