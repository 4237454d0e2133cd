"""The filters' checkbox lists, written in Python, are exactly Django's own HTML."""

import pytest
from django import forms
from django.utils import translation

from core.filters import QuickCheckboxSelectMultiple
from core.form_rendering import QUICK_RENDERER
from events.filters import EventFilter, MeetingFilter
from events.follow_ups.filters import FollowUpFilter
from partners.filters import OrganisationFilter, PartnershipFilter, PersonFilter
from projects.filters import ProjectFilter
from tests.factories import make_organisation

pytestmark = pytest.mark.django_db

FILTERSETS = [
    OrganisationFilter, PersonFilter, PartnershipFilter, EventFilter, MeetingFilter, ProjectFilter
]  # fmt: skip


def checkbox_fields(filterset):
    fields = [
        bound
        for bound in filterset.form
        if isinstance(bound.field.widget, QuickCheckboxSelectMultiple)
    ]
    assert fields, filterset
    return fields


def as_django_renders_it(bound):
    stock = forms.CheckboxSelectMultiple(attrs=bound.field.widget.attrs)
    stock.choices = bound.field.widget.choices
    return stock.render(bound.html_name, bound.value(), attrs=bound.build_widget_attrs({}) | {
        "id": bound.auto_id
    })  # fmt: skip


@pytest.mark.parametrize("filterset_class", FILTERSETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_checkbox_list_renders_as_djangos_none_or_some_checked(filterset_class, language):
    for country in ("FR", "JP"):
        make_organisation(country=country)
    model = filterset_class._meta.model
    with translation.override(language):
        for data in ({}, {"kind": ["sme", "cluster"], "country": ["JP"], "status": ["active"]}):
            filterset = filterset_class(data, queryset=model.objects.all())
            for bound in checkbox_fields(filterset):
                assert bound.as_widget() == as_django_renders_it(bound), bound.name


def test_labels_and_values_are_escaped():
    widget = QuickCheckboxSelectMultiple(attrs={"class": "a<b"})
    widget.choices = [('"x"', "<b>Bold & co</b>"), ("y", "Y")]
    html = widget.render("pick", ['"x"'], attrs={"id": "id_pick"})
    stock = forms.CheckboxSelectMultiple(attrs={"class": "a<b"})
    stock.choices = widget.choices
    assert html == stock.render("pick", ['"x"'], attrs={"id": "id_pick"})
    assert "&lt;b&gt;Bold &amp; co&lt;/b&gt;" in html and 'value="&quot;x&quot;"' in html


def test_grouped_choices_render_as_djangos():
    choices = [("Europe", [("FR", "France"), ("DE", "Germany")]), ("JP", "Japan")]
    quick, stock = QuickCheckboxSelectMultiple(), forms.CheckboxSelectMultiple()
    quick.choices = stock.choices = choices
    assert quick.render("c", ["DE"], {"id": "id_c"}) == stock.render("c", ["DE"], {"id": "id_c"})
    assert quick.render("c", [], {}) == stock.render("c", [], {})


LIST_FILTERSETS = [*FILTERSETS, FollowUpFilter]
FILTER_DATA = [
    {},
    {"kind": ["sme"], "country": ["JP"], "sort": "-name", "q": 'a "b" <c>', "status": "active"},
    # Values a form cannot read: the fields' errors, and the quick version beside them.
    {"sort": "nonsense", "year": "x", "met_year": "-1", "attended": "maybe", "owner": "zz",
     "date_from": "2024-13-45", "due_before": "soon", "programme": "99999999999999999999"},
]  # fmt: skip


@pytest.mark.parametrize("filterset_class", LIST_FILTERSETS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("data", FILTER_DATA, ids=["empty", "chosen", "invalid"])
def test_every_filter_field_renders_in_python_as_djangos_templates(
    filterset_class, language, data, rf, make_user
):
    make_organisation(country="JP")
    request = rf.get("/")
    request.user = make_user("Viewer", username="val")
    model = filterset_class._meta.model
    with translation.override(language):
        stock = filterset_class(data, queryset=model.objects.all(), request=request).form
        quick = filterset_class(data, queryset=model.objects.all(), request=request).form
        quick.renderer = QUICK_RENDERER
        stock.is_valid(), quick.is_valid()
        for stock_field, quick_field in zip(stock, quick, strict=True):
            assert quick_field.as_field_group() == stock_field.as_field_group(), stock_field.name


def test_a_widget_the_python_version_does_not_know_is_rendered_by_django():
    form = forms.Form()
    form.fields["notes"] = forms.CharField(widget=forms.Textarea, help_text="<b>Free</b> text")
    form.renderer = QUICK_RENDERER
    html = form["notes"].as_field_group()
    assert '<textarea name="notes" cols="40" rows="10"' in html
    assert '<div class="helptext" id="id_notes_helptext"><b>Free</b> text</div>' in html
