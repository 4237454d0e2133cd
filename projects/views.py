from operator import attrgetter

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import dated, label
from core.views import DetailPage, ListPage
from projects.filters import ProjectFilter
from projects.models import ConsortiumMember, Milestone, Project


def coordinator(project):
    return project.coordinator


def consortium(project):
    return "; ".join(
        f"{member.organisation} ({member.get_role_display()})"
        for member in project.consortium.all()
    )


class ProjectListView(ListPage):
    model = Project
    filterset_class = ProjectFilter
    csv_columns = [
        (_("Acronym"), attrgetter("acronym")),
        (_("Full title"), attrgetter("title")),
        (_("Funding programme"), attrgetter("programme")),
        (_("Call"), attrgetter("call")),
        (_("Status"), label("status", Project.Status.choices)),
        *dated(_("Start"), "start_date", "start_precision"),
        *dated(_("End"), "end_date", "end_precision"),
        (_("Coordinator"), coordinator),
        (_("Consortium"), consortium),
        (_("Website"), attrgetter("website")),
    ]

    def get_queryset(self):
        return (
            Project.objects.with_counts()
            .select_related("programme")
            .prefetch_related(
                Prefetch("consortium", ConsortiumMember.objects.select_related("organisation"))
            )
        )


class ProjectDetailView(DetailPage):
    model = Project

    def get_queryset(self):
        return Project.objects.select_related("programme").prefetch_related(
            "figures",
            "sources",
            Prefetch(
                "consortium",
                ConsortiumMember.objects.select_related("organisation").order_by(
                    "role", "organisation__name"
                ),
            ),
            Prefetch(
                "milestones",
                Milestone.objects.select_related("event").order_by("date"),
            ),
        )
