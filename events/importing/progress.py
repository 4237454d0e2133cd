"""The progress page of a background import (/imports/<id>/) and the JSON it polls: seen only
by the person who imported and by administrators (ImportJob.may_be_seen_by)."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.generic import DetailView, View

from events.models import ImportJob


def job_for(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("record"), pk=pk)
    if not job.may_be_seen_by(request.user):
        raise PermissionDenied
    return job


def status_of(job):
    record = job.record
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "stage": job.stage,
        "lines_done": job.lines_done,
        "lines_total": job.lines_total,
        "finished": job.finished,
        "message": job.message,
        "record": record.pk if record else None,
        "record_url": (
            reverse("admin:events_importrecord_change", args=[record.pk]) if record else None
        ),
        "created": record.created if record else None,
        "unchanged": record.unchanged if record else None,
        "skipped": record.skipped if record else None,
        "new_contacts": record.new_contacts if record else None,
    }


class ImportProgressView(LoginRequiredMixin, DetailView):
    template_name = "events/import_progress.html"
    context_object_name = "job"

    def get_object(self, queryset=None):
        return job_for(self.request, self.kwargs["pk"])


class ImportStatusView(LoginRequiredMixin, View):
    def get(self, request, pk):
        return JsonResponse(status_of(job_for(request, pk)))
