"""Organisation, event and project pages tell the reports' story: events organised or hosted,
figures with their capitals, milestones in date order, source reports by title and year."""

import pytest

from events.models import Event
from partners.models import Organisation
from projects.models import Project

pytestmark = pytest.mark.django_db


def page(client, obj):
    response = client.get(obj.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_an_organisation_lists_the_events_it_organised(viewer_client, report_data):
    eugloh = Organisation.objects.get(short_name="EUGLOH")
    content = page(viewer_client, eugloh)
    assert "EUGLOH Annual Conference 2021" in content
    assert "Organised an event" in content


def test_an_organisation_lists_the_events_it_hosted(viewer_client, report_data):
    content = page(viewer_client, Organisation.objects.get(name="Tartu BT Park"))
    assert "GEN.ERA closing event" in content
    assert "Hosted an event" in content


def test_an_event_page_names_its_host(viewer_client, report_data):
    content = page(viewer_client, Event.objects.get(name="GEN.ERA closing event"))
    assert "Hosted by" in content
    assert "Tartu BT Park</a>" in content


def test_figure_labels_keep_their_capitals(viewer_client, report_data):
    content = page(viewer_client, Event.objects.get(name="BIO International Convention 2022"))
    assert "25 corporations or SMEs" in content
    assert "8 Genopole companies" in content
    assert "smes" not in content


def test_milestones_are_shown_in_date_order(viewer_client, report_data):
    content = page(viewer_client, Project.objects.get(acronym="GEN.ERA"))
    order = [content.index(kind) for kind in ("Selection", "Launch", "End", "Closing event")]
    assert order == sorted(order)


def test_source_reports_are_named_by_title_and_year_not_file_name(viewer_client, report_data):
    content = page(viewer_client, Event.objects.get(name="BIO International Convention 2022"))
    assert "Activity report — Europe &amp; International (2022)" in content
    assert "004_d8d48f5feeb4f35b.txt" not in content
