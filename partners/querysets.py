"""The querysets of partners' models: what a page or the importer asks of them, by name."""

from django.db.models import Count, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import ExtractYear

from core.models import CountryQuerySetMixin, count_of, related_manager
from core.search import SearchQuerySet

# The CRM's own organisation: it appears as host, organiser and coordinator.
HOME_ORGANISATION = "Genopole"
# How many related rows a record's page shows per section, its latest, with a link to all
# of them in their list: the largest organisation has thousands of meetings.
SHOWN_ON_PAGE = 20


class OrganisationQuerySet(CountryQuerySetMixin, SearchQuerySet):
    search_fields = ("name", "short_name", "aliases__name")
    name_fields = search_fields
    country_fields = ("country",)

    # The records other models keep about an organisation are reached through its reverse
    # relations, so this module imports no model: neither partners' own nor another app's.
    def _partnerships(self):
        return related_manager(self.model, "partnerships")

    def _memberships(self):
        return related_manager(self.model, "network_links")

    def genopole_accompanied(self):
        return self.filter(genopole_accompanied=True)

    def networks(self):
        """Organisations that have members: CEBR, EUGLOH, ScanBalt…"""
        return self.filter(pk__in=self._memberships().values("network"))

    def consortium_members(self):
        """Organisations with a seat in a project's consortium."""
        seats = related_manager(self.model, "consortium_roles")
        return self.filter(pk__in=seats.values("organisation"))

    def in_networks(self, networks):
        return self.filter(pk__in=self._memberships().filter(network__in=networks).values("member"))

    def with_partnership(self, types=None, statuses=None):
        """Organisations holding a partnership of one of `types` in one of `statuses`.

        Type and status describe the same partnership: "an in-discussion soft-landing
        agreement", not "some soft-landing agreement and something in discussion".
        """
        partnerships = self._partnerships().all()
        if types:
            partnerships = partnerships.filter(type__in=types)
        if statuses:
            partnerships = partnerships.filter(status__in=statuses)
        return self.filter(pk__in=partnerships.values("organisation"))

    def with_active_partnership(self, active=True):
        active_ones = self.filter(pk__in=self._partnerships().active().values("organisation"))
        return active_ones if active else self.exclude(pk__in=active_ones.values("pk"))

    def met_in(self, year):
        """Organisations with at least one meeting logged in `year`."""
        return self.filter(pk__in=self.model.objects.filter(meetings__date__year=year).values("pk"))

    def first_met_in(self, year):
        """Organisations first met in `year`: met that year and never before.

        Among those met that year, the earliest meeting of each (one index entry): NOT IN
        the organisations met before read every earlier meeting (over 30 s at a million)."""
        met = self.met_in(year)
        return met._first_met(met).filter(first_met__year=year)

    def first_met_per_year(self):
        """One row per year: how many organisations were met for the first time.

        Organisations never met make a year of None, dropped here: excluding them in SQL
        made PostgreSQL look up each one's first meeting twice (1 s instead of 0.35 s at
        100,000 organisations)."""
        rows = (
            self._first_met()
            .annotate(year=ExtractYear("first_met"))
            .order_by("year")
            .values("year")
            .annotate(total=Count("pk"))
        )
        return [row for row in rows if row["year"] is not None]

    def _first_met(self, organisations=None):
        # The date of the earliest meeting, per organisation: grouping by its year then
        # counts organisations, not meeting rows. ORDER BY date LIMIT 1 reads one entry of
        # the (organisation, date) index; a MIN() grouped by organisation read them all.
        first = (
            related_manager(self.model, "meetings")
            .filter(organisation=OuterRef("pk"))
            .order_by("date")
            .values("date")[:1]
        )
        organisations = self.model.objects if organisations is None else organisations
        return organisations.annotate(first_met=Subquery(first))

    def partners(self, partner=True):
        """Organisations Genopole works with: an active partnership or a consortium seat.

        Genopole itself sits in the consortia it coordinates; it is no partner of itself.
        """
        with_seat = self.model.objects.filter(consortium_roles__isnull=False).values("pk")
        active = self._partnerships().active().values("organisation")
        ids = Q(pk__in=active) | Q(pk__in=with_seat)
        matching = self.filter(ids) if partner else self.exclude(ids)
        return matching.exclude(name=HOME_ORGANISATION) if partner else matching

    def per_country(self):
        """(country, organisations), most first; organisations without a country left out."""
        return (
            self.exclude(country="")
            .order_by()
            .values("country")
            .annotate(total=Count("pk"))
            .order_by("-total", "country")
        )

    def with_counts(self):
        """Partnerships, active partnerships, meetings, and the date we last met."""
        meetings = related_manager(self.model, "meetings")
        last_meeting = meetings.filter(organisation=OuterRef("pk")).order_by("-date")
        return self.annotate(
            partnership_count=count_of(self._partnerships().all(), "organisation"),
            active_partnership_count=count_of(self._partnerships().active(), "organisation"),
            meeting_count=count_of(meetings.all(), "organisation"),
            last_met=Subquery(last_meeting.values("date")[:1]),
            last_met_precision=Subquery(last_meeting.values("date_precision")[:1]),
        )

    def for_profile(self):
        """Everything the organisation page shows, prefetched so that the page and its
        `timeline()` read them without further queries: partnerships, people, networks,
        and the meetings, participations and consortium roles the other apps record.

        Of what grows without bound (meetings, people, a network's members, events) only
        the latest `SHOWN_ON_PAGE` are read, as `latest_<relation>` lists (see
        `Organisation.shown()`); `meeting_total`, `people_total` and `member_total` count
        them all."""

        def of(relation):
            return related_manager(self.model, relation)

        shown = SHOWN_ON_PAGE
        latest_first = ("-date", "-pk")
        events_first = (F("start_date").desc(nulls_last=True), "-pk")
        return (
            self.annotate(
                meeting_total=count_of(of("meetings").all(), "organisation"),
                people_total=count_of(of("people").all(), "organisation"),
                member_total=count_of(of("member_links").all(), "network"),
            )
            .select_related("parent")
            .prefetch_related(
                "aliases",
                "children",
                Prefetch(
                    "people",
                    of("people").order_by("last_name", "first_name", "pk")[:shown],
                    to_attr="latest_people",
                ),
                Prefetch(
                    "partnerships",
                    of("partnerships").order_by(F("start_date").asc(nulls_last=True), "title"),
                ),
                "figures",
                "sources",
                Prefetch("network_links", of("network_links").select_related("network")),
                # Each member's partnerships: the network's page shows their status.
                Prefetch(
                    "member_links",
                    of("member_links")
                    .select_related("member")
                    .prefetch_related("member__partnerships")
                    .order_by("member__name", "pk")[:shown],
                    to_attr="latest_member_links",
                ),
                Prefetch(
                    "meetings",
                    of("meetings")
                    .with_follow_up_state()  # the follow-up column: the meetings' tasks
                    .select_related("event")
                    .prefetch_related("people")
                    .order_by(*latest_first)[:shown],
                    to_attr="latest_meetings",
                ),
                Prefetch(
                    "accompanied_meetings",
                    of("accompanied_meetings")
                    .select_related("organisation")
                    .order_by(*latest_first)[:shown],
                    to_attr="latest_accompanied_meetings",
                ),
                Prefetch(
                    "consortium_roles",
                    of("consortium_roles")
                    .select_related("project__programme")
                    .order_by(F("project__start_date").desc(nulls_last=True), "project__acronym"),
                ),
                Prefetch(
                    "shared_participations", of("shared_participations").select_related("event")
                ),
                Prefetch(
                    "accompanied_participations",
                    of("accompanied_participations").select_related("event"),
                ),
                Prefetch(
                    "organised_events",
                    of("organised_events").order_by(*events_first)[:shown],
                    to_attr="latest_organised_events",
                ),
                Prefetch(
                    "hosted_events",
                    of("hosted_events").order_by(*events_first)[:shown],
                    to_attr="latest_hosted_events",
                ),
            )
        )

    def get_by_natural_key(self, name):
        return self.get(name=name)


class PersonQuerySet(SearchQuerySet):
    search_fields = (
        "first_name",
        "last_name",
        "role",
        "organisation__name",
        "organisation__short_name",
    )
    country_fields = ("organisation__country",)

    def get_by_natural_key(self, first_name, last_name, organisation):
        return self.get(first_name=first_name, last_name=last_name, organisation__name=organisation)


class PartnershipQuerySet(SearchQuerySet):
    search_fields = (
        "title",
        "organisation__name",
        "organisation__short_name",
        "organisation__aliases__name",
    )
    country_fields = ("organisation__country",)

    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def in_pipeline(self):
        """Partnerships not yet agreed: prospects and those in discussion."""
        return self.filter(status__in=self._pipeline_statuses())

    def _pipeline_statuses(self):
        return [self.model.Status.PROSPECT, self.model.Status.IN_DISCUSSION]

    def started_in(self, year):
        return self.filter(start_date__year=year)

    def ending_between(self, start, end):
        """Active partnerships whose end date falls from `start` to `end`."""
        return self.active().filter(end_date__gte=start, end_date__lte=end)

    def started_per_year(self):
        return (
            self.exclude(start_date=None)
            .annotate(year=ExtractYear("start_date"))
            .order_by("year")
            .values("year")
            .annotate(total=Count("pk"))
        )

    def by_type(self, year):
        """Per type: active now, started in `year`, and in the pipeline."""
        return (
            self.order_by()
            .values("type")
            .annotate(
                active=Count("pk", filter=Q(status=self.model.Status.ACTIVE)),
                started=Count("pk", filter=Q(start_date__year=year)),
                pipeline=Count("pk", filter=Q(status__in=self._pipeline_statuses())),
            )
            .order_by("-active", "type")
        )

    def get_by_natural_key(self, organisation, type, title):
        return self.get(organisation__name=organisation, type=type, title=title)
