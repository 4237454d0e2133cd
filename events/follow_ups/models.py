"""Follow-ups: what someone has to do after a meeting (or about an organisation or a
partnership), by when, and whether it is done.

A meeting's follow-ups are these tasks and nothing else: migration events.0009 copied the
meetings' old follow-up columns into tasks, and events.0013 adopted what was left in them and
removed them. The meeting-log import and the report fixtures write tasks.
"""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import ChoiceLabels, among
from events.models import Meeting
from partners.models import Organisation, Partnership

# What a follow-up may be about: one of them (a database constraint).
SUBJECTS = ("meeting", "organisation", "partnership")
# Open ones before done ones: an expression rather than the codes' alphabetical order.
OPEN_FIRST = Case(When(state="open", then=Value(0)), default=Value(1))
URGENCY_ORDER = (OPEN_FIRST, models.F("due_date").asc(nulls_last=True), "pk")


class FollowUpQuerySet(models.QuerySet):
    def open(self):
        return self.filter(state=FollowUp.State.OPEN)

    def owned_by(self, user):
        return self.filter(owner=user)

    def overdue(self, today=None):
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def due_by(self, day):
        """Open, and due on or before `day` (overdue included)."""
        return self.open().filter(due_date__lte=day)

    def about_organisation(self, organisation):
        """Attached to the organisation itself, to one of its meetings or partnerships."""
        # By the keys of its meetings and partnerships, not through joins: an OR across
        # joined tables read every meeting (0.67 s at a million), where these use indexes.
        return self.filter(
            Q(organisation=organisation)
            | among("meeting", Meeting.objects.filter(organisation=organisation).values("pk"))
            | among(
                "partnership", Partnership.objects.filter(organisation=organisation).values("pk")
            )
        )

    def at_event(self, event):
        # By its meetings' keys, not a join: joined, PostgreSQL walked the whole list in
        # order (follow_up_by_urgency) looking for the event's (1.1 s for the largest).
        return self.filter(among("meeting", Meeting.objects.filter(event=event).values("pk")))

    def open_first(self):
        """The open ones, then the others, each in the order they were made: a meeting's
        follow-up is what the first of its tasks says (MeetingQuerySet.with_follow_up_state)."""
        return self.order_by(OPEN_FIRST, "pk")

    def by_urgency(self):
        """What is still to be done first, by due date, so that the overdue lead and those
        without a due date close it; then the done ones, by due date too.

        The order of the index follow_up_by_urgency: the list of every state no longer sorts
        its 250,000 rows on each request (100 ms at 100x). Among open ones it is the old
        "overdue first, then by due date", since an overdue one is due before the others.
        """
        return self.order_by(*URGENCY_ORDER)

    def get_by_natural_key(self, what, kind, *subject_key):
        """The first task saying `what` about that meeting, organisation or partnership:
        nothing stops two tasks from saying the same, and reloading the fixtures must find
        theirs rather than add one."""
        if kind not in SUBJECTS:
            raise self.model.DoesNotExist(f"a follow-up is not about a {kind!r}")
        subjects = self.model._meta.get_field(kind).related_model._default_manager
        task = (
            self.filter(what=what, **{kind: subjects.get_by_natural_key(*subject_key)})
            .order_by("pk")
            .first()
        )
        if task is None:
            raise self.model.DoesNotExist(f"no follow-up {what!r} about this {kind}")
        return task

    def with_subjects(self):
        return self.select_related(
            "owner",
            "closed_by",
            "organisation",
            "meeting__organisation",
            "meeting__event",
            "partnership__organisation",
        )


class FollowUp(ChoiceLabels, models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    what = models.TextField(_("what is to be done"))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("owner"),
    )
    # What it is about: exactly one of the three (a database constraint).
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("meeting"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("organisation"),
    )
    partnership = models.ForeignKey(
        Partnership,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("partnership"),
    )
    state = models.CharField(_("state"), max_length=4, choices=State, default=State.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="closed_follow_ups",
        verbose_name=_("closed by"),
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    history = HistoricalRecords()
    objects = FollowUpQuerySet.as_manager()

    class Meta:
        ordering = [models.F("due_date").asc(nulls_last=True), "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(meeting__isnull=False, organisation__isnull=True, partnership__isnull=True)
                    | Q(meeting__isnull=True, organisation__isnull=False, partnership__isnull=True)
                    | Q(meeting__isnull=True, organisation__isnull=True, partnership__isnull=False)
                ),
                name="follow_up_about_exactly_one_thing",
                violation_error_message=_(
                    "A follow-up is about exactly one meeting, organisation or partnership."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(state="open", closed_at__isnull=True, closed_by__isnull=True)
                    | Q(state="done", closed_at__isnull=False)
                ),
                name="follow_up_closed_when_done",
                violation_error_message=_("A follow-up is closed (when, by whom) once done."),
            ),
        ]
        indexes = [
            # The list and the reminders read open follow-ups by owner and due date.
            models.Index(fields=["state", "owner", "due_date"], name="follow_up_open_by_owner"),
            # The list's order (by_urgency), read from the index rather than sorted. PostgreSQL's
            # ascending index already puts empty due dates last, as the order asks.
            models.Index(
                OPEN_FIRST, models.F("due_date"), models.F("id"), name="follow_up_by_urgency"
            ),
        ]

    def __str__(self):
        return f"{self.subject}: {self.what[:60]}"

    def get_absolute_url(self):
        return reverse("events:follow-up-list") + f"#follow-up-{self.pk}"

    def natural_key(self):
        """What it says and what it is about (the report fixtures name their tasks so)."""
        kind = next(name for name in SUBJECTS if getattr(self, f"{name}_id"))
        return (self.what, kind, *self.subject.natural_key())

    natural_key.dependencies = [
        "events.meeting",
        "partners.organisation",
        "partners.partnership",
    ]

    @property
    def subject(self):
        return self.meeting or self.organisation or self.partnership

    @property
    def subject_organisation(self):
        if self.meeting_id:
            return self.meeting.organisation
        if self.partnership_id:
            return self.partnership.organisation
        return self.organisation

    @property
    def is_overdue(self):
        return bool(
            self.state == self.State.OPEN and self.due_date and self.due_date < timezone.localdate()
        )

    @staticmethod
    def what_of(text, topic):
        """What a meeting log's follow-up task says: its text, else the meeting's topic."""
        return text.strip() or topic.strip() or "Follow up"

    @classmethod
    def from_meeting_log(cls, *, text, topic, pending, **fields):
        """The task a meeting log's follow-up becomes (`what_of()`): open while pending,
        else done."""
        return cls(
            what=cls.what_of(text, topic),
            state=cls.State.OPEN if pending else cls.State.DONE,
            closed_at=None if pending else timezone.now(),
            **fields,
        )

    def mark_done(self, user):
        self.state, self.closed_by, self.closed_at = self.State.DONE, user, timezone.now()
        self.save(update_fields=["state", "closed_by", "closed_at"])

    def reopen(self):
        self.state, self.closed_by, self.closed_at = self.State.OPEN, None, None
        self.save(update_fields=["state", "closed_by", "closed_at"])


class Subscriber(models.Model):
    """A user's follow-up settings: the language of their reminders and their calendar link."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="follow_up_settings",
        verbose_name=_("user"),
    )
    language = models.CharField(
        _("language of reminders"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )
    # The secret in the calendar feed's URL: calendar apps cannot log in. Empty: no feed.
    calendar_token = models.CharField(
        _("calendar token"), max_length=64, blank=True, default="", editable=False
    )
    last_reminded_on = models.DateField(_("last reminded on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("follow-up settings")
        verbose_name_plural = _("follow-up settings")
        constraints = [
            models.UniqueConstraint(
                fields=["calendar_token"],
                condition=~Q(calendar_token=""),
                name="subscriber_calendar_token_unique",
            ),
        ]

    def __str__(self):
        return str(self.user)

    def new_calendar_token(self):
        self.calendar_token = secrets.token_urlsafe(32)
        self.save(update_fields=["calendar_token"])

    def revoke_calendar_token(self):
        self.calendar_token = ""
        self.save(update_fields=["calendar_token"])

    def was_reminded_on(self, day: datetime.date) -> bool:
        return self.last_reminded_on == day
