"""The querysets of events' models: what a page, the admin or the importer asks of them."""

from django.db import models
from django.db.models import Q

from core.models import CountryQuerySetMixin, DatePrecision, count_of, related_manager
from core.search import SearchQuerySet


class EventQuerySet(CountryQuerySetMixin, SearchQuerySet):
    search_fields = ("name", "aliases__name", "series__name", "series__short_name", "city")
    name_fields = ("name", "aliases__name")

    def in_year(self, year):
        return self.filter(start_date__year=year)

    def years(self):
        """The years events took place in, newest first."""
        return [day.year for day in self.dates("start_date", "year", order="DESC")]

    def with_counts(self):
        return self.annotate(
            meeting_count=count_of(related_manager(self.model, "meetings").all(), "event")
        )

    def get_by_natural_key(self, name):
        return self.get(name=name)


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

    def follow_up_pending(self):
        return self.filter(follow_up_status=self.model.FollowUp.PENDING)

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
