"""The querysets of events' models: what a page, the admin or the importer asks of them."""

from django.db import models

from core.models import CountryQuerySetMixin, count_of, related_manager
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
