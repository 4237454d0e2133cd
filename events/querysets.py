"""The querysets of events' models: what a page, the admin or the importer asks of them."""

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from core.models import CountryQuerySetMixin, DatePrecision, among, count_of, related_manager
from core.search import SearchQuerySet


class EventQuerySet(CountryQuerySetMixin, SearchQuerySet):
    search_fields = ("name", "aliases__name", "series__name", "series__short_name", "city")
    name_fields = ("name", "aliases__name")
    country_fields = ("country",)

    def in_year(self, year):
        return self.filter(start_date__year=year)

    def years(self):
        """The years events took place in, newest first."""
        return [day.year for day in self.dates("start_date", "year", order="DESC")]

    def with_counts(self):
        return self.annotate(
            meeting_count=count_of(related_manager(self.model, "meetings").all(), "event")
        )

    def attended(self, attended=True):
        """Events Genopole took part in (those with a recorded participation)."""
        return self.filter(participation__isnull=not attended)

    def per_year(self):
        """One row per year: events attended, by format, and the countries they were in."""
        formats = {
            f"{code}_count": Count("pk", filter=Q(format=code)) for code in self.model.Format.values
        }
        return (
            self.attended()
            .annotate(year=ExtractYear("start_date"))
            .order_by("year")
            .values("year")
            .annotate(
                total=Count("pk"),
                unstated_count=Count("pk", filter=Q(format="")),
                country_count=Count("country", distinct=True, filter=~Q(country="")),
                **formats,
            )
        )

    def per_country(self):
        """(country, events) of the events attended, most events first."""
        return (
            self.attended()
            .exclude(country="")
            .order_by()
            .values("country")
            .annotate(total=Count("pk"))
            .order_by("-total", "country")
        )

    def upcoming(self, today):
        return self.filter(start_date__gt=today).order_by("start_date", "name")

    def get_by_natural_key(self, name):
        return self.get(name=name)


class EventFigureQuerySet(models.QuerySet):
    def in_year(self, year):
        return self.filter(event__start_date__year=year)

    def with_logged_meetings(self):
        """Each figure with the number of meetings the CRM logs at its event.

        "About 100 meetings" reported at BIO 2022 and 7 logged are different things: shown
        side by side, never added up.
        """
        event = self.model._meta.get_field("event").related_model
        logged = (
            related_manager(event, "meetings")
            .filter(event=OuterRef("event"))
            .order_by()
            .values("event")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(logged_meetings=Coalesce(Subquery(logged), 0))

    def get_by_natural_key(self, event, metric, label):
        return self.get(event__name=event, metric=metric, label=label)


class MeetingQuerySet(SearchQuerySet):
    search_fields = (
        "topic",
        "organisation__name",
        "organisation__short_name",
        "organisation__aliases__name",
        "event__name",
        "event__aliases__name",
        "people__last_name",
    )

    def overlapping(self, start=None, end=None):
        """Meetings whose date may fall between `start` and `end` (both included, either
        may be None): a meeting known only as "June 2022" overlaps 15–15 June 2022.

        The date of a month- or year-precise meeting is the first day of that month or
        year, so it overlaps when that day is not after `end` and the period has not
        ended before `start`.
        """
        Precision = DatePrecision
        if end:
            self = self.filter(date__lte=end)
        if not start:
            return self
        return self.filter(
            Q(date_precision=Precision.DAY, date__gte=start)
            | Q(date_precision=Precision.MONTH, date__gte=start.replace(day=1))
            | Q(date_precision=Precision.YEAR, date__gte=start.replace(month=1, day=1))
        )

    def _follow_up_tasks(self):
        """The follow-up tasks of the outer query's meeting (events.follow_ups: a model
        defined above this module, reached through the relation)."""
        tasks = self.model._meta.get_field("follow_ups").related_model.objects
        return tasks.filter(meeting=OuterRef("pk"))

    def follow_up_pending(self):
        """With an open follow-up task: what the meetings list's filter and the dashboard's
        panel mean by a pending follow-up."""
        return self.filter(Exists(self._follow_up_tasks().filter(state="open")))

    def in_follow_up_state(self, state):
        """Those whose `follow_up_state` (below) is `state`: filtered by the tasks' index,
        not by the annotation."""
        tasks = self._follow_up_tasks()
        Status = self.model.FollowUp
        if state == Status.PENDING:
            return self.follow_up_pending()
        if state == Status.DONE:
            return self.filter(Exists(tasks), ~Exists(tasks.filter(state="open")))
        return self.filter(~Exists(tasks))

    def with_follow_up_state(self):
        """`follow_up_state` ("pending" while a task is open, "done" when all are, "none"),
        and `follow_up_what`: what the first open task (else the first task) says."""
        Status = self.model.FollowUp
        first = (
            self._follow_up_tasks()
            .annotate(
                meeting_state=Case(
                    When(state="open", then=Value(Status.PENDING.value)),
                    default=Value(Status.DONE.value),
                ),
            )
            .open_first()
        )
        # Both from the first task, open ones first (one index probe per meeting shown): as
        # EXISTS tests, PostgreSQL hashed every task of the table even for a page of 100
        # meetings (0.9 s of the admin's list at a million meetings on a loaded machine).
        return self.annotate(
            follow_up_state=Coalesce(
                Subquery(first.values("meeting_state")[:1]),
                Value(Status.NONE.value),
                output_field=models.CharField(),
            ),
            follow_up_what=Subquery(first.values("what")[:1]),
        )

    def follow_up_states(self, ids):
        """{meeting id: (follow_up_state, follow_up_what)} for the meetings `ids` that have
        tasks, what `with_follow_up_state()` says of them (the others: "none", None), from
        one read of their tasks. For the exports, a chunk of meetings at a time: the
        annotation's subqueries, run for every row, took most of the time of a million-row
        CSV. tests/events/test_follow_up_states.py holds the two to the same answers."""
        tasks = self.model._meta.get_field("follow_ups").related_model.objects
        Status = self.model.FollowUp
        states = {}
        rows = tasks.filter(among("meeting", ids)).order_by("meeting", "pk")
        for meeting, state, what in rows.values_list("meeting", "state", "what"):
            seen = states.get(meeting)
            if state == "open" and (seen is None or seen[0] != Status.PENDING):
                states[meeting] = (Status.PENDING.value, what)  # the first open task
            elif seen is None:
                states[meeting] = (Status.DONE.value, what)  # the first task, until one is open
        return states

    def in_year(self, year):
        return self.filter(date__year=year)

    def per_year(self, organisations=True):
        """One row per year: meetings logged and (unless not asked: counting distinct
        organisations sorts every row, the larger part of 3 s at a million) the
        organisations they were with."""
        counts = {"total": Count("pk")}
        if organisations:
            counts["organisation_count"] = Count("organisation", distinct=True)
        return (
            self.annotate(year=ExtractYear("date"))
            .order_by("year")
            .values("year")
            .annotate(**counts)
        )

    def organisations_by_kind(self):
        """(kind, organisations met) — each organisation counted once however often met."""
        return (
            self.order_by()
            .values("organisation__kind")
            .annotate(total=Count("organisation", distinct=True))
            .order_by("-total", "organisation__kind")
        )

    def get_by_natural_key(self, date, organisation, event=None):
        return self.get(
            date=date,
            organisation__name=organisation,
            **({"event__name": event} if event else {"event__isnull": True}),
        )


class ImportRecordQuerySet(models.QuerySet):
    def active(self):
        """Imports that have not been undone."""
        return self.filter(undone_at__isnull=True)

    def of_file(self, checksum):
        return self.filter(checksum=checksum)
