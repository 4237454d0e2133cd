from django.db import models
from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.links import record_url
from core.models import (
    DatePrecision,
    NaturalKeyManager,
    Period,
    ReportedFigure,
    Sourced,
    count_of,
    format_partial_date,
)
from core.search import NATURAL_COLLATION, SearchQuerySet, folded_copy
from events.models import Event
from partners.models import Organisation


class Programme(Sourced):
    """A funding programme: COSME, Erasmus+…"""

    name = models.CharField(_("name"), max_length=200, db_collation=NATURAL_COLLATION)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyManager("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="programme_name_unique_ci",
                violation_error_message=_("A programme with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ProjectQuerySet(SearchQuerySet):
    search_fields = ("acronym", "title", "programme__name", "programme__short_name")

    def with_member(self, organisations=None, roles=None):
        """Projects where one of `organisations` holds one of `roles` (either may be empty).

        Organisation and role describe the same consortium seat: "projects Tartu BT Park
        coordinates", not "projects with Tartu BT Park and some coordinator".
        """
        seats = ConsortiumMember.objects.all()
        if organisations:
            seats = seats.filter(organisation__in=organisations)
        if roles:
            seats = seats.filter(role__in=roles)
        return self.filter(pk__in=seats.values("project"))

    def with_counts(self):
        return self.annotate(member_count=count_of(ConsortiumMember.objects.all(), "project"))

    def by_status(self):
        return self.order_by().values("status").annotate(total=Count("pk")).order_by("status")

    def get_by_natural_key(self, acronym):
        return self.get(acronym=acronym)


class Project(Sourced, Period):
    """A European project or programme run as a consortium."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("In preparation")
        SUBMITTED = "submitted", _("Submitted")
        SELECTED = "selected", _("Selected")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")
        NOT_SELECTED = "not_selected", _("Not selected")

    acronym = models.CharField(_("acronym"), max_length=50, db_collation=NATURAL_COLLATION)
    title = models.CharField(
        _("full title"), max_length=300, blank=True, db_collation=NATURAL_COLLATION
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
        verbose_name=_("funding programme"),
    )
    call = models.CharField(_("call"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status)
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    members = models.ManyToManyField(
        Organisation,
        through="ConsortiumMember",
        related_name="projects",
        verbose_name=_("consortium"),
        blank=True,
    )

    # Stored folded copies of the searched columns (core.search.folded_copy).
    acronym_folded = folded_copy("acronym")
    title_folded = folded_copy("title")

    history = HistoricalRecords(excluded_fields=["acronym_folded", "title_folded"])
    objects = ProjectQuerySet.as_manager()

    class Meta(Period.Meta):
        ordering = ["acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        permissions = [("export_project", _("Can export projects"))]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                Lower("acronym"),
                name="project_acronym_unique_ci",
                violation_error_message=_("A project with this acronym already exists."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="project_status_idx")]

    def __str__(self):
        return self.acronym

    def get_absolute_url(self):
        return record_url("projects:project-detail", self.pk)

    def natural_key(self):
        return (self.acronym,)

    @property
    def coordinator(self):
        member = next(
            (m for m in self.consortium.all() if m.role == ConsortiumMember.Role.COORDINATOR),
            None,
        )
        return member.organisation if member else None


class ConsortiumMember(Sourced):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        PARTNER = "partner", _("Partner")
        ASSOCIATED_PARTNER = "associated_partner", _("Associated partner")
        PARTICIPANT = "participant", _("Participant")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="consortium", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="consortium_roles",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyManager("project__acronym", "organisation__name")

    class Meta:
        ordering = ["project__acronym", "role", "organisation__name"]
        verbose_name = _("consortium member")
        verbose_name_plural = _("consortium members")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="consortium_member_unique",
                violation_error_message=_("This organisation is already in the consortium."),
            ),
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="coordinator"),
                name="consortium_single_coordinator",
                violation_error_message=_("A project has only one coordinator."),
            ),
        ]
        indexes = [models.Index(fields=["role"], name="consortium_role_idx")]

    def __str__(self):
        return f"{self.organisation} — {self.get_role_display()}, {self.project}"

    def natural_key(self):
        return (*self.project.natural_key(), *self.organisation.natural_key())

    natural_key.dependencies = ["projects.project", "partners.organisation"]


class MilestoneQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(date__year=year).order_by("date", "project__acronym")

    def upcoming(self, today):
        return self.filter(date__gte=today).order_by("date", "project__acronym")

    def get_by_natural_key(self, project, kind, date):
        return self.get(project__acronym=project, kind=kind, date=date)


class Milestone(Sourced):
    class Kind(models.TextChoices):
        SUBMISSION = "submission", _("Submission")
        SELECTION = "selection", _("Selection")
        SIGNATURE = "signature", _("Signature")
        LAUNCH = "launch", _("Launch")
        CLOSING_EVENT = "closing_event", _("Closing event")
        END = "end", _("End")
        OTHER = "other", _("Other")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("project")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
        verbose_name=_("event"),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["project__acronym", "date"]
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "date"], name="milestone_unique_per_project_kind_date"
            ),
        ]
        indexes = [models.Index(fields=["date"], name="milestone_date_idx")]

    def __str__(self):
        return f"{self.project}: {self.get_kind_display()} ({self.date_display})"

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)

    def natural_key(self):
        return (*self.project.natural_key(), self.kind, self.date.isoformat())

    natural_key.dependencies = ["projects.project", "events.event"]


class ProjectFigure(ReportedFigure):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="figures", verbose_name=_("project")
    )

    history = HistoricalRecords()
    objects = NaturalKeyManager("project__acronym", "metric", "label")

    class Meta(ReportedFigure.Meta):
        verbose_name = _("project figure")
        verbose_name_plural = _("project figures")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "metric", "label"], name="project_figure_unique"
            ),
        ]

    def natural_key(self):
        return (*self.project.natural_key(), self.metric, self.label)

    natural_key.dependencies = ["projects.project"]
