"""The filter panels of every list: the same control for the same kind of filter."""

import django_filters
import pytest
from django import forms

from core.filters import LookupInput
from events.filters import EventFilter, MeetingFilter
from events.models import Event, EventSeries
from partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from partners.models import Organisation, Person
from projects.filters import ProjectFilter

FILTERSETS = [
    OrganisationFilter, PersonFilter, PartnershipFilter, EventFilter, MeetingFilter, ProjectFilter
]  # fmt: skip


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda f: f.__name__)
def test_every_multi_choice_filter_is_a_set_of_checkboxes_no_ctrl_click_needed(filterset):
    # Or, for records among thousands, a search box that keeps a list of those chosen.
    multi_choice = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)
    widgets = {
        name: forms.CheckboxSelectMultiple if isinstance(widget, forms.CheckboxSelectMultiple)
        else type(widget)
        for name, f in filterset.base_filters.items()
        if isinstance(f, multi_choice)
        for widget in [f.field.widget]
    }  # fmt: skip
    assert widgets and set(widgets.values()) <= {forms.CheckboxSelectMultiple, LookupInput}, widgets
    assert forms.CheckboxSelectMultiple in set(widgets.values())


RECORD_FILTERS = (django_filters.ModelChoiceFilter, django_filters.ModelMultipleChoiceFilter)


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda f: f.__name__)
def test_no_filter_lists_every_record_of_a_table_that_grows(filterset):
    growing = (Organisation, Person, Event, EventSeries)
    listing = {
        name
        for name, f in filterset.base_filters.items()
        if isinstance(f, RECORD_FILTERS)
        and f.queryset.model in growing
        and not isinstance(f.field.widget, LookupInput)
    }
    assert not listing
