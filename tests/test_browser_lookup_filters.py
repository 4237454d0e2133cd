"""The lists' filters on records among thousands, in Chromium: a search box that asks
/lookup/<kind>/ as one types, keeps the record chosen, and sends its id with the filters."""

from urllib.parse import parse_qs, urlparse

from django.db.models import Count

from partners.models import Organisation
from tests.test_browser import browser, page, pytestmark  # noqa: F401


def query_of(tab):
    return parse_qs(urlparse(tab.url).query)


def test_choosing_an_organisation_by_typing_filters_the_meetings(page):  # noqa: F811
    met = Organisation.objects.annotate(n=Count("meetings")).order_by("-n", "name").first()
    page.goto("/meetings/")
    box = page.get_by_role("combobox", name="Organisation met")
    box.fill(met.name)
    results = page.locator("#id_organisation-results").get_by_role("button")
    results.filter(has_text=met.name).first.click()
    assert box.input_value() == met.name
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/meetings/?*")
    assert query_of(page)["organisation"] == [str(met.pk)]
    rows = page.locator("table tbody tr td:nth-child(2) > a").all_inner_texts()
    assert rows and set(rows) == {met.name}
    # The page came back with the name of the chosen organisation, not its id.
    assert page.get_by_role("combobox", name="Organisation met").input_value() == met.name


def test_several_networks_are_chosen_one_by_one_and_removed_the_same_way(page):  # noqa: F811
    networks = list(Organisation.objects.networks().order_by("name")[:2])
    page.goto("/organisations/")
    box = page.get_by_role("combobox", name="Member of the network")
    for network in networks:
        box.fill(network.name)
        results = page.locator("#id_network-results").get_by_role("button")
        results.filter(has_text=network.name).first.click()
    chosen = page.locator(".lookup-chosen li")
    assert chosen.count() == 2
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/organisations/?*")
    ids = query_of(page)["network"][0].split(",")
    assert sorted(ids) == sorted(str(n.pk) for n in networks)
    members = set(Organisation.objects.in_networks(networks).values_list("name", flat=True))
    listed = set(page.locator("table tbody tr td:first-child a").all_inner_texts())
    assert listed and listed <= members
    page.get_by_role("button", name=f"Remove {networks[0].name}").click()
    assert page.locator(".lookup-chosen li").count() == 1


def test_without_a_match_the_box_says_so(page):  # noqa: F811
    page.goto("/people/")
    page.get_by_role("combobox", name="Organisation").fill("zzzz nothing like it")
    page.locator("#id_organisation-results").get_by_text("Nothing found").wait_for()
