"""The dashboard at "/": one year's international activity, compared with the years before.

Checked against the annual reports (the fixtures), link by link: every number links to a
filtered list that shows exactly that many rows.
"""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.core.cache import cache
from django.urls import reverse

from events.models import Event
from genopole_crm import worldmap
from partners.models import Organisation
from tests.factories import (
    make_event,
    make_follow_up,
    make_meeting,
    make_organisation,
    make_partnership,
)
from tests.pages import queries_for

pytestmark = pytest.mark.django_db
URL = reverse("home")
SVG = "{http://www.w3.org/2000/svg}"


def dashboard(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def comparison(content):
    """{figure label: {year: (value, link)}} read from the comparison table."""
    table = content[content.index('<table class="comparison">') :]
    table = table[: table.index("</table>")]
    years = [int(y) for y in re.findall(r'<th scope="col" class="number">(\d{4})</th>', table)]
    rows = {}
    for label, cells in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', table, re.S):
        links = re.findall(r'<a href="([^"]+)">(\d+)</a>', cells)
        rows[unescape(label)] = {
            year: (int(value), unescape(url))
            for year, (url, value) in zip(years, links, strict=True)
        }
    return rows


def rows_listed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.context.get("page_obj")
    return page.paginator.count if page else len(response.context["object_list"])


def section(content, element_id):
    start = content.index(f'id="{element_id}"')
    return content[start : content.index("</section>", start)]


class TestYear:
    def test_the_latest_year_with_data_is_shown_by_default(self, viewer_client, report_data):
        assert "International activity in 2022" in dashboard(viewer_client)

    def test_a_year_is_chosen_in_the_address(self, viewer_client, report_data):
        content = dashboard(viewer_client, year=2021)
        assert "International activity in 2021" in content
        assert '<option value="2021" selected>' in content

    def test_a_year_that_is_not_a_number_is_explained_not_an_error(
        self, viewer_client, report_data
    ):
        content = dashboard(viewer_client, year="last")
        assert "“last” is not a year; showing 2022." in content

    def test_a_year_without_data_says_so(self, viewer_client, report_data):
        content = dashboard(viewer_client, year=2015)
        assert "No activity is recorded for 2015." in content

    def test_an_empty_database_says_so_for_the_current_year(self, viewer_client):
        assert "No activity is recorded for" in dashboard(viewer_client)


class TestFiguresFromTheReports:
    def test_events_attended_per_year(self, viewer_client, report_data):
        events = comparison(dashboard(viewer_client))["Events attended"]
        assert {year: value for year, (value, _) in events.items()} == {
            2019: 0,
            2020: 5,
            2021: 5,
            2022: 8,
        }

    def test_in_person_and_virtual_events(self, viewer_client, report_data):
        figures = comparison(dashboard(viewer_client, year=2021))
        assert figures["Virtual"][2020][0] == 1  # BIO USA 2020, online
        assert figures["Virtual"][2021][0] == 1  # BIO 2021, virtual
        assert figures["In person"][2020][0] == 3

    def test_meetings_logged_per_year(self, viewer_client, report_data):
        meetings = comparison(dashboard(viewer_client))["Meetings logged"]
        assert [meetings[y][0] for y in (2020, 2021, 2022)] == [5, 9, 11]

    def test_each_figure_is_compared_with_the_year_before(self, viewer_client, report_data):
        content = dashboard(viewer_client)
        row = re.search(r"Events attended</th>(.*?)</tr>", content, re.S).group(1)
        assert "(+3)" in row  # 5 in 2021, 8 in 2022

    def test_reported_meetings_are_shown_beside_the_logged_ones_never_summed(
        self, viewer_client, report_data
    ):
        meetings = section(dashboard(viewer_client), "meetings-heading")
        row = re.search(r"BIO International Convention 2022</a></td>(.*?)</tr>", meetings, re.S)
        assert "about 100" in row.group(1)
        assert ">7</a>" in row.group(1)  # the seven named counterparts logged
        assert "107" not in meetings

    def test_organisations_met_by_kind(self, viewer_client, report_data):
        chart = section(dashboard(viewer_client), "meetings-heading")
        table = chart[chart.index("Organisations met by kind") :]
        assert re.search(r"Investor</th><td class=\"number\"><a [^>]+>3</a>", table)

    def test_the_partnership_pipeline_lists_those_in_discussion(self, viewer_client, report_data):
        partnerships = section(dashboard(viewer_client), "partnerships-heading")
        assert "EIT Food</a> — Nutrition and health cooperation" in partnerships

    def test_milestones_of_the_year_in_date_order(self, viewer_client, report_data):
        projects = section(dashboard(viewer_client), "projects-heading")
        assert projects.index("Closing event") < projects.index("Signature")

    def test_pending_follow_ups_show_only_pending_ones(self, viewer_client):
        make_follow_up(make_meeting(make_organisation("Astellas Ventures")), "Send the deck")
        make_follow_up(make_meeting(make_organisation("Done already")), state="done")
        content = dashboard(viewer_client)
        pending = content[content.index("Follow-ups pending") : content.index("Recent meetings")]
        assert "Astellas Ventures" in pending and "Send the deck" in pending
        assert "Done already" not in pending

    def test_an_edit_shows_at_the_next_load(self, viewer_client, report_data):
        before = comparison(dashboard(viewer_client))["Events attended"][2022][0]
        Event.objects.get(name="BIO-Europe 2022").participation.delete()
        assert comparison(dashboard(viewer_client))["Events attended"][2022][0] == before - 1


class TestLinks:
    def test_every_comparison_figure_links_to_a_list_of_as_many_rows(
        self, viewer_client, report_data
    ):
        for year in (2020, 2021, 2022):
            for label, cells in comparison(dashboard(viewer_client, year=year)).items():
                if label == "Countries of the events":
                    continue  # links to the events, whose countries it counts
                for cell_year, (value, url) in cells.items():
                    assert rows_listed(viewer_client, url) == value, (label, cell_year, url)

    def test_every_chart_bar_links_to_a_list_of_as_many_rows(self, viewer_client, report_data):
        content = dashboard(viewer_client)
        tables = re.findall(r'<table class="chart-table">(.*?)</table>', content, re.S)
        checked = 0
        for table in tables:
            for url, value in re.findall(r'<a href="([^"]+)">(\d+)</a>', table):
                if "/partnerships/" in url or "/organisations/" in url or "/events/" in url:
                    assert rows_listed(viewer_client, unescape(url)) == int(value), url
                    checked += 1
        assert checked > 10

    def test_the_partner_countries_link_to_their_organisations(self, viewer_client, report_data):
        partners = section(dashboard(viewer_client), "map-heading")
        for url, value in re.findall(r'<a href="([^"]+)">(\d+)</a>', partners):
            assert rows_listed(viewer_client, unescape(url)) == int(value), url


class TestCharts:
    def test_charts_are_valid_svg_with_one_bar_per_table_row(self, viewer_client, report_data):
        content = dashboard(viewer_client)
        figures = re.findall(r'<figure class="chart".*?</figure>', content, re.S)
        assert len(figures) >= 6
        for figure in figures:
            svg = ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.S).group())
            bars = svg.findall(f".//{SVG}rect")
            values = [int(v) for v in re.findall(r'<td class="number"><a [^>]+>(\d+)</a>', figure)]
            assert [int(bar.get("data-value")) for bar in bars] == values

    def test_bar_lengths_are_proportional_to_the_values(self, viewer_client, report_data):
        content = dashboard(viewer_client)
        figures = re.findall(r'<figure class="chart".*?</figure>', content, re.S)
        (figure,) = [f for f in figures if "Active partnerships by type</figcaption>" in f]
        svg = ET.fromstring(re.search(r"<svg.*?</svg>", figure, re.S).group())
        bars = svg.findall(f".//{SVG}rect")
        per_unit = {round(float(b.get("width")) / int(b.get("data-value")), 1) for b in bars}
        assert len(bars) > 3 and len(per_unit) == 1

    def test_the_page_has_no_inline_style_or_script(self, viewer_client, report_data):
        content = dashboard(viewer_client)
        assert " style=" not in content and "<style" not in content
        assert re.findall(r"<script(?![^>]*\bsrc=)", content) == []


class TestMap:
    def get_map(self, client, **params):
        response = client.get(reverse("partner-map"), params)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        return ET.fromstring(response.content)

    def country(self, svg, code):
        return svg.find(f".//{SVG}g[@data-country='{code}']")

    def test_the_map_places_the_partner_countries(self, viewer_client, report_data):
        svg = self.get_map(viewer_client)
        expected = dict(
            Organisation.objects.partners().per_country().values_list("country", "total")
        )
        assert expected["EE"] == 1 and expected["IT"] == 2  # Tartu BT Park; GEN.ERA, ALISEI
        for code, count in expected.items():
            shape = self.country(svg, code)
            assert shape.get("data-partners") == str(count), code
            assert shape.get("fill") == worldmap.shade(count)
        assert self.country(svg, "BR").get("fill") == worldmap.NO_PARTNER

    def test_genopole_itself_is_no_partner_of_itself(self, viewer_client, report_data):
        assert not Organisation.objects.partners().filter(name="Genopole").exists()

    def test_the_europe_view_zooms_on_europe(self, viewer_client, report_data):
        svg = self.get_map(viewer_client, region="europe")
        assert svg.get("viewBox") == worldmap.REGIONS["europe"]

    def test_the_map_carries_no_script_and_no_style(self, viewer_client, report_data):
        response = viewer_client.get(reverse("partner-map"))
        assert b"<script" not in response.content and b"style=" not in response.content

    def test_the_map_needs_the_organisation_view_permission(self, client, make_user):
        client.force_login(make_user(username="no-role"))
        assert client.get(reverse("partner-map")).status_code == 403


class TestQueriesAndLanguages:
    def test_the_dashboard_runs_a_fixed_number_of_queries(self, viewer_client, report_data):
        few = queries_for(viewer_client, URL)
        for i in range(30):
            organisation = make_organisation(country="BR")
            make_partnership(organisation, title=f"Partnership {i}").save()
            make_follow_up(make_meeting(organisation, event=make_event(country="BR")))
        cache.clear()  # everything computed again, my follow-ups' counts too
        many = queries_for(viewer_client, URL)
        # What the first view after an edit runs (tests/test_dashboard_cache.py): the figures,
        # their version, and my follow-ups (rows, counts and their version) and saved views.
        assert (few, many) == (27, 27)

    def test_the_dashboard_speaks_french(self, viewer_client, report_data):
        response = viewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr")
        content = response.content.decode()
        assert "Activité internationale en 2022" in content
        assert "Événements suivis" in content

    def test_a_user_without_a_role_is_told_to_ask_for_one(self, client, make_user):
        client.force_login(make_user(username="no-role"))
        content = dashboard(client)
        assert "Ask an administrator to give you a role" in content
