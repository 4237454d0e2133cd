from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _

from core.exports import country_name, dated, label, names
from core.history import audit_trails
from core.models import related_manager
from core.views import DetailPage, ListPage
from partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from partners.models import Organisation, Partnership, Person
from partners.querysets import SHOWN_ON_PAGE


class OrganisationListView(ListPage):
    model = Organisation
    filterset_class = OrganisationFilter
    csv_columns = [
        (_("Name"), "name"),
        (_("Short name"), "short_name"),
        (_("Aliases"), names("aliases")),
        (_("Kind"), label("kind", Organisation.Kind.choices)),
        (_("Country"), country_name("country")),
        (_("Country code"), "country"),
        (_("City"), "city"),
        (_("Parent organisation"), "parent__name"),
        (_("Networks"), names("networks")),
        (_("Genopole-accompanied"), "genopole_accompanied"),
        (_("Website"), "website"),
        (_("Partnerships"), "partnership_count"),
        (_("Active partnerships"), "active_partnership_count"),
        (_("Meetings"), "meeting_count"),
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
        (_("First name"), "first_name"),
        (_("Last name"), "last_name"),
        (_("Role"), "role"),
        (_("Organisation"), "organisation__name"),
        (_("Country"), country_name("organisation__country")),
        (_("Email"), "email"),
        (_("Phone"), "phone"),
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
        (_("Organisation"), "organisation__name"),
        (_("Country"), country_name("organisation__country")),
        (_("Title"), "title"),
        (_("Type"), label("type", Partnership.Type.choices)),
        (_("Status"), label("status", Partnership.Status.choices)),
        *dated(_("Start"), "start_date", "start_precision"),
        *dated(_("End"), "end_date", "end_precision"),
        (_("Notes"), "notes"),
    ]

    def get_queryset(self):
        return Partnership.objects.select_related("organisation")
