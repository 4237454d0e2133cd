"""One viewset per record kind, each on the list page's own queryset and FilterSet.

`?q=`, the filters and `?sort=` mean exactly what they mean on the pages, because they are
the pages' FilterSets; the rows are the pages' querysets (same prefetching, same counts).
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.reverse import reverse

from events.follow_ups.models import FollowUp
from events.follow_ups.views import FollowUpListView, may_close
from events.importing.progress import status_of
from events.models import ImportJob, ImportRecord
from events.views import EventListView, MeetingListView
from genopole_crm.api import imports, serializers
from genopole_crm.api.imports import JobStatusSerializer
from partners.views import OrganisationListView, PartnershipListView, PersonListView
from projects.views import ProjectListView


def page_queryset(page):
    """The rows of a list page, selected and prefetched as the page selects them."""
    return page().get_queryset()


class PageViewSet(viewsets.ModelViewSet):
    """CRUD on the rows of `page` (a ListPage), filtered by its FilterSet."""

    page = None
    # Ids only, and no larger than the database holds: anything else is a 404, not a 500.
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        return page_queryset(self.page)

    @property
    def filterset_class(self):
        return self.page.filterset_class

    # Each write in its own transaction: a refusal by the database undoes all of it.
    @transaction.atomic
    def perform_create(self, serializer):
        self._save_and_reread(serializer)

    @transaction.atomic
    def perform_update(self, serializer):
        self._save_and_reread(serializer)

    def _save_and_reread(self, serializer):
        # Read back through the page's queryset, so the answer has its counts like a GET.
        record = serializer.save()
        serializer.instance = self.get_queryset().get(pk=record.pk)

    @transaction.atomic
    def perform_destroy(self, instance):
        instance.delete()


def tagged(tag):
    return extend_schema_view(
        list=extend_schema(tags=[tag]),
        retrieve=extend_schema(tags=[tag]),
        create=extend_schema(tags=[tag]),
        update=extend_schema(tags=[tag]),
        partial_update=extend_schema(tags=[tag]),
        destroy=extend_schema(tags=[tag]),
    )


@tagged("organisations")
class OrganisationViewSet(PageViewSet):
    page = OrganisationListView
    serializer_class = serializers.OrganisationSerializer


@tagged("people")
class PersonViewSet(PageViewSet):
    page = PersonListView
    serializer_class = serializers.PersonSerializer


@tagged("partnerships")
class PartnershipViewSet(PageViewSet):
    page = PartnershipListView
    serializer_class = serializers.PartnershipSerializer


@tagged("events")
class EventViewSet(PageViewSet):
    page = EventListView
    serializer_class = serializers.EventSerializer


@tagged("meetings")
class MeetingViewSet(PageViewSet):
    page = MeetingListView
    serializer_class = serializers.MeetingSerializer


@tagged("projects")
class ProjectViewSet(PageViewSet):
    page = ProjectListView
    serializer_class = serializers.ProjectSerializer


@tagged("follow-ups")
class FollowUpViewSet(PageViewSet):
    """The follow-up list's filters, with its defaults: the caller's open follow-ups."""

    page = FollowUpListView
    serializer_class = serializers.FollowUpSerializer

    @extend_schema(tags=["follow-ups"], request=None, responses=serializers.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, pk=None):
        """Mark the follow-up done (its owner, editors and administrators)."""
        return self._close_or_reopen(FollowUp.State.OPEN, lambda f: f.mark_done(request.user))

    @extend_schema(tags=["follow-ups"], request=None, responses=serializers.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Open a follow-up marked done again (its owner, editors and administrators)."""
        return self._close_or_reopen(FollowUp.State.DONE, FollowUp.reopen)

    def get_permissions(self):
        # Closing is allowed to the owner with only the view permission, as on the pages.
        if self.action in ("done", "reopen"):
            return [MayClose()]
        return super().get_permissions()

    def get_object(self):
        # A closed follow-up is still found by id, whatever the list's default filters say.
        record = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, record)
        return record

    @transaction.atomic
    def _close_or_reopen(self, from_state, change):
        follow_up = self.get_object()
        # Done twice, or reopened twice, is a no-op: the second request finds it already so.
        if follow_up.state == from_state:
            change(follow_up)
        return Response(self.get_serializer(self.get_queryset().get(pk=follow_up.pk)).data)


class MayClose(BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("events.view_followup")

    def has_object_permission(self, request, view, follow_up):
        return may_close(request.user, follow_up)


class MayImport(BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("events.import_meeting")


class MayUndo(BasePermission):
    def has_permission(self, request, view):
        return request.user.has_perm("events.undo_importrecord")


@extend_schema_view(
    list=extend_schema(tags=["meeting imports"]),
    retrieve=extend_schema(tags=["meeting imports"]),
)
class MeetingImportViewSet(viewsets.ReadOnlyModelViewSet):
    """Meeting-log imports: list and read the records, run an import, undo one."""

    queryset = ImportRecord.objects.select_related("user", "undone_by")
    serializer_class = serializers.ImportRecordSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_class = None
    lookup_value_regex = "[0-9]{1,18}"

    def get_permissions(self):
        # Importing and undoing have their own permissions (as in the admin), not add_/change_.
        if self.action in ("create", "job"):
            return [MayImport()]
        if self.action == "undo":
            return [MayUndo()]
        return super().get_permissions()

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "list":
            return queryset.order_by("-created_at", "-pk")
        return queryset

    @extend_schema(
        tags=["meeting imports"],
        request={
            "multipart/form-data": imports.MeetingImportSerializer,
            "application/json": imports.MeetingImportSerializer,
        },
        responses={
            200: imports.ImportReportSerializer,
            201: serializers.ImportRecordSerializer,
            202: JobStatusSerializer,
            400: imports.ImportReportSerializer,
        },
    )
    def create(self, request):
        """Import a meeting log (file or JSON rows). With `dry_run`, only the report."""
        options = imports.MeetingImportSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        if job := imports.queue_if_large(data=options.validated_data, user=request.user):
            url = reverse("api:meeting-import-job", args=[job.pk], request=request)
            body = {**status_of(job), "job": job.pk, "status_url": url}
            return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": url})
        report, source = imports.run_import(data=options.validated_data, user=request.user)
        body = imports.report_as_json(report, source)
        if report.has_errors:
            body["message"] = report.file_error or _(
                "Nothing was imported: some lines have errors."
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        if report.record is None:
            return Response(body, status=status.HTTP_200_OK)
        record = self.get_queryset().get(pk=report.record.pk)
        return Response(
            serializers.ImportRecordSerializer(record).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(tags=["meeting imports"], request=None, responses=JobStatusSerializer)
    @action(detail=False, methods=["get"], url_path=r"jobs/(?P<pk>[0-9]{1,18})")
    def job(self, request, pk=None):
        """How a background import (answered 202) is getting on: queued, running, done
        (with its record) or failed (with the reason; nothing was written)."""
        job = get_object_or_404(ImportJob.objects.select_related("record"), pk=pk)
        if not job.may_be_seen_by(request.user):
            raise PermissionDenied
        return Response(status_of(job))

    @extend_schema(tags=["meeting imports"], request=None, responses=imports.UndoSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Delete the meetings an import created (administrators)."""
        record = self.get_object()
        return Response(imports.undo(record=record, user=request.user))
