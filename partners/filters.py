import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import (
    ListFilterSet,
    QuickCheckboxSelectMultiple,
    SortFilter,
    lookup_filter,
    yes_no_filter,
)
from partners.models import Organisation, Partnership, Person


class OrganisationFilter(ListFilterSet):
    kind = django_filters.MultipleChoiceFilter(
        label=_("Kind"),
        choices=Organisation.Kind.choices,
        widget=QuickCheckboxSelectMultiple,
        distinct=False,
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"),
        distinct=False,
        widget=QuickCheckboxSelectMultiple,
    )
    network = lookup_filter(
        "network",
        Organisation.objects.networks(),
        multiple=True,
        label=_("Member of the network"),
        method="filter_network",
    )
    partnership_type = django_filters.MultipleChoiceFilter(
        label=_("Partnership type"),
        choices=Partnership.Type.choices,
        method="filter_partnership_type",
        widget=QuickCheckboxSelectMultiple,
    )
    partnership_status = django_filters.MultipleChoiceFilter(
        label=_("Partnership status"),
        choices=Partnership.Status.choices,
        widget=QuickCheckboxSelectMultiple,
        method="filter_partnership_status",
    )
    active_partnership = yes_no_filter(
        label=_("Has an active partnership"), method="filter_active_partnership"
    )
    genopole_accompanied = yes_no_filter(label=_("Genopole-accompanied"))
    partner = yes_no_filter(
        label=_("Partner (active partnership or consortium seat)"), method="filter_partner"
    )
    met_year = django_filters.NumberFilter(label=_("Met in the year"), method="filter_met_year")
    first_met_year = django_filters.NumberFilter(
        label=_("First met in the year"), method="filter_first_met_year"
    )
    sort = SortFilter(
        fields=[
            ("name", "name"),
            ("kind", "kind"),
            ("country", "country"),
            ("city", "city"),
            ("partnership_count", "partnerships"),
            ("meeting_count", "meetings"),
            ("last_met", "last-met"),
        ],
        field_labels={
            "name": _("Name"),
            "kind": _("Kind"),
            "country": _("Country"),
            "city": _("City"),
            "partnership_count": _("Partnerships"),
            "meeting_count": _("Meetings"),
            "last_met": _("Last met"),
        },
    )

    class Meta:
        model = Organisation
        fields = [
            "q",
            "kind",
            "country",
            "network",
            "partnership_type",
            "partnership_status",
            "active_partnership",
            "genopole_accompanied",
            "partner",
            "met_year",
            "first_met_year",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = Organisation.objects.countries()

    def filter_network(self, queryset, name, value):
        # An empty choice cleans to an empty queryset, which method filters still receive.
        return queryset.in_networks(value) if value else queryset

    def filter_partnership_type(self, queryset, name, value):
        # Type and status describe one partnership, so both are applied together here.
        statuses = self.form.cleaned_data.get("partnership_status")
        return queryset.with_partnership(types=value, statuses=statuses)

    def filter_partnership_status(self, queryset, name, value):
        if self.form.cleaned_data.get("partnership_type"):
            return queryset  # already applied with the type
        return queryset.with_partnership(statuses=value)

    def filter_active_partnership(self, queryset, name, value):
        return queryset.with_active_partnership(value)

    def filter_partner(self, queryset, name, value):
        return queryset.partners(value)

    def filter_met_year(self, queryset, name, value):
        return queryset.met_in(int(value))

    def filter_first_met_year(self, queryset, name, value):
        return queryset.first_met_in(int(value))


class PersonFilter(ListFilterSet):
    organisation = lookup_filter(
        "organisation", Organisation.objects.all(), label=_("Organisation")
    )
    organisation_kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        distinct=False,
        widget=QuickCheckboxSelectMultiple,
    )
    sort = SortFilter(
        fields=[
            ("last_name", "name"),
            ("role", "role"),
            ("organisation__name", "organisation"),
            ("organisation__country", "country"),
        ],
        field_labels={
            "last_name": _("Name"),
            "role": _("Role"),
            "organisation__name": _("Organisation"),
            "organisation__country": _("Country"),
        },
    )

    class Meta:
        model = Person
        fields = ["q", "organisation", "organisation_kind"]


class PartnershipFilter(ListFilterSet):
    type = django_filters.MultipleChoiceFilter(
        label=_("Type"),
        choices=Partnership.Type.choices,
        widget=QuickCheckboxSelectMultiple,
        distinct=False,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Partnership.Status.choices,
        widget=QuickCheckboxSelectMultiple,
        distinct=False,
    )
    organisation_kind = django_filters.MultipleChoiceFilter(
        label=_("Kind of organisation"),
        field_name="organisation__kind",
        choices=Organisation.Kind.choices,
        widget=QuickCheckboxSelectMultiple,
        distinct=False,
    )
    country = django_filters.MultipleChoiceFilter(
        label=_("Country"),
        field_name="organisation__country",
        distinct=False,
        widget=QuickCheckboxSelectMultiple,
    )
    start_year = django_filters.NumberFilter(
        label=_("Started in the year"), field_name="start_date", lookup_expr="year"
    )
    sort = SortFilter(
        fields=[
            ("organisation__name", "organisation"),
            ("organisation__country", "country"),
            ("title", "title"),
            ("type", "type"),
            ("status", "status"),
            ("start_date", "start"),
            ("end_date", "end"),
        ],
        field_labels={
            "organisation__name": _("Organisation"),
            "organisation__country": _("Country"),
            "title": _("Title"),
            "type": _("Type"),
            "status": _("Status"),
            "start_date": _("Start"),
            "end_date": _("End"),
        },
    )

    class Meta:
        model = Partnership
        fields = ["q", "type", "status", "organisation_kind", "country", "start_year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["country"].extra["choices"] = Organisation.objects.filter(
            partnerships__isnull=False
        ).countries()
