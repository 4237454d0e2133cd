from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import PerChunk, dated, label
from core.models import among
from core.views import DetailPage, ListPage
from projects.filters import ProjectFilter
from projects.models import ConsortiumMember, Milestone, Project


def consortia(ids):
    """A chunk of projects' coordinator and consortium, in the order their pages list them
    (role, then organisation), read as tuples: as model instances, a chunk's 20,000 seats
    and their organisations grew a 2,000-project export by 53 MB. The roles' labels are
    translated once (get_role_display() per seat was most of the time)."""
    roles = {value: str(label) for value, label in ConsortiumMember.Role.choices}
    seats = (
        ConsortiumMember.objects.filter(among("project", ids))
        .order_by("project", "role", "organisation__name")
        .values_list("project", "role", "organisation__name")
    )
    coordinators, members = {}, defaultdict(list)
    for project, role, organisation in seats:
        if role == ConsortiumMember.Role.COORDINATOR:
            coordinators.setdefault(project, organisation)
        members[project].append(f"{organisation} ({roles.get(role, role)})")
    return {
        project: (coordinators.get(project), "; ".join(names))
        for project, names in members.items()
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
