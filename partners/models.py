from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, ProtectedError, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.links import record_url
from core.models import (
    Alias,
    NaturalKeyManager,
    Period,
    ReportedFigure,
    Sourced,
    format_partial_date,
)
from core.search import NATURAL_COLLATION, folded_copy, search_key
from partners.querysets import OrganisationQuerySet, PartnershipQuerySet, PersonQuerySet
from partners.timeline import organisation_timeline


class Report(models.Model):
    """One of Genopole's annual activity reports: where a fixture record comes from."""

    file_name = models.CharField(_("file name"), max_length=100, unique=True)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("How people refer to it: “Activity report — Europe & International”."),
    )
    year = models.PositiveSmallIntegerField(_("report year"))
    language = models.CharField(_("language"), max_length=2)
    covers = models.TextField(_("what it covers"), blank=True)

    objects = NaturalKeyManager("file_name")

    class Meta:
        ordering = ["year", "file_name"]
        verbose_name = _("source report")
        verbose_name_plural = _("source reports")

    def __str__(self):
        # People know a report by its title and year; the file name is a storage detail.
        title = self.title or _("Activity report")
        return f"{title} ({self.year})"

    def natural_key(self):
        return (self.file_name,)


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

    name = models.CharField(_("name"), max_length=200, db_collation=NATURAL_COLLATION)
    short_name = models.CharField(
        _("short name"), max_length=50, blank=True, help_text=_("Acronym or usual short form.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True, db_collation=NATURAL_COLLATION)
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
    # Stored folded copies of the searched columns (core.search.folded_copy).
    name_folded = folded_copy("name")
    short_name_folded = folded_copy("short_name")

    # The folded copies follow their columns: a version need not keep them.
    history = HistoricalRecords(excluded_fields=["name_folded", "short_name_folded"])
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
            # Lists and the admin sort by name, in the natural collation, then by id.
            models.Index(fields=["name", "id"], name="organisation_name_id_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("partners:organisation-detail", self.pk)

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

    def shown(self, relation):
        """The related records its page shows: the latest few that `for_profile()` read
        (`latest_<relation>`), or, without it, them all."""
        latest = getattr(self, f"latest_{relation}", None)
        return latest if latest is not None else getattr(self, relation).all()

    def events_met(self):
        """The events at which we met this organisation, most recent first."""
        return list(dict.fromkeys(m.event for m in self.shown("meetings") if m.event_id))

    def events_involved(self):
        """(event, how) for the events it organised, hosted or met us at, most recent first."""
        involvement = {}
        for how, events in (
            (_("organiser"), self.shown("organised_events")),
            (_("host"), self.shown("hosted_events")),
            (_("met there"), self.events_met()),
        ):
            for event in events:
                involvement.setdefault(event, []).append(str(how))
        by_date = sorted(involvement.items(), key=lambda item: item[0].start_date, reverse=True)
        return [(event, ", ".join(hows)) for event, hows in by_date]

    def timeline(self, may_view=None):
        return organisation_timeline(self, may_view)

    def clean(self):
        super().clean()
        clash = (
            OrganisationAlias.objects.exclude(organisation_id=self.pk)
            .filter(name_folded=search_key(self.name))
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

    history = HistoricalRecords(excluded_fields=["name_folded"])
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
            Organisation.objects.filter(name_folded=search_key(self.name))
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


class Person(Sourced):
    first_name = models.CharField(_("first name"), max_length=100, db_collation=NATURAL_COLLATION)
    last_name = models.CharField(_("last name"), max_length=100, db_collation=NATURAL_COLLATION)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=200, blank=True, db_collation=NATURAL_COLLATION)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # Stored folded copies of the searched columns (core.search.folded_copy).
    first_name_folded = folded_copy("first_name")
    last_name_folded = folded_copy("last_name")
    role_folded = folded_copy("role")

    history = HistoricalRecords(
        excluded_fields=["first_name_folded", "last_name_folded", "role_folded"]
    )
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
        # The people list's order, in the natural collation.
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="person_name_idx"),
        ]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return record_url("partners:person-detail", self.pk)

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def natural_key(self):
        return (self.first_name, self.last_name, *self.organisation.natural_key())

    natural_key.dependencies = ["partners.organisation"]

    def delete(self, *args, **kwargs):
        # Deleting would silently take the person out of the meetings they attended (a
        # many-to-many link cannot PROTECT): refuse, as for an organisation with meetings.
        meetings = list(self.meetings.all())
        if meetings:
            raise ProtectedError(
                _("%(person)s attended meetings; remove them from those first.")
                % {"person": self.full_name},
                set(meetings),
            )
        return super().delete(*args, **kwargs)


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
        db_collation=NATURAL_COLLATION,
        help_text=_("What the partnership is, e.g. “Administrative board seat”."),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status)
    notes = models.TextField(_("notes"), blank=True)
    # Stored folded copies of the searched columns (core.search.folded_copy).
    title_folded = folded_copy("title")

    history = HistoricalRecords(excluded_fields=["title_folded"])
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


class DistinctPair(models.Model):
    """Staff looked at two look-alike records and said they are different ("not a
    duplicate"), so the pair is not proposed again."""

    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.first} ≠ {self.second}"


class DistinctOrganisations(DistinctPair):
    first = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="distinct_as_first"
    )
    second = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="distinct_as_second"
    )

    class Meta:
        verbose_name = _("organisations that are not duplicates")
        verbose_name_plural = _("organisations that are not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_organisations_once"),
            models.CheckConstraint(
                condition=~Q(first=F("second")), name="distinct_organisations_two_records"
            ),
        ]


class DistinctPeople(DistinctPair):
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="distinct_as_first")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="distinct_as_second")

    class Meta:
        verbose_name = _("people who are not duplicates")
        verbose_name_plural = _("people who are not duplicates")
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="distinct_people_once"),
            models.CheckConstraint(
                condition=~Q(first=F("second")), name="distinct_people_two_records"
            ),
        ]
