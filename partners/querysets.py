"""The querysets of partners' models: what a page or the importer asks of them, by name."""

from django.db.models import F, OuterRef, Prefetch, Subquery

from core.models import CountryQuerySetMixin, count_of, related_manager
from core.search import SearchQuerySet


class OrganisationQuerySet(CountryQuerySetMixin, SearchQuerySet):
    search_fields = ("name", "short_name", "aliases__name")
    name_fields = search_fields

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
        and the meetings, participations and consortium roles the other apps record."""

        def of(relation):
            return related_manager(self.model, relation)

        return self.select_related("parent").prefetch_related(
            "aliases",
            "children",
            "people",
            Prefetch(
                "partnerships",
                of("partnerships").order_by(F("start_date").asc(nulls_last=True), "title"),
            ),
            "figures",
            "sources",
            Prefetch("network_links", of("network_links").select_related("network")),
            Prefetch("member_links", of("member_links").select_related("member")),
            Prefetch("meetings", of("meetings").select_related("event").prefetch_related("people")),
            Prefetch(
                "accompanied_meetings", of("accompanied_meetings").select_related("organisation")
            ),
            Prefetch(
                "consortium_roles",
                of("consortium_roles")
                .select_related("project__programme")
                .order_by(F("project__start_date").desc(nulls_last=True), "project__acronym"),
            ),
            Prefetch("shared_participations", of("shared_participations").select_related("event")),
            Prefetch(
                "accompanied_participations",
                of("accompanied_participations").select_related("event"),
            ),
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

    def get_by_natural_key(self, first_name, last_name, organisation):
        return self.get(first_name=first_name, last_name=last_name, organisation__name=organisation)


class PartnershipQuerySet(SearchQuerySet):
    search_fields = (
        "title",
        "organisation__name",
        "organisation__short_name",
        "organisation__aliases__name",
    )

    def active(self):
        return self.filter(status=self.model.Status.ACTIVE)

    def get_by_natural_key(self, organisation, type, title):
        return self.get(organisation__name=organisation, type=type, title=title)
