"""Every API list runs the same number of SQL queries for a page of 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.test_query_counts import events, meetings, organisations, partnerships, people, projects

pytestmark = pytest.mark.django_db

# (endpoint, builder, queries). Each request spends 4 on its frame: finding the token,
# recording its use, the user's and their groups' permissions. The rest: the FilterSet's
# choices (countries, years), the rows, one per prefetched relation.
LISTS = [
    ("organisations", organisations, 8),
    ("people", people, 5),
    ("partnerships", partnerships, 6),
    ("events", events, 7),
    ("meetings", meetings, 7),
    ("projects", projects, 6),
]


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.json()
    return len(queries), len(response.json()["results"])


@pytest.mark.parametrize(("endpoint", "build", "expected"), LISTS, ids=[e for e, *_ in LISTS])
def test_an_api_list_runs_as_many_queries_for_fifty_rows_as_for_five(
    api_as, endpoint, build, expected
):
    client = api_as("Viewer")
    build(50)
    few = queries_for(client, f"/api/v1/{endpoint}/?page_size=5")
    many = queries_for(client, f"/api/v1/{endpoint}/?page_size=50")
    assert (few[1], many[1]) == (5, 50)
    assert (few[0], many[0]) == (expected, expected)


def test_the_next_page_costs_the_same_as_the_first(api_as):
    client = api_as("Viewer")
    organisations(12)
    first = client.get("/api/v1/organisations/?page_size=5&sort=-meetings")
    with CaptureQueriesContext(connection) as queries:
        client.get(first.json()["next"])
    assert len(queries) == 8
