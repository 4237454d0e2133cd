"""The dashboard, the partner map and the 2022 report in a real browser, on screen and on paper.

Screenshots and the printed PDF go to test-artifacts/ for a person to look at. The `page`
fixture fails a test on any console error, which is what a CSP-blocked inline script or style
would cause.
"""

import re

from tests.conftest import browser_only
from tests.test_browser import ARTIFACTS, browser, page  # noqa: F401 (fixtures)

# Skipped, like the other browser tests, where Debian's Chromium is not installed.
pytestmark = browser_only


def test_the_dashboard_shows_the_latest_year_with_charts(page):  # noqa: F811
    assert page.get_by_role("heading", level=1).inner_text() == "International activity in 2022"
    charts = page.locator("svg.chart-svg")
    assert charts.count() >= 6
    assert all(box["width"] > 200 for box in (c.bounding_box() for c in charts.all()))
    page.screenshot(path=ARTIFACTS / "10-dashboard.png", full_page=True)


def test_a_dashboard_figure_opens_the_list_it_counts(page):  # noqa: F811
    row = page.locator("table.comparison tr").filter(has_text="Events attended")
    row.locator("td.current a").click()
    page.wait_for_url("**/events/?*")
    assert "year=2022" in page.url and "attended=true" in page.url
    assert page.locator("table tbody tr").count() == 8


def test_the_partner_map_draws_the_partner_countries(page):  # noqa: F811
    section = page.locator("#partner-map")
    section.scroll_into_view_if_needed()
    images = section.locator("img")
    assert images.count() == 2
    for image in images.all():
        assert image.evaluate("img => img.complete && img.naturalWidth > 0")
    assert section.get_by_role("row").filter(has_text="Estonia").is_visible()
    section.screenshot(path=ARTIFACTS / "11-partner-map.png")


def test_the_2022_report_on_screen_and_printed_on_a4(page):  # noqa: F811
    page.goto("/reports/2022/")
    assert page.get_by_role("heading", level=1).inner_text() == "Europe & International — 2022"
    assert page.get_by_text("about 100 meetings", exact=False).first.is_visible()
    page.screenshot(path=ARTIFACTS / "12-report-2022.png", full_page=True)
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Download CSV").is_visible()
    assert not page.locator("header.site-header").is_visible()
    pdf = page.pdf(path=ARTIFACTS / "12-report-2022.pdf", prefer_css_page_size=True)
    sizes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", pdf)
    assert sizes, "no page in the PDF"
    # A4 is 595 × 842 points; every page is A4, and the report fits a few pages.
    assert all(abs(float(w) - 595) < 2 and abs(float(h) - 842) < 2 for w, h in sizes)
    assert len(sizes) <= 5
