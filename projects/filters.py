import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import ListFilterSet, QuickCheckboxSelectMultiple, SortFilter, lookup_filter
from partners.models import Organisation
from projects.models import ConsortiumMember, Programme, Project


class ProjectFilter(ListFilterSet):
    programme = django_filters.ModelMultipleChoiceFilter(
        label=_("Funding programme"),
        queryset=Programme.objects.all(),
        distinct=False,
        widget=QuickCheckboxSelectMultiple,
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Project.Status.choices,
        widget=QuickCheckboxSelectMultiple,
        distinct=False,
    )
    member = lookup_filter(
        "member",
        Organisation.objects.consortium_members(),
        label=_("Consortium member"),
        method="filter_member",
    )
    role = django_filters.MultipleChoiceFilter(
        label=_("Role in the consortium"),
        choices=ConsortiumMember.Role.choices,
        widget=QuickCheckboxSelectMultiple,
        method="filter_role",
    )
    sort = SortFilter(
        fields=[
            ("acronym", "acronym"),
            ("programme__name", "programme"),
            ("status", "status"),
            ("start_date", "start"),
            ("end_date", "end"),
            ("member_count", "members"),
        ],
        field_labels={
            "acronym": _("Acronym"),
            "programme__name": _("Funding programme"),
            "status": _("Status"),
            "start_date": _("Start"),
            "end_date": _("End"),
            "member_count": _("Consortium members"),
        },
    )

    class Meta:
        model = Project
        fields = ["q", "programme", "status", "member", "role"]

    def filter_member(self, queryset, name, value):
        # Member and role describe one consortium seat, so both are applied together here.
        return queryset.with_member(organisations=[value], roles=self.form.cleaned_data["role"])

    def filter_role(self, queryset, name, value):
        if self.form.cleaned_data.get("member"):
            return queryset  # already applied with the member
        return queryset.with_member(roles=value)
