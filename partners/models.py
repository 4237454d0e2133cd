from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django_countries import countries as all_countries
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from partners.search import SearchQuerySet, fold


class NaturalKeyManager(models.Manager):
    """`get_by_natural_key` from the lookups that match a model's `natural_key()`, in order.

    Fixtures refer to records by these keys, so loading them twice updates, never duplicates.
    """

    def __init__(self, *lookups):
        super().__init__()
        self.lookups = lookups

    def get_by_natural_key(self, *values):
        return self.get(**dict(zip(self.lookups, values, strict=True)))


class Report(models.Model):
    """One of Genopole's annual activity reports: where a fixture record comes from."""

    file_name = models.CharField(_("file name"), max_length=100, unique=True)
    year = models.PositiveSmallIntegerField(_("report year"))
    language = models.CharField(_("language"), max_length=2)
    covers = models.TextField(_("what it covers"), blank=True)

    objects = NaturalKeyManager("file_name")

    class Meta:
        ordering = ["year", "file_name"]
        verbose_name = _("source report")
        verbose_name_plural = _("source reports")

    def __str__(self):
        return _("%(year)s report (%(file_name)s)") % {
            "year": self.year,
            "file_name": self.file_name,
        }

    def natural_key(self):
        return (self.file_name,)


class Sourced(models.Model):
    """Provenance: the reports a record was derived from (none for records staff create)."""

    sources = models.ManyToManyField(
        Report, blank=True, related_name="+", verbose_name=_("source reports")
    )

    class Meta:
        abstract = True


class DatePrecision(models.TextChoices):
    """How much of a date the source actually states ("2019", "May 2022", "14 June 2022").

    The date itself is stored as the first day of what is known.
    """

    DAY = "day", _("Day")
    MONTH = "month", _("Month")
    YEAR = "year", _("Year")


def format_partial_date(value, precision):
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return date_format(value, "YEAR_MONTH_FORMAT")
    return date_format(value, "DATE_FORMAT")


class Period(models.Model):
    """A start and an optional end, each as precise as the source allows."""

    start_date = models.DateField(_("start date"), null=True, blank=True)
    start_precision = models.CharField(
        _("start date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )
    end_date = models.DateField(_("end date"), null=True, blank=True)
    end_precision = models.CharField(
        _("end date precision"),
        max_length=5,
        choices=DatePrecision,
        default=DatePrecision.DAY,
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    @property
    def start_display(self):
        return format_partial_date(self.start_date, self.start_precision)

    @property
    def end_display(self):
        return format_partial_date(self.end_date, self.end_precision)


class Alias(models.Model):
    """Another spelling of a record's name: a French name, an acronym, an old name."""

    name = models.CharField(_("alias"), max_length=200)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class ReportedFigure(Sourced):
    """A count a report gives without naming everything counted, with its wording kept.

    "about 100 meetings", "more than 13,000 participants", "close to 30 meetings".
    """

    class Metric(models.TextChoices):
        PARTICIPANTS = "participants", _("Participants")
        COMPANIES = "companies", _("Companies")
        MEETINGS = "meetings", _("Meetings")
        CORPORATIONS = "corporations", _("Corporations or SMEs")
        INVESTORS = "investors", _("Investors")
        GENOPOLE_COMPANIES = "genopole_companies", _("Genopole companies")
        MEMBERS = "members", _("Members")
        STUDENTS = "students", _("Students")
        COUNTRIES = "countries", _("Countries")
        BUSINESSES = "businesses", _("Businesses")
        DAYS = "days", _("Days")
        OTHER = "other", _("Other")

    class Qualifier(models.TextChoices):
        EXACTLY = "exactly", _("exactly")
        ABOUT = "about", _("about")
        CLOSE_TO = "close_to", _("close to")
        MORE_THAN = "more_than", _("more than")

    metric = models.CharField(_("what is counted"), max_length=20, choices=Metric)
    label = models.CharField(
        _("detail"),
        max_length=100,
        blank=True,
        help_text=_("Distinguishes two counts of the same thing, e.g. “in person” and “virtual”."),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=10, choices=Qualifier, default=Qualifier.EXACTLY
    )
    value = models.PositiveIntegerField(_("value"))
    wording = models.CharField(
        _("wording in the source"), max_length=300, blank=True, help_text=_("Kept verbatim.")
    )

    class Meta:
        abstract = True
        ordering = ["metric", "label"]

    def __str__(self):
        parts = [] if self.qualifier == self.Qualifier.EXACTLY else [self.get_qualifier_display()]
        parts += [f"{self.value:,}", str(self.get_metric_display()).lower()]
        if self.label:
            parts.append(f"({self.label})")
        return " ".join(parts)


def count_of(related, field):
    """The number of `related` rows whose `field` points at the outer row, as a subquery.

    A correlated subquery, unlike Count() over a join, is not multiplied by other joins and
    leaves the outer query free of GROUP BY, so filters and sorting stay simple.
    """
    return Coalesce(
        Subquery(
            related.filter(**{field: OuterRef("pk")})
            .order_by()
            .values(field)
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


class CountryQuerySetMixin:
    def countries(self):
        """(code, name) of the countries used, sorted by their name in the active language."""
        codes = self.exclude(country="").order_by().values_list("country", flat=True).distinct()
        return sorted(
            ((code, all_countries.name(code)) for code in codes), key=lambda c: fold(c[1])
        )


@dataclass(frozen=True)
class TimelineEntry:
    """One dated thing on an organisation's timeline: a meeting, a partnership starting…"""

    date: date
    when: str
    what: str
    text: str
    url: str = ""


class OrganisationQuerySet(CountryQuerySetMixin, SearchQuerySet):
    search_fields = ("name", "short_name", "aliases__name")
    name_fields = search_fields

    def genopole_accompanied(self):
        return self.filter(genopole_accompanied=True)

    def networks(self):
        """Organisations that have members: CEBR, EUGLOH, ScanBalt…"""
        return self.filter(pk__in=Membership.objects.values("network"))

    def in_networks(self, networks):
        return self.filter(pk__in=Membership.objects.filter(network__in=networks).values("member"))

    def with_partnership(self, types=None, statuses=None):
        """Organisations holding a partnership of one of `types` in one of `statuses`.

        Type and status describe the same partnership: "an in-discussion soft-landing
        agreement", not "some soft-landing agreement and something in discussion".
        """
        partnerships = Partnership.objects.all()
        if types:
            partnerships = partnerships.filter(type__in=types)
        if statuses:
            partnerships = partnerships.filter(status__in=statuses)
        return self.filter(pk__in=partnerships.values("organisation"))

    def with_active_partnership(self, active=True):
        active_ones = self.filter(pk__in=Partnership.objects.active().values("organisation"))
        return active_ones if active else self.exclude(pk__in=active_ones.values("pk"))

    def with_counts(self):
        """Partnerships, active partnerships, meetings, and the date we last met."""
        from events.models import Meeting

        last_meeting = Meeting.objects.filter(organisation=OuterRef("pk")).order_by("-date")
        return self.annotate(
            partnership_count=count_of(Partnership.objects.all(), "organisation"),
            active_partnership_count=count_of(Partnership.objects.active(), "organisation"),
            meeting_count=count_of(Meeting.objects.all(), "organisation"),
            last_met=Subquery(last_meeting.values("date")[:1]),
            last_met_precision=Subquery(last_meeting.values("date_precision")[:1]),
        )

    def get_by_natural_key(self, name):
        return self.get(name=name)


class Organisation(Sourced):
    class Kind(models.TextChoices):
        CLUSTER = "cluster", _("Cluster")
        SCIENCE_PARK = "science_park", _("Science park")
        UNIVERSITY = "university", _("University")
        RESEARCH_INSTITUTE = "research_institute", _("Research institute")
        HOSPITAL = "hospital", _("Hospital")
        CORPORATION = "corporation", _("Large company")
        SME = "sme", _("SME")
        STARTUP = "startup", _("Start-up")
        INVESTOR = "investor", _("Investor")
        PUBLIC_AGENCY = "public_agency", _("Public agency")
        NETWORK = "network", _("Network or association")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Acronym or usual short form.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent organisation"),
        help_text=_("The organisation this one belongs to or sits within."),
    )
    genopole_accompanied = models.BooleanField(
        _("Genopole-accompanied"),
        default=False,
        help_text=_("A start-up or SME incubated, hosted or supported by Genopole."),
    )
    description = models.TextField(_("description"), blank=True)
    networks = models.ManyToManyField(
        "self",
        through="Membership",
        through_fields=("member", "network"),
        symmetrical=False,
        related_name="network_members",
        blank=True,
        verbose_name=_("networks"),
    )

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        permissions = [("export_organisation", _("Can export organisations"))]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique_ci",
                violation_error_message=_("An organisation with this name already exists."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="organisation_not_own_parent",
                violation_error_message=_("An organisation cannot be its own parent."),
            ),
        ]
        indexes = [
            models.Index(fields=["kind"], name="organisation_kind_idx"),
            models.Index(fields=["country"], name="organisation_country_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("partners:organisation-detail", args=[self.pk])

    def partnership_statuses(self):
        """The statuses of its partnerships, most advanced first, each once ("Active",
        "In discussion"); empty when Genopole holds none. Uses prefetched partnerships."""
        held = {partnership.status for partnership in self.partnerships.all()}
        Status = Partnership.Status
        most_advanced_first = [Status.ACTIVE, Status.IN_DISCUSSION, Status.PROSPECT, Status.ENDED]
        return [status.label for status in most_advanced_first if status in held]

    def natural_key(self):
        return (self.name,)

    @property
    def last_met_display(self):
        """When we last met, as precisely as that meeting is dated (needs `with_counts()`)."""
        return format_partial_date(self.last_met, self.last_met_precision)

    def events_met(self):
        """The events at which we met this organisation, most recent first."""
        return list(dict.fromkeys(m.event for m in self.meetings.all() if m.event_id))

    def timeline(self):
        """Everything dated about this organisation, newest first.

        Reads the related records through `.all()`, so a view that prefetched them (see
        `partners.views.OrganisationDetailView`) builds the timeline without further queries.
        """
        entries = []
        for partnership in self.partnerships.all():
            if partnership.start_date:
                entries.append(
                    TimelineEntry(
                        partnership.start_date,
                        partnership.start_display,
                        _("Partnership started"),
                        partnership.title,
                    )
                )
            if partnership.end_date:
                entries.append(
                    TimelineEntry(
                        partnership.end_date,
                        partnership.end_display,
                        _("Partnership ended"),
                        partnership.title,
                    )
                )
        for link in self.network_links.all():
            if link.start_date:
                entries.append(
                    TimelineEntry(
                        link.start_date,
                        link.start_display,
                        _("Joined a network"),
                        str(link.network),
                        link.network.get_absolute_url(),
                    )
                )
        for meeting in self.meetings.all():
            entries.append(
                TimelineEntry(
                    meeting.date,
                    meeting.date_display,
                    _("Meeting"),
                    " — ".join(str(part) for part in (meeting.event, meeting.topic) if part),
                    meeting.get_absolute_url(),
                )
            )
        for meeting in self.accompanied_meetings.all():
            entries.append(
                TimelineEntry(
                    meeting.date,
                    meeting.date_display,
                    _("Accompanied by Genopole to a meeting"),
                    str(meeting.organisation),
                    meeting.get_absolute_url(),
                )
            )
        for role in self.consortium_roles.all():
            project = role.project
            if project.start_date:
                entries.append(
                    TimelineEntry(
                        project.start_date,
                        project.start_display,
                        _("Project started"),
                        f"{project} ({role.get_role_display()})",
                        project.get_absolute_url(),
                    )
                )
            if project.end_date:
                entries.append(
                    TimelineEntry(
                        project.end_date,
                        project.end_display,
                        _("Project ended"),
                        str(project),
                        project.get_absolute_url(),
                    )
                )
        for what, participations in (
            (_("At an event alongside Genopole"), self.shared_participations.all()),
            (_("Accompanied by Genopole to an event"), self.accompanied_participations.all()),
        ):
            for participation in participations:
                event = participation.event
                entries.append(
                    TimelineEntry(
                        event.start_date,
                        event.start_display,
                        what,
                        str(event),
                        event.get_absolute_url(),
                    )
                )
        return sorted(entries, key=lambda entry: entry.date, reverse=True)

    def clean(self):
        super().clean()
        clash = (
            OrganisationAlias.objects.exclude(organisation_id=self.pk)
            .filter(name__folded=fold(self.name))
            .select_related("organisation")
            .first()
        )
        if clash:
            raise ValidationError(
                {
                    "name": _("“%(name)s” is already an alias of %(organisation)s.")
                    % {"name": self.name, "organisation": clash.organisation}
                }
            )


class OrganisationAlias(Alias):
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords()
    objects = NaturalKeyManager("name")

    class Meta(Alias.Meta):
        verbose_name = _("organisation alias")
        verbose_name_plural = _("organisation aliases")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_alias_unique_ci",
                violation_error_message=_("This alias is already used."),
            ),
        ]

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["partners.organisation"]

    def clean(self):
        super().clean()
        owner = (
            Organisation.objects.filter(name__folded=fold(self.name))
            .exclude(pk=self.organisation_id)
            .first()
        )
        if owner:
            raise ValidationError(
                {
                    "name": _("“%(name)s” is the name of %(owner)s.")
                    % {"name": self.name, "owner": owner}
                }
            )


class Membership(Sourced, Period):
    """An organisation's place in a network or alliance (EUGLOH's universities, ScanBalt)."""

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        FOUNDING_MEMBER = "founding_member", _("Founding member")
        COORDINATOR = "coordinator", _("Coordinator")
        ASSOCIATE = "associate", _("Associate partner")

    network = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="member_links",
        verbose_name=_("network"),
    )
    member = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="network_links",
        verbose_name=_("member"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role, default=Role.MEMBER)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyManager("network__name", "member__name")

    class Meta(Period.Meta):
        ordering = ["network__name", "member__name"]
        verbose_name = _("network membership")
        verbose_name_plural = _("network memberships")
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["network", "member"], name="membership_unique_member_per_network"
            ),
            models.CheckConstraint(
                condition=~Q(network=F("member")),
                name="membership_not_own_network",
                violation_error_message=_("An organisation cannot be a member of itself."),
            ),
        ]

    def __str__(self):
        return f"{self.member} — {self.get_role_display()}, {self.network}"

    def natural_key(self):
        return self.network.natural_key() + self.member.natural_key()

    natural_key.dependencies = ["partners.organisation"]


class PersonQuerySet(SearchQuerySet):
    search_fields = (
        "first_name",
        "last_name",
        "role",
        "organisation__name",
        "organisation__short_name",
    )

    def get_by_natural_key(self, first_name, last_name, organisation):
        return self.get(first_name=first_name, last_name=last_name, organisation__name=organisation)


class Person(Sourced):
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("export_person", _("Can export people"))]
        constraints = [
            models.UniqueConstraint(
                Lower("first_name"),
                Lower("last_name"),
                "organisation",
                name="person_unique_name_per_organisation_ci",
                violation_error_message=_("This person is already recorded at this organisation."),
            ),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("partners:person-detail", args=[self.pk])

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def natural_key(self):
        return (self.first_name, self.last_name, *self.organisation.natural_key())

    natural_key.dependencies = ["partners.organisation"]


class PartnershipQuerySet(SearchQuerySet):
    search_fields = (
        "title",
        "organisation__name",
        "organisation__short_name",
        "organisation__aliases__name",
    )

    def active(self):
        return self.filter(status=Partnership.Status.ACTIVE)

    def get_by_natural_key(self, organisation, type, title):
        return self.get(organisation__name=organisation, type=type, title=title)


class Partnership(Sourced, Period):
    """A relationship between Genopole and one organisation, with its state and dates."""

    class Type(models.TextChoices):
        SOFT_LANDING = "soft_landing", _("Soft-landing agreement")
        COOPERATION = "cooperation", _("Cooperation agreement")
        MEMBERSHIP = "membership", _("Membership")
        ASSOCIATE_PARTNERSHIP = "associate_partnership", _("Associate partnership")
        GOVERNANCE_SEAT = "governance_seat", _("Governance seat")
        WORKING_GROUP = "working_group", _("Working-group role")
        CERTIFICATION = "certification", _("Certification")
        PROGRAMME_PARTICIPATION = "programme_participation", _("Programme participation")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        PROSPECT = "prospect", _("Prospect")
        IN_DISCUSSION = "in_discussion", _("In discussion")
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="partnerships",
        verbose_name=_("organisation"),
    )
    type = models.CharField(_("type"), max_length=30, choices=Type)
    title = models.CharField(
        _("title"),
        max_length=200,
        help_text=_("What the partnership is, e.g. “Administrative board seat”."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords()
    objects = PartnershipQuerySet.as_manager()

    class Meta(Period.Meta):
        ordering = ["organisation__name", "start_date"]
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        permissions = [("export_partnership", _("Can export partnerships"))]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                fields=["organisation", "type", "title"],
                name="partnership_unique_title_per_organisation_and_type",
            ),
        ]
        indexes = [
            models.Index(fields=["type"], name="partnership_type_idx"),
            models.Index(fields=["status"], name="partnership_status_idx"),
            models.Index(fields=["start_date"], name="partnership_start_idx"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.title}"

    def get_absolute_url(self):
        # A partnership has no page of its own: it is shown on its organisation's.
        return self.organisation.get_absolute_url() + "#partnerships-heading"

    def natural_key(self):
        return (*self.organisation.natural_key(), self.type, self.title)

    natural_key.dependencies = ["partners.organisation"]


class OrganisationFigure(ReportedFigure):
    """A count about an organisation itself: "more than 40 bioclusters" in CEBR."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="figures",
        verbose_name=_("organisation"),
    )

    history = HistoricalRecords()
    objects = NaturalKeyManager("organisation__name", "metric", "label")

    class Meta(ReportedFigure.Meta):
        verbose_name = _("organisation figure")
        verbose_name_plural = _("organisation figures")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "metric", "label"],
                name="organisation_figure_unique",
            ),
        ]

    def natural_key(self):
        return (*self.organisation.natural_key(), self.metric, self.label)

    natural_key.dependencies = ["partners.organisation"]
