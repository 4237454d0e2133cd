"""The filter panels of every list: the same control for the same kind of filter."""

import django_filters
import pytest
from django import forms

from events.filters import EventFilter, MeetingFilter
from partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from projects.filters import ProjectFilter

FILTERSETS = [
    OrganisationFilter, PersonFilter, PartnershipFilter, EventFilter, MeetingFilter, ProjectFilter
]  # fmt: skip


@pytest.mark.parametrize("filterset", FILTERSETS, ids=lambda f: f.__name__)
def test_every_multi_choice_filter_is_a_set_of_checkboxes_no_ctrl_click_needed(filterset):
    multi_choice = (django_filters.MultipleChoiceFilter, django_filters.ModelMultipleChoiceFilter)
    widgets = {
        name: type(f.field.widget)
        for name, f in filterset.base_filters.items()
        if isinstance(f, multi_choice)
    }
    assert widgets and set(widgets.values()) == {forms.CheckboxSelectMultiple}, widgets
