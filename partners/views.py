from operator import attrgetter

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import country_name, dated, label
from core.history import audit_trails
from core.models import related_manager
from core.views import DetailPage, ListPage
from partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from partners.models import Organisation, Partnership, Person
from partners.querysets import SHOWN_ON_PAGE


def names(related):
    return lambda row: "; ".join(str(item) for item in getattr(row, related).all())


class OrganisationListView(ListPage):
    model = Organisation
    filterset_class = OrganisationFilter
    csv_columns = [
        (_("Name"), attrgetter("name")),
        (_("Short name"), attrgetter("short_name")),
        (_("Aliases"), names("aliases")),
        (_("Kind"), label("kind", Organisation.Kind.choices)),
        (_("Country"), country_name("country")),
        (_("Country code"), attrgetter("country.code")),
        (_("City"), attrgetter("city")),
        (_("Parent organisation"), attrgetter("parent")),
        (_("Networks"), names("networks")),
        (_("Genopole-accompanied"), attrgetter("genopole_accompanied")),
        (_("Website"), attrgetter("website")),
        (_("Partnerships"), attrgetter("partnership_count")),
        (_("Active partnerships"), attrgetter("active_partnership_count")),
        (_("Meetings"), attrgetter("meeting_count")),
        *dated(_("Last met"), "last_met", "last_met_precision"),
    ]

    def get_queryset(self):
        return (
            Organisation.objects.with_counts()
            .select_related("parent")
            .prefetch_related("aliases", "networks")
        )


class OrganisationDetailView(DetailPage):
    model = Organisation

    def get_queryset(self):
        return Organisation.objects.for_profile()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organisation = self.object
        may_view = context["may_view"]
        trails = audit_trails(
            Partnership.history.filter(organisation_id=organisation.pk).select_related(
                "history_user"
            ),
            may_view=may_view,
        )
        partnerships = list(organisation.partnerships.all())
        for partnership in partnerships:
            partnership.trail = trails.get(partnership.pk, [])
        context["partnerships"] = partnerships
        context["events"] = organisation.events_involved()  # the template asks may_view
        context["timeline"] = organisation.timeline(may_view)
        return context


class PersonListView(ListPage):
    model = Person
    filterset_class = PersonFilter
    csv_columns = [
        (_("First name"), attrgetter("first_name")),
        (_("Last name"), attrgetter("last_name")),
        (_("Role"), attrgetter("role")),
        (_("Organisation"), attrgetter("organisation.name")),
        (_("Country"), country_name("organisation.country")),
        (_("Email"), attrgetter("email")),
        (_("Phone"), attrgetter("phone")),
    ]

    def get_queryset(self):
        return Person.objects.select_related("organisation")


class PersonDetailView(DetailPage):
    model = Person

    def get_queryset(self):
        meetings = related_manager(Person, "meetings")
        latest = meetings.select_related("event", "organisation").order_by("-date", "-pk")
        return (
            Person.objects.select_related("organisation")
            .annotate(meeting_total=Count("meetings"))
            .prefetch_related(
                Prefetch("meetings", latest[:SHOWN_ON_PAGE], to_attr="latest_meetings")
            )
        )


class PartnershipListView(ListPage):
    model = Partnership
    filterset_class = PartnershipFilter
    csv_columns = [
        (_("Organisation"), attrgetter("organisation.name")),
        (_("Country"), country_name("organisation.country")),
        (_("Title"), attrgetter("title")),
        (_("Type"), label("type", Partnership.Type.choices)),
        (_("Status"), label("status", Partnership.Status.choices)),
        *dated(_("Start"), "start_date", "start_precision"),
        *dated(_("End"), "end_date", "end_precision"),
        (_("Notes"), attrgetter("notes")),
    ]

    def get_queryset(self):
        return Partnership.objects.select_related("organisation")
