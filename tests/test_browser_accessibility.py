"""Every page type in Chromium: axe-core finds no critical or serious accessibility
violation, the page is never wider than the window (at 1366 px, and at 390 px for the
lists), and it does not jump once drawn (cumulative layout shift under 0.1).

axe-core comes from the npm registry (`make install` runs `npm ci`, package-lock.json pins
it). Each check also appends its figures to test-artifacts/page-quality.jsonl, which the
issue notes summarise.
"""

import json
from pathlib import Path

import pytest
from django.conf import settings

from events.models import Event, Meeting
from partners.models import Organisation, Partnership, Person
from projects.models import Project
from tests.conftest import browser_only

pytestmark = browser_only

AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"
FIGURES = Path(settings.BASE_DIR) / "test-artifacts" / "page-quality.jsonl"
BLOCKING_IMPACTS = {"critical", "serious"}
LISTS = ["/organisations/", "/people/", "/partnerships/", "/events/", "/meetings/", "/projects/"]

# Sums the layout shifts that happen without user input, from the first paint on.
MEASURE_LAYOUT_SHIFT = """
window.layoutShift = 0;
new PerformanceObserver((entries) => {
  for (const entry of entries.getEntries()) {
    if (!entry.hadRecentInput) window.layoutShift += entry.value;
  }
}).observe({type: "layout-shift", buffered: true});
"""


def a_detail_page(kind):
    """The site page of a typical record of each kind (a network with members, an event
    with meetings: the longest pages)."""
    records = {
        "network": Organisation.objects.filter(kind="network", member_links__isnull=False),
        "organisation": Organisation.objects.filter(partnerships__isnull=False),
        "person": Person.objects.all(),
        "event": Event.objects.filter(meetings__isnull=False),
        "meeting": Meeting.objects.all(),
        "project": Project.objects.all(),
    }[kind]
    return records.order_by("pk").first().get_absolute_url()


ADMIN_MODELS = [Organisation, Partnership, Person, Event, Meeting, Project]
ADMIN_PAGES = ["index", "meeting changelist"] + [
    f"{model._meta.model_name} {form}" for model in ADMIN_MODELS for form in ("add", "change")
]


def an_admin_page(name):
    if name == "index":
        return "/admin/"
    if name == "meeting changelist":
        return "/admin/events/meeting/"
    model_name, form = name.split()
    model = next(m for m in ADMIN_MODELS if m._meta.model_name == model_name)
    base = f"/admin/{model._meta.app_label}/{model_name}/"
    if form == "add":
        return base + "add/"
    # The record with the most related rows: its inlines make the widest page.
    return base + f"{model.objects.order_by('pk').first().pk}/change/"


@pytest.fixture
def check_page(open_tab, make_user):
    """check_page(path, width): open the path logged in as an Editor and return its
    figures: axe violations, page width and layout shift."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make install` (it runs `npm ci`)")
    editor = make_user("Editor", username="camille")
    axe_source = AXE.read_text(encoding="utf-8")

    def check(path, width=1366, locale="en-GB"):
        tab = open_tab(editor, width=width, locale=locale)
        tab.add_init_script(MEASURE_LAYOUT_SHIFT)
        response = tab.goto(path)
        assert response.status == 200, (path, response.status)
        tab.wait_for_timeout(300)
        # evaluate() runs through the DevTools protocol, which the page's CSP does not cover.
        tab.evaluate(axe_source)
        violations = tab.evaluate(
            """async () => (await axe.run(document, {resultTypes: ["violations"]}))
                .violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                          where: v.nodes[0].target.join(" ")}))"""
        )
        figures = {
            "path": path,
            "width": width,
            "locale": locale,
            "page_width": tab.evaluate("document.documentElement.scrollWidth"),
            "layout_shift": round(tab.evaluate("window.layoutShift"), 4),
            "violations": violations,
        }
        FIGURES.parent.mkdir(exist_ok=True)
        with FIGURES.open("a", encoding="utf-8") as out:
            out.write(json.dumps(figures) + "\n")
        return figures

    return check


def blocking(figures):
    return [v for v in figures["violations"] if v["impact"] in BLOCKING_IMPACTS]


@pytest.mark.parametrize("path", ["/", *LISTS])
@pytest.mark.parametrize("locale", ["en-GB", "fr-FR"])
def test_the_home_page_and_lists_are_accessible_and_steady(report_data, check_page, path, locale):
    figures = check_page(path, locale=locale)
    assert blocking(figures) == []
    assert figures["page_width"] <= 1366
    assert figures["layout_shift"] < 0.1


@pytest.mark.parametrize("path", LISTS)
def test_the_lists_fit_a_390_px_phone_without_sideways_scrolling(report_data, check_page, path):
    figures = check_page(path, width=390)
    assert figures["page_width"] <= 390
    assert blocking(figures) == []
    assert figures["layout_shift"] < 0.1


@pytest.mark.parametrize("path", LISTS)
def test_on_a_phone_a_list_shows_its_key_columns_and_the_rest_on_demand(
    report_data, open_tab, make_user, path
):
    tab = open_tab(make_user("Viewer", username="alexis"), width=390, height=844)
    tab.goto(path)
    table = tab.locator(".table-wrap")
    assert table.evaluate("t => t.scrollWidth <= t.clientWidth"), "the table scrolls sideways"
    assert tab.locator("thead th:visible").count() == 2
    tab.get_by_label("Show every column").check()
    assert tab.locator("thead th:visible").count() > 2


@pytest.mark.parametrize(
    "kind", ["network", "organisation", "person", "event", "meeting", "project"]
)
def test_the_detail_pages_are_accessible_and_fit_the_window(report_data, check_page, kind):
    figures = check_page(a_detail_page(kind))
    assert blocking(figures) == []
    assert figures["page_width"] <= 1366


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_the_admin_pages_are_accessible_and_fit_the_window(report_data, check_page, name):
    figures = check_page(an_admin_page(name))
    assert blocking(figures) == []
    assert figures["page_width"] <= 1366


def test_the_meetings_changelist_shows_topic_and_follow_up_within_1366_px(
    report_data, open_tab, make_user
):
    tab = open_tab(make_user("Editor", username="camille"), width=1366)
    tab.goto("/admin/events/meeting/")
    for column in ("column-topic_start", "column-follow_up"):
        box = tab.locator(f"th.{column}").bounding_box()
        assert box["x"] + box["width"] <= 1366, column
