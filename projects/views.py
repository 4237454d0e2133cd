from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import PerChunk, dated, label
from core.views import DetailPage, ListPage
from projects.filters import ProjectFilter
from projects.models import ConsortiumMember, Milestone, Project


def consortia(ids):
    """A chunk of projects' coordinator and consortium, read as their pages read them; the
    roles' labels translated once (get_role_display() per seat was most of the time)."""
    roles = dict(ConsortiumMember.Role.choices)
    roles = {value: str(label) for value, label in roles.items()}
    members = ConsortiumMember.objects.select_related("organisation")
    projects = Project.objects.filter(pk__in=ids).prefetch_related(Prefetch("consortium", members))
    return {
        project.pk: (
            project.coordinator,
            "; ".join(
                f"{member.organisation} ({roles.get(member.role, member.role)})"
                for member in project.consortium.all()
            ),
        )
        for project in projects
    }


class ProjectListView(ListPage):
    model = Project
    filterset_class = ProjectFilter
    csv_columns = [
        (_("Acronym"), "acronym"),
        (_("Full title"), "title"),
        (_("Funding programme"), "programme__name"),
        (_("Call"), "call"),
        (_("Status"), label("status", Project.Status.choices)),
        *dated(_("Start"), "start_date", "start_precision"),
        *dated(_("End"), "end_date", "end_precision"),
        (_("Coordinator"), PerChunk(consortia, pick=0)),
        (_("Consortium"), PerChunk(consortia, pick=1)),
        (_("Website"), "website"),
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
