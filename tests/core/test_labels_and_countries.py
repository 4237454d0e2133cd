"""Choice labels and the countries of a filter, read without a pass over every row."""

import datetime

import pytest
from django.utils import translation

from core.models import format_partial_date
from events.follow_ups.models import FollowUp
from partners.models import Organisation
from tests.factories import make_follow_up, make_meeting, make_organisation, make_partnership

pytestmark = pytest.mark.django_db


def test_a_choice_label_is_in_the_active_language():
    organisation = make_organisation(kind=Organisation.Kind.SME)
    follow_up = make_follow_up(make_meeting())
    with translation.override("en"):
        english = organisation.get_kind_display(), follow_up.get_state_display()
    with translation.override("fr"):
        french = organisation.get_kind_display(), follow_up.get_state_display()
    assert (english, french) == (("SME", "Open"), ("PME", "Ouverte"))


def test_a_value_outside_the_choices_is_shown_as_it_is():
    assert Organisation(kind="unheard-of").get_kind_display() == "unheard-of"
    assert FollowUp(state="").get_state_display() == ""


def test_the_countries_are_those_used_sorted_by_name():
    for country in ("JP", "DE", "FR", "DE", ""):
        make_organisation(country=country)
    with translation.override("fr"):
        assert Organisation.objects.countries() == [
            ("DE", "Allemagne"),
            ("FR", "France"),
            ("JP", "Japon"),
        ]


def test_the_countries_of_a_filtered_list_are_those_of_its_rows():
    make_partnership(make_organisation(country="JP"))
    make_organisation(country="DE")
    assert Organisation.objects.filter(partnerships__isnull=False).countries() == [("JP", "Japan")]
    assert Organisation.objects.none().countries() == []


def test_the_countries_are_named_in_each_language_once_named_in_another():
    make_organisation(country="DE")
    names = []
    for language in ("en", "fr", "en"):
        with translation.override(language):
            names.append(Organisation.objects.countries())
    assert names == [[("DE", "Germany")], [("DE", "Allemagne")], [("DE", "Germany")]]


def test_a_partial_date_is_written_in_each_language_once_written_in_another():
    day = datetime.date(2022, 6, 14)
    written = []
    for language in ("en", "fr", "en"):
        with translation.override(language):
            written.append((format_partial_date(day, "day"), format_partial_date(day, "month")))
    assert written == [
        ("14 June 2022", "June 2022"), ("14 juin 2022", "juin 2022"), ("14 June 2022", "June 2022")
    ]  # fmt: skip
