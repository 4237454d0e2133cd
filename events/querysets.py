"""The querysets of events' models: what a page, the admin or the importer asks of them."""

from django.db import models
from django.db.models import Case, Count, Exists, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce, ExtractYear

from core.models import CountryQuerySetMixin, DatePrecision, count_of, related_manager
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

    def with_follow_up_state(self):
        """`follow_up_state` ("pending" while a task is open, "done" when all are, "none"),
        and `follow_up_what`: what the first open task (else the first task) says."""
        tasks = self._follow_up_tasks()
        Status = self.model.FollowUp
        return self.annotate(
            follow_up_state=Case(
                When(Exists(tasks.filter(state="open")), then=Value(Status.PENDING.value)),
                When(Exists(tasks), then=Value(Status.DONE.value)),
                default=Value(Status.NONE.value),
                output_field=models.CharField(),
            ),
            follow_up_what=Subquery(
                tasks.annotate(done=Case(When(state="open", then=0), default=1))
                .order_by("done", "pk")
                .values("what")[:1]
            ),
        )

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
