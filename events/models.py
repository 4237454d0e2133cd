import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from core.links import record_url
from core.models import (
    Alias,
    DatePrecision,
    NaturalKeyManager,
    Period,
    ReportedFigure,
    Sourced,
    format_partial_date,
)
from core.search import NATURAL_COLLATION, folded_copy
from events.querysets import (
    EventFigureQuerySet,
    EventQuerySet,
    ImportRecordQuerySet,
    MeetingQuerySet,
)
from partners.models import Organisation, Person


class EventSeries(Sourced):
    """Events that recur: BIO 2020, 2021 and 2022 are editions of one series."""

    name = models.CharField(_("name"), max_length=200, db_collation=NATURAL_COLLATION)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_series",
        verbose_name=_("organiser"),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)

    history = HistoricalRecords()
    objects = NaturalKeyManager("name")

    class Meta:
        ordering = ["name"]
        verbose_name = _("event series")
        verbose_name_plural = _("event series")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="event_series_name_unique_ci",
                violation_error_message=_("An event series with this name already exists."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.name,)


class Event(Sourced, Period):
    class Kind(models.TextChoices):
        CONVENTION = "convention", _("Convention")
        CONFERENCE = "conference", _("Conference")
        TRADE_MISSION = "trade_mission", _("Trade mission")
        DELEGATION_VISIT = "delegation_visit", _("Delegation visit")
        TRAINING = "training", _("Training")
        NETWORKING = "networking", _("Networking meeting")
        CEREMONY = "ceremony", _("Ceremony")
        OTHER = "other", _("Other")

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        VIRTUAL = "virtual", _("Virtual")
        HYBRID = "hybrid", _("Hybrid")

    name = models.CharField(_("name"), max_length=200, db_collation=NATURAL_COLLATION)
    series = models.ForeignKey(
        EventSeries,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("series"),
    )
    edition = models.CharField(
        _("edition"), max_length=50, blank=True, help_text=_("Usually the year: “2022”.")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind)
    format = models.CharField(
        _("format"),
        max_length=10,
        choices=Format,
        blank=True,
        help_text=_("Leave blank when the source does not say."),
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = CountryField(_("country"), blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hosted_events",
        verbose_name=_("host"),
        help_text=_("The organisation whose premises it took place in, e.g. Tartu BT Park."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # Stored folded copies of the searched columns (core.search.folded_copy).
    name_folded = folded_copy("name")
    city_folded = folded_copy("city")

    # The folded copies follow their columns: a version need not keep them.
    history = HistoricalRecords(excluded_fields=["name_folded", "city_folded"])
    objects = EventQuerySet.as_manager()

    class Meta(Period.Meta):
        ordering = ["-start_date", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        permissions = [("export_event", _("Can export events"))]
        constraints = [
            *Period.Meta.constraints,
            models.UniqueConstraint(
                Lower("name"),
                name="event_name_unique_ci",
                violation_error_message=_("An event with this name already exists."),
            ),
            models.UniqueConstraint(
                fields=["series", "edition"],
                condition=~Q(edition=""),
                name="event_unique_edition_per_series",
                violation_error_message=_("This series already has this edition."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=False),
                name="event_has_start_date",
                violation_error_message=_("An event needs at least the year it took place."),
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="event_start_idx"),
            models.Index(fields=["kind"], name="event_kind_idx"),
            models.Index(fields=["country"], name="event_country_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_url("events:event-detail", self.pk)

    def natural_key(self):
        return (self.name,)


class EventAlias(Alias):
    """The short names staff use: "BIO 2022", "BIO-Europe 2022", "Biotech Showcase 2020"."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("event")
    )

    history = HistoricalRecords(excluded_fields=["name_folded"])
    objects = NaturalKeyManager("name")

    class Meta(Alias.Meta):
        verbose_name = _("event alias")
        verbose_name_plural = _("event aliases")
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="event_alias_unique_ci",
                violation_error_message=_("This alias is already used."),
            ),
        ]

    def natural_key(self):
        return (self.name,)

    natural_key.dependencies = ["events.event"]


class Participation(Sourced):
    """How Genopole took part in an event, and with whom."""

    class Role(models.TextChoices):
        ATTENDEE = "attendee", _("Attendee")
        EXHIBITOR = "exhibitor", _("Exhibitor")
        SPONSOR = "sponsor", _("Sponsor")
        SPEAKER = "speaker", _("Speaker")
        ORGANISER = "organiser", _("Organiser")
        HOST = "host", _("Host")
        DELEGATION = "delegation", _("Delegation member")

    event = models.OneToOneField(
        Event, on_delete=models.CASCADE, related_name="participation", verbose_name=_("event")
    )
    role = models.CharField(_("Genopole's role"), max_length=20, choices=Role)
    co_participants = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="shared_participations",
        verbose_name=_("co-exhibitors and co-organisers"),
        help_text=_("Organisations Genopole shared a stand, pavilion or organisation with."),
    )
    accompanied_companies = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="accompanied_participations",
        verbose_name=_("Genopole companies accompanied"),
    )
    notes = models.TextField(_("notes"), blank=True)

    history = HistoricalRecords(m2m_fields=["co_participants", "accompanied_companies"])
    objects = NaturalKeyManager("event__name")

    class Meta:
        ordering = ["-event__start_date"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        indexes = [models.Index(fields=["role"], name="participation_role_idx")]

    def __str__(self):
        return f"{self.get_role_display()} — {self.event}"

    def natural_key(self):
        return self.event.natural_key()

    natural_key.dependencies = ["events.event"]


class EventFigure(ReportedFigure):
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="figures", verbose_name=_("event")
    )

    history = HistoricalRecords()
    objects = EventFigureQuerySet.as_manager()

    class Meta(ReportedFigure.Meta):
        verbose_name = _("event figure")
        verbose_name_plural = _("event figures")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "metric", "label"], name="event_figure_unique"
            ),
        ]

    def natural_key(self):
        return (*self.event.natural_key(), self.metric, self.label)

    natural_key.dependencies = ["events.event"]


class Meeting(Sourced):
    """A meeting with one counterpart organisation, at an event or on its own.

    One organisation on one day at one event is one meeting: that is what makes importing
    the same log twice, or two overlapping logs, add each meeting once.
    """

    # A meeting's follow-up state, as its tasks give it (`with_follow_up_state()`): the
    # meeting itself holds no follow-up since migration 0013.
    class FollowUp(models.TextChoices):
        NONE = "none", _("None needed")
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")

    date = models.DateField(_("date"))
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision, default=DatePrecision.DAY
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("event"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="meetings",
        verbose_name=_("organisation met"),
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="meetings", verbose_name=_("people met")
    )
    accompanied_companies = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="accompanied_meetings",
        verbose_name=_("Genopole companies accompanied"),
    )
    topic = models.CharField(_("topic"), max_length=300, blank=True, db_collation=NATURAL_COLLATION)
    notes = models.TextField(_("notes"), blank=True)
    import_record = models.ForeignKey(
        "ImportRecord",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="meetings",
        verbose_name=_("imported by"),
        help_text=_("The meeting-log import that created this meeting, if any."),
    )
    # Stored folded copy of the searched topic (core.search.folded_copy).
    topic_folded = folded_copy("topic")

    history = HistoricalRecords(
        m2m_fields=["people", "accompanied_companies"], excluded_fields=["topic_folded"]
    )
    objects = MeetingQuerySet.as_manager()

    class Meta:
        # Newest first, as the (date, id) index reads backwards: ordering by the
        # organisation's name within a day made every list sort a million rows.
        ordering = ["-date", "-id"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        permissions = [
            ("export_meeting", _("Can export meetings")),
            ("import_meeting", _("Can import meeting logs")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "event", "date"],
                condition=Q(event__isnull=False),
                name="meeting_unique_per_organisation_event_day",
                violation_error_message=_(
                    "A meeting with this organisation on this day at this event already exists."
                ),
            ),
            models.UniqueConstraint(
                fields=["organisation", "date"],
                condition=Q(event__isnull=True),
                name="meeting_unique_per_organisation_day_outside_events",
                violation_error_message=_(
                    "A meeting with this organisation on this day already exists."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["date", "id"], name="meeting_date_id_idx"),
            # An organisation's or an event's meetings, newest first (their pages, the
            # list's filters, the import's look-up by organisation and day).
            models.Index(
                fields=["organisation", "date", "id"], name="meeting_organisation_date_idx"
            ),
            # With the organisations (PostgreSQL), so that counting the organisations met at
            # an event reads the index alone: the largest event's 7,000 meetings lie on as
            # many table pages (20-120 ms, 2 ms from the index).
            models.Index(
                fields=["event", "date", "id"], include=["organisation"],
                name="meeting_event_date_idx",
            ),  # fmt: skip
        ]

    def __str__(self):
        where = f" — {self.event}" if self.event_id else ""
        return f"{self.organisation} ({self.date_display}){where}"

    def get_absolute_url(self):
        return record_url("events:meeting-detail", self.pk)

    @property
    def follow_up_state_label(self):
        """The follow-up column of the meetings list (from `with_follow_up_state()`)."""
        return self.FollowUp(self.follow_up_state).label

    def possibly_between(self, start, end):
        """True when a month- or year-precise date overlaps the range without lying
        wholly inside it: "June 2022" is only *possibly* on 15 June 2022."""
        if self.date_precision == DatePrecision.DAY or not (start or end):
            return False
        if self.date_precision == DatePrecision.MONTH:
            last_day = (self.date.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        else:
            last_day = self.date.replace(year=self.date.year + 1, month=1, day=1)
        last_day -= datetime.timedelta(days=1)
        return bool((start and self.date < start) or (end and last_day > end))

    @property
    def date_display(self):
        return format_partial_date(self.date, self.date_precision)

    def natural_key(self):
        event = self.event.natural_key() if self.event_id else ()
        return (self.date.isoformat(), *self.organisation.natural_key(), *event)

    natural_key.dependencies = ["events.event", "partners.organisation"]

    def save(self, *args, **kwargs):
        # A meeting restored from history after its import was undone is no longer that
        # import's: the undone import must neither count it nor list it as its own.
        if (
            self.import_record_id
            and ImportRecord.objects.filter(
                pk=self.import_record_id, undone_at__isnull=False
            ).exists()
        ):
            self.import_record = None
        super().save(*args, **kwargs)


class ImportRecord(models.Model):
    """One meeting-log import that wrote to the database: who, when, which file, what it did.

    The meetings it created point back to it (`meetings`), and so do the contacts it had to
    create (`new_people`), so the whole import can be listed and undone at once. Dry runs and
    files with errors write nothing, so they leave no record.
    """

    class Source(models.TextChoices):
        ADMIN = "admin", _("Admin upload")
        COMMAND = "command", _("Command line")
        API = "api", _("API")

    created_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_imports",
        verbose_name=_("imported by"),
        help_text=_("Empty for a command-line import run without --user."),
    )
    source = models.CharField(_("imported through"), max_length=10, choices=Source)
    file_name = models.CharField(_("file name"), max_length=255)
    checksum = models.CharField(
        _("SHA-256 checksum"), max_length=64, help_text=_("Of the file exactly as uploaded.")
    )
    file_size = models.PositiveBigIntegerField(_("file size (bytes)"))
    default_event = models.ForeignKey(
        Event,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("event for lines without one"),
    )
    lines = models.PositiveIntegerField(_("meeting lines read"), default=0)
    created = models.PositiveIntegerField(_("new meetings"), default=0)
    completed = models.PositiveIntegerField(_("meetings completed"), default=0)
    unchanged = models.PositiveIntegerField(_("meetings already in the CRM"), default=0)
    skipped = models.PositiveIntegerField(
        _("lines skipped"),
        default=0,
        help_text=_("Repeats of an earlier line, and meetings not held."),
    )
    new_contacts = models.PositiveIntegerField(_("new contacts"), default=0)
    new_people = models.ManyToManyField(
        Person,
        blank=True,
        related_name="created_by_imports",
        verbose_name=_("contacts created"),
        help_text=_("Contacts the file named that the CRM did not know; created by the import."),
    )
    # What the import changed in meetings it did not create, so that undo can take it back:
    # [{"row": 12, "file_line": 12, "meeting": 345, "fields": ["date", "topic"], "people": [67]},
    # …] (rows as the spreadsheet shows them; older records say "line"); the
    # meetings' earlier values are in their history.
    completions = models.JSONField(
        _("meetings completed"), default=list, blank=True, editable=False
    )
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("undone by"),
    )

    objects = ImportRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("meeting-log import")
        verbose_name_plural = _("meeting-log imports")
        permissions = [("undo_importrecord", _("Can undo a meeting-log import"))]
        indexes = [
            # "This file was already imported on …": looked up on every import.
            models.Index(fields=["checksum"], name="import_record_checksum_idx"),
        ]

    def __str__(self):
        return _("Import #%(number)s: %(file)s") % {"number": self.pk, "file": self.file_name}

    @property
    def is_undone(self):
        return self.undone_at is not None


class ImportPreviewQuerySet(models.QuerySet):
    def store(self, name: str, data: bytes):
        """Keep an upload for its confirmation, dropping expired ones, and the oldest while
        the total would pass IMPORT_PREVIEW_MAX_TOTAL."""
        lifetime = datetime.timedelta(seconds=settings.IMPORT_PREVIEW_LIFETIME)
        self.filter(created_at__lt=timezone.now() - lifetime).delete()
        room = settings.IMPORT_PREVIEW_MAX_TOTAL - len(data)
        kept = 0
        for pk, size in self.order_by("-created_at", "-pk").values_list("pk", "size"):
            kept += size
            if kept > room:
                self.filter(pk__lte=pk).delete()
                break
        return self.create(name=name, data=data, size=len(data))

    def claim(self, name: str) -> bytes | None:
        """The upload's bytes, removed so that no one can confirm it again; None if it was
        already confirmed (a second click, a replayed form) or has expired."""
        lifetime = datetime.timedelta(seconds=settings.IMPORT_PREVIEW_LIFETIME)
        live = self.filter(name=name, created_at__gte=timezone.now() - lifetime)
        data = live.values_list("data", flat=True).first()
        # Only one of two simultaneous confirmations deletes the row.
        if data is None or not self.filter(name=name).delete()[0]:
            return None
        return bytes(data)


class ImportPreview(models.Model):
    """An uploaded meeting log waiting for its confirmation, in the database rather than the
    temporary folder, so that it expires and the total kept is bounded."""

    name = models.CharField(max_length=64, unique=True)
    data = models.BinaryField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ImportPreviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("import preview")

    def __str__(self):
        return self.name


class ImportJob(models.Model):
    """A confirmed meeting-log import too large to run during the request: its file, kept in
    the database (app servers share no disk), waits for a task worker
    (events/importing/tasks.py), which records how far it got for the progress page."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    created_at = models.DateTimeField(auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="meeting_import_jobs"
    )
    source = models.CharField(max_length=10, choices=ImportRecord.Source)
    file_name = models.CharField(max_length=255)
    data = models.BinaryField(help_text=_("The file; emptied once imported."))
    checksum = models.CharField(max_length=64)
    default_event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    date_order = models.CharField(max_length=3, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    status = models.CharField(max_length=10, choices=Status, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True)
    lines_total = models.PositiveIntegerField(default=0)
    lines_done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    record = models.ForeignKey(
        ImportRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("background import")

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("events:import-progress", args=[self.pk])

    @property
    def finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def may_be_seen_by(self, user):
        """Only the person who imported and administrators follow an import."""
        from core.roles import ADMINISTRATOR

        return (
            user.pk == self.user_id
            or user.is_superuser
            or user.groups.filter(name=ADMINISTRATOR).exists()
        )


# Follow-ups are events models kept in their own sub-package (events/follow_ups/); importing
# it here registers them with the app. Last, because they point at the meetings above.
from events.follow_ups import models as follow_up_models  # noqa: E402, F401
