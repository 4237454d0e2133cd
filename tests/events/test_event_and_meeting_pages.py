"""/events/ and /meetings/, and their detail pages."""

import datetime

import pytest
from django.urls import reverse

from events.models import Event, EventAlias, EventFigure, EventSeries, Participation
from partners.models import Organisation
from tests.factories import make_event, make_follow_up, make_meeting, make_organisation, make_person
from tests.pages import csv_rows, listed

pytestmark = pytest.mark.django_db
EVENTS = reverse("events:event-list")
MEETINGS = reverse("events:meeting-list")


def day(year, month=1, day_=1):
    return datetime.date(year, month, day_)


class TestEvents:
    def test_year_keeps_events_that_started_that_year(self, viewer_client):
        make_event("BIO 2021", start_date=day(2021, 6, 10))
        make_event("BIO 2022", start_date=day(2022, 6, 13))
        assert listed(viewer_client.get(EVENTS, {"year": 2022})) == ["BIO 2022"]

    def test_several_countries_keep_events_held_in_any_of_them(self, viewer_client):
        make_event("BIO 2022", country="US")
        make_event("BIO-Europe 2022", country="IT")
        make_event("Meet in Italy", country="FR")
        response = viewer_client.get(EVENTS, {"country": ["US", "IT"], "sort": "name"})
        assert listed(response) == ["BIO 2022", "BIO-Europe 2022"]

    def test_format_keeps_virtual_events(self, viewer_client):
        make_event("BIO 2021", format=Event.Format.VIRTUAL)
        make_event("BIO 2022", format=Event.Format.IN_PERSON)
        assert listed(viewer_client.get(EVENTS, {"format": "virtual"})) == ["BIO 2021"]

    def test_series_keeps_its_editions(self, viewer_client):
        bio = EventSeries.objects.create(name="BIO International Convention")
        make_event("BIO 2022", series=bio)
        make_event("Biotech Showcase 2020")
        assert listed(viewer_client.get(EVENTS, {"series": bio.pk})) == ["BIO 2022"]

    def test_search_finds_an_event_by_its_alias(self, viewer_client):
        event = make_event("BIO International Convention 2022")
        EventAlias.objects.create(event=event, name="BIO USA 2022")
        make_event("BIO-Europe 2022")
        assert listed(viewer_client.get(EVENTS, {"q": "bio usa"})) == [
            "BIO International Convention 2022"
        ]

    def test_newest_events_come_first_and_sorting_by_date_reverses_it(self, viewer_client):
        make_event("Old", start_date=day(2019))
        make_event("New", start_date=day(2022))
        assert listed(viewer_client.get(EVENTS)) == ["New", "Old"]
        assert listed(viewer_client.get(EVENTS, {"sort": "date"})) == ["Old", "New"]

    def test_format_filter_and_csv_download_combine(self, viewer_client):
        make_event("BIO 2021", format=Event.Format.VIRTUAL)
        make_event("BIO 2022", format=Event.Format.IN_PERSON)
        rows = csv_rows(viewer_client.get(EVENTS, {"format": ["virtual"], "export": "csv"}))
        assert [row[0] for row in rows[1:]] == ["BIO 2021"]

    def test_a_bookmarked_format_csv_link_redirects_to_the_export(self, viewer_client):
        response = viewer_client.get(EVENTS, {"format": ["virtual", "csv"]})
        assert response.status_code == 301
        assert response["Location"] == f"{EVENTS}?format=virtual&export=csv"
        make_event("BIO 2021", format=Event.Format.VIRTUAL)
        rows = csv_rows(viewer_client.get(response["Location"]))
        assert [row[0] for row in rows[1:]] == ["BIO 2021"]

    def test_the_csv_link_keeps_the_format_filter(self, viewer_client):
        make_event(format=Event.Format.VIRTUAL)
        content = viewer_client.get(EVENTS, {"format": "virtual"}).content.decode()
        assert f'href="{EVENTS}?format=virtual&amp;export=csv"' in content

    def test_an_event_page_shows_participation_figures_and_organisations_met(self, viewer_client):
        event = make_event("BIO 2022", country="US", city="San Diego")
        choose = make_organisation("Choose Paris Region")
        participation = Participation.objects.create(event=event, role="exhibitor")
        participation.co_participants.add(choose)
        EventFigure.objects.create(
            event=event, metric="participants", value=13000, qualifier="more_than"
        )
        met = make_organisation("Astellas Ventures")
        make_meeting(met, event=event, topic="Investment")
        content = viewer_client.get(event.get_absolute_url()).content.decode()
        assert "San Diego, United States of America" in content
        assert "Exhibitor" in content
        assert f'href="{choose.get_absolute_url()}">Choose Paris Region</a>' in content
        assert "more than 13,000 participants" in content
        assert f'href="{met.get_absolute_url()}">Astellas Ventures</a>' in content

    def test_the_list_links_to_each_events_page(self, viewer_client):
        event = make_event()
        assert f'href="{event.get_absolute_url()}"' in viewer_client.get(EVENTS).content.decode()


class TestMeetings:
    def test_a_date_range_keeps_meetings_within_it_both_ends_included(self, viewer_client):
        for month in (5, 6, 7, 8):
            make_meeting(make_organisation(f"Met in month {month}"), date=day(2022, month, 1))
        response = viewer_client.get(MEETINGS, {"date_from": "2022-06-01", "date_to": "2022-07-01"})
        assert sorted(m.organisation.name for m in response.context["object_list"]) == [
            "Met in month 6",
            "Met in month 7",
        ]

    def test_event_keeps_the_meetings_held_there(self, viewer_client):
        bio = make_event("BIO 2022")
        make_meeting(make_organisation("At BIO"), event=bio)
        make_meeting(make_organisation("Elsewhere"))
        response = viewer_client.get(MEETINGS, {"event": bio.pk})
        assert [m.organisation.name for m in response.context["object_list"]] == ["At BIO"]

    def test_organisation_keeps_the_meetings_with_it(self, viewer_client):
        astellas = make_organisation("Astellas Ventures")
        make_meeting(astellas)
        make_meeting(make_organisation("Other"))
        response = viewer_client.get(MEETINGS, {"organisation": astellas.pk})
        assert [m.organisation for m in response.context["object_list"]] == [astellas]

    def test_every_investor_we_met_at_bio_since_2020(self, viewer_client):
        bio = make_event("BIO 2022")
        investor = make_organisation("Astellas Ventures", kind=Organisation.Kind.INVESTOR)
        make_meeting(investor, event=bio, date=day(2022, 6, 14))
        make_meeting(investor, event=bio, date=day(2019, 6, 4))
        make_meeting(make_organisation("A cluster"), event=bio, date=day(2022, 6, 14))
        response = viewer_client.get(
            MEETINGS,
            {"q": "bio", "organisation_kind": "investor", "date_from": "2020-01-01"},
        )
        assert [(m.organisation.name, m.date.year) for m in response.context["object_list"]] == [
            ("Astellas Ventures", 2022)
        ]

    def test_follow_up_pending_keeps_meetings_awaiting_follow_up(self, viewer_client):
        make_follow_up(make_meeting(make_organisation("Waiting")))
        make_follow_up(make_meeting(make_organisation("Done")), state="done")
        make_meeting(make_organisation("Nothing to do"))
        response = viewer_client.get(MEETINGS, {"follow_up_pending": "on"})
        assert [m.organisation.name for m in response.context["object_list"]] == ["Waiting"]

    def test_the_follow_up_column_and_its_sort_read_the_meeting_s_tasks(self, viewer_client):
        make_follow_up(make_meeting(make_organisation("Open task")))
        make_follow_up(make_meeting(make_organisation("Done task")), state="done")
        make_meeting(make_organisation("No task"))
        response = viewer_client.get(MEETINGS, {"sort": "follow-up"})
        assert [
            (m.organisation.name, m.follow_up_state_label) for m in response.context["object_list"]
        ] == [("Done task", "Done"), ("No task", "None needed"), ("Open task", "Pending")]

    def test_search_finds_meetings_by_organisation_alias_without_accents(self, viewer_client):
        from partners.models import OrganisationAlias

        tartu = make_organisation("Tartu BT Park")
        OrganisationAlias.objects.create(organisation=tartu, name="Tartù Biocluster")
        make_meeting(tartu)
        make_meeting(make_organisation("Other"))
        response = viewer_client.get(MEETINGS, {"q": "tartu biocluster"})
        assert [m.organisation.name for m in response.context["object_list"]] == ["Tartu BT Park"]

    def test_sorting_by_organisation(self, viewer_client):
        make_meeting(make_organisation("Zeta"))
        make_meeting(make_organisation("Alpha"))
        response = viewer_client.get(MEETINGS, {"sort": "organisation"})
        assert [m.organisation.name for m in response.context["object_list"]] == ["Alpha", "Zeta"]

    def test_the_csv_carries_people_notes_and_follow_up(self, viewer_client):
        meeting = make_meeting(
            make_organisation("Astellas Ventures"),
            notes="Interested in our start-ups",
        )
        make_follow_up(meeting, "Send the pitch deck")
        meeting.people.add(make_person(first_name="Ann", last_name="Lee"))
        header, row = csv_rows(viewer_client.get(MEETINGS, {"export": "csv"}))
        record = dict(zip(header, row, strict=True))
        assert record["Organisation"] == "Astellas Ventures"
        assert record["People met"] == "Ann Lee"
        assert record["Notes"] == "Interested in our start-ups"
        assert record["Follow-up"] == "Send the pitch deck"
        assert record["Follow-up status"] == "Pending"

    def test_a_meeting_page_shows_its_notes_and_links_everything(self, viewer_client):
        event = make_event("BIO 2022")
        organisation = make_organisation("Astellas Ventures")
        person = make_person(organisation, first_name="Ann", last_name="Lee")
        company = make_organisation("Synsight", genopole_accompanied=True)
        meeting = make_meeting(organisation, event=event, notes="Talked about\nseed rounds")
        meeting.people.add(person)
        meeting.accompanied_companies.add(company)
        content = viewer_client.get(meeting.get_absolute_url()).content.decode()
        for linked in (event, organisation, person, company):
            assert f'href="{linked.get_absolute_url()}"' in content
        assert "Talked about<br>seed rounds" in content

    def test_the_list_links_to_each_meetings_page(self, viewer_client):
        meeting = make_meeting()
        assert (
            f'href="{meeting.get_absolute_url()}"' in viewer_client.get(MEETINGS).content.decode()
        )
