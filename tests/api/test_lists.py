"""The API lists the same rows as the pages, in the same order, for the same query string,
and pages through them with cursors that neither repeat nor skip a row."""

import pytest
from django.urls import reverse

from genopole_crm.api.models import ApiToken
from tests.factories import make_event, make_organisation, make_partnership

pytestmark = pytest.mark.django_db

# (API endpoint, page URL name, query strings the pages offer)
QUERIES = [
    (
        "organisations",
        "partners:organisation-list",
        [
            "",
            "q=genopole",
            "kind=cluster&kind=network",
            "country=FR&sort=-meetings",
            "partnership_type=cooperation&partnership_status=active",
            "active_partnership=true&sort=last-met",
            "genopole_accompanied=false&sort=-country",
        ],
    ),
    ("people", "partners:person-list", ["", "q=an", "organisation_kind=cluster&sort=-role"]),
    (
        "partnerships",
        "partners:partnership-list",
        ["", "status=active", "type=cooperation&sort=-start", "country=FR&sort=end"],
    ),
    (
        "events",
        "events:event-list",
        ["", "year=2022", "format=virtual", "kind=convention&sort=-meetings", "q=bio&sort=role"],
    ),
    (
        "meetings",
        "events:meeting-list",
        ["", "date_from=2022-06-01&date_to=2022-12-31", "organisation_kind=cluster", "sort=event"],
    ),
    (
        "projects",
        "projects:project-list",
        ["", "status=running", "role=coordinator&sort=-members", "q=gen&sort=programme"],
    ),
]
CASES = [(api, page, query) for api, page, queries in QUERIES for query in queries]


def api_ids(client, endpoint, query, page_size=3):
    """Every id the API lists, following the `next` cursors page by page."""
    ids, url = [], f"/api/v1/{endpoint}/?{query}&page_size={page_size}"
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        ids += [row["id"] for row in response.json()["results"]]
        url = response.json()["next"]
    return ids


@pytest.mark.parametrize(("endpoint", "page", "query"), CASES)
def test_the_api_lists_what_the_page_lists(report_data, make_user, client, endpoint, page, query):
    user = make_user("Viewer")
    client.force_login(user)
    # `page=1`: a page with no parameter at all keeps the model's own order (its unbound
    # FilterSet skips the sort filter, which puts empty values last), unlike its page 2.
    response = client.get(f"{reverse(page)}?{query}&page=1")
    page_ids = [row.pk for row in response.context["paginator"].object_list]
    assert api_ids(client, endpoint, query) == page_ids
    assert page_ids, "a query that finds nothing compares nothing"


def test_a_bad_filter_value_is_a_400_naming_the_parameter(viewer_client):
    response = viewer_client.get("/api/v1/events/?year=someday")
    assert response.status_code == 400
    assert [e["field"] for e in response.json()["errors"]] == ["year"]


def test_sorting_on_a_column_with_empty_values_pages_through_every_row(viewer_client):
    for year in (None, 2020, None, 2021, 2020):
        make_partnership(start_date=year and f"{year}-01-01")
    for sort in ("start", "-start", "end"):
        ids = api_ids(viewer_client, "partnerships", f"sort={sort}", page_size=2)
        assert sorted(ids) == sorted(
            p["id"]
            for p in viewer_client.get("/api/v1/partnerships/?page_size=500").json()["results"]
        )
        assert len(ids) == len(set(ids)) == 5


def test_a_row_added_before_the_cursor_does_not_shift_the_next_page(viewer_client):
    for name in ("B", "D", "F", "H"):
        make_organisation(name)
    first = viewer_client.get("/api/v1/organisations/?page_size=2").json()
    make_organisation("A")
    second = viewer_client.get(first["next"]).json()
    assert [row["name"] for row in second["results"]] == ["F", "H"]
    assert second["next"] is None


def test_the_last_page_has_no_next_link(viewer_client):
    make_event()
    assert viewer_client.get("/api/v1/events/").json()["next"] is None


@pytest.mark.parametrize("cursor", ["nonsense", "WyJ4Il0", "W1tdLCAxXQ", "WyJ4IiwgInkiXQ", "%00"])
def test_a_tampered_cursor_is_a_400_not_a_500(viewer_client, cursor):
    make_organisation()
    response = viewer_client.get(f"/api/v1/organisations/?cursor={cursor}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "cursor"


def test_a_cursor_with_a_value_of_the_wrong_type_is_a_400(viewer_client):
    make_organisation()
    # ["not a number", 1] for ?sort=meetings, whose first key is a count
    response = viewer_client.get(
        "/api/v1/organisations/?sort=meetings&cursor=WyJub3QgYSBudW1iZXIiLCAxXQ"
    )
    assert response.status_code == 400


@pytest.mark.parametrize("size", ["0", "-1", "x", "100000"])
def test_page_size_must_be_within_bounds(viewer_client, size):
    response = viewer_client.get(f"/api/v1/organisations/?page_size={size}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "page_size"


def test_the_events_format_filter_is_not_taken_for_a_response_format(viewer_client):
    make_event("Online", format="virtual")
    make_event("On site", format="in_person")
    response = viewer_client.get("/api/v1/events/?format=virtual")
    assert [row["name"] for row in response.json()["results"]] == ["Online"]


def test_tokens_are_not_an_api_resource(viewer_client):
    assert viewer_client.get("/api/v1/tokens/").status_code == 404
    assert ApiToken.objects.count() == 0
