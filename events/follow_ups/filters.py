import datetime

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.filters import lookup_filter
from events.follow_ups.models import FollowUp
from events.models import Event
from partners.models import Organisation

MINE, ANYONE, NOBODY = "mine", "anyone", "nobody"


class FollowUpFilter(django_filters.FilterSet):
    """Open follow-ups of the user looking, overdue first, unless the filters say otherwise."""

    owner = django_filters.ChoiceFilter(
        label=_("Owner"), method="filter_owner", empty_label=None, null_label=None
    )
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[*FollowUp.State.choices, ("all", _("Any"))],
        method="filter_state",
        empty_label=None,
    )
    due = django_filters.ChoiceFilter(
        label=_("Due"),
        choices=[
            ("overdue", _("Overdue")),
            ("week", _("By the end of this week")),
            ("undated", _("No due date")),
        ],
        method="filter_due",
        empty_label=_("Any"),
    )
    due_before = django_filters.DateFilter(
        label=_("Due on or before"),
        field_name="due_date",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    # Among thousands: chosen by search-as-you-type, the page carries only the chosen one.
    organisation = lookup_filter(
        "organisation",
        Organisation.objects.all(),
        label=_("Organisation"),
        method="filter_organisation",
    )
    # Named by its path, so the API schema knows it is an event's id.
    event = lookup_filter(
        "event",
        Event.objects.all(),
        label=_("Event"),
        field_name="meeting__event",
        method="filter_event",
    )

    class Meta:
        model = FollowUp
        fields = ["owner", "state", "due", "due_before", "organisation", "event"]

    def __init__(self, data=None, *args, request=None, **kwargs):
        # Defaults, so that /follow-ups/ is "my open follow-ups" and its form says so.
        data = data.copy() if data is not None else QueryDict(mutable=True)
        data.setdefault("owner", MINE)
        data.setdefault("state", FollowUp.State.OPEN)
        super().__init__(data, *args, request=request, **kwargs)
        users = get_user_model().objects.filter(is_active=True).order_by("username")
        self.filters["owner"].extra["choices"] = [
            (MINE, _("Me")),
            (ANYONE, _("Anyone")),
            (NOBODY, _("Nobody yet")),
            *[(str(user.pk), user.get_full_name() or user.get_username()) for user in users],
        ]

    def filter_owner(self, queryset, name, value):
        if value == MINE:
            return queryset.owned_by(self.request.user)
        if value == NOBODY:
            return queryset.filter(owner__isnull=True)
        if value.isdigit():
            return queryset.filter(owner_id=int(value))
        return queryset

    def filter_state(self, queryset, name, value):
        return queryset if value == "all" else queryset.filter(state=value)

    def filter_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.overdue(today)
        if value == "week":
            return queryset.due_by(end_of_week(today))
        return queryset.filter(due_date__isnull=True)

    def filter_organisation(self, queryset, name, value):
        return queryset.about_organisation(value)

    def filter_event(self, queryset, name, value):
        return queryset.at_event(value)


def end_of_week(day: datetime.date) -> datetime.date:
    """The Sunday of `day`'s week."""
    return day + datetime.timedelta(days=6 - day.weekday())
