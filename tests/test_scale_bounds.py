"""Pages stay small and run a fixed number of queries however large the CRM grows.

On a generated CRM large enough to show an unbounded <select> or related list (2,000
organisations, 3,000 meetings, one organisation and one event with hundreds of them), every
list, detail page, the dashboard and the search send under 100 KB and run as many queries
as on a handful of rows (the pins of tests/test_query_counts.py). Not a benchmark: no time
is measured here (`make bench` does that).
"""

import datetime

import pytest
from django.core.cache import cache
from django.db import transaction
from django.urls import reverse

from core import search
from core.views import BoundedPaginator
from events.models import Event, EventFigure, EventSeries, Meeting, Participation
from partners.models import Membership, Organisation, Partnership, Person
from partners.querysets import SHOWN_ON_PAGE
from projects.models import ConsortiumMember, Milestone, Programme, Project
from tests.pages import queries_for
from tests.test_query_counts import DETAILS, LISTS

pytestmark = pytest.mark.django_db

ORGANISATIONS, EVENTS, MEETINGS, PEOPLE = 2_000, 300, 3_000, 600
MOST_MET = 400  # meetings with the busiest organisation, and at the busiest event
LIMIT = 100_000  # bytes of HTML
KINDS = [kind for kind, _label in Organisation.Kind.choices]


def build():
    day = datetime.date(2015, 1, 1)
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Bio Organisation {i:04}",
            kind="network" if i < 50 else KINDS[i % len(KINDS)],
            country=("FR", "DE", "JP", "EE")[i % 4],
        )
        for i in range(ORGANISATIONS)
    )
    busiest, network = organisations[100], organisations[0]
    series = EventSeries.objects.bulk_create(EventSeries(name=f"Series {i}") for i in range(200))
    events = Event.objects.bulk_create(
        Event(
            name=f"Bio Convention {i:03}",
            kind="convention",
            start_date=day + datetime.timedelta(days=10 * i),
            series=series[i % len(series)],
        )
        for i in range(EVENTS)
    )
    Participation.objects.bulk_create(Participation(event=e, role="exhibitor") for e in events)
    people = Person.objects.bulk_create(
        Person(
            first_name="Kaia",
            last_name=f"Tamm {i}",
            organisation=busiest if i < 60 else organisations[i],
        )
        for i in range(PEOPLE)
    )
    meetings = []
    for i in range(MEETINGS):
        organisation = busiest if i < MOST_MET else organisations[i % ORGANISATIONS]
        event = events[0] if MOST_MET <= i < 2 * MOST_MET else events[i % EVENTS]
        meetings.append(
            Meeting(date=day + datetime.timedelta(days=i), organisation=organisation, event=event)
        )
    meetings = Meeting.objects.bulk_create(meetings)
    person = people[0]
    Meeting.people.through.objects.bulk_create(
        Meeting.people.through(meeting=m, person=person) for m in meetings[:100]
    )
    Membership.objects.bulk_create(
        [Membership(network=network, member=o) for o in organisations[50:1050]]
        + [Membership(network=busiest, member=o) for o in organisations[1050:1080]]
    )
    Partnership.objects.bulk_create(
        Partnership(organisation=o, type="cooperation", status="active", title=f"P {i}")
        for i, o in enumerate(organisations[:1000])
    )
    programme = Programme.objects.create(name="Horizon Europe")
    projects = Project.objects.bulk_create(
        Project(acronym=f"BIO{i}", title=f"Project {i}", programme=programme, status="running")
        for i in range(100)
    )
    ConsortiumMember.objects.bulk_create(
        ConsortiumMember(project=projects[i % 100], organisation=o, role="partner")
        for i, o in enumerate(organisations[:1500])
    )
    return {
        "organisation": busiest,
        "member": organisations[101],
        "network": network,
        "event": events[0],
        "person": person,
        "project": projects[0],
        "meeting": meetings[0],
    }


@pytest.fixture(scope="module")
def big(django_db_setup, django_db_blocker):
    """The generated CRM, built once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build()
        transaction.set_rollback(True)


@pytest.fixture
def viewer(client, make_user):
    client.force_login(make_user("Viewer"))
    return client


def size_of(response):
    assert response.status_code == 200, response.status_code
    return len(response.content)


LIST_QUERIES = {url_name: expected for url_name, _build, expected in LISTS}
# bulk_create writes no history, so these pages have no versions whose links to read: the
# pins of test_query_counts less those reads (one per many-to-many relation, one per kind).
HISTORY_LINK_QUERIES = {"organisation": 2, "event": 1, "person": 1, "project": 1, "meeting": 5}
DETAIL_QUERIES = {page: expected - HISTORY_LINK_QUERIES[page] for page, _build, expected in DETAILS}


@pytest.mark.parametrize("url_name", LIST_QUERIES)
def test_a_list_sends_under_100_kb_in_as_many_queries_as_for_a_few_rows(big, viewer, url_name):
    url = reverse(url_name)
    assert queries_for(viewer, url) == LIST_QUERIES[url_name]
    assert size_of(viewer.get(url)) < LIMIT


@pytest.mark.parametrize(
    ("url_name", "filters"),
    [
        ("events:meeting-list", lambda big: {"organisation": big["organisation"].pk}),
        ("events:meeting-list", lambda big: {"event": big["event"].pk, "sort": "organisation"}),
        ("events:meeting-list", lambda big: {"person": big["person"].pk, "q": "bio"}),
        ("partners:person-list", lambda big: {"organisation": big["organisation"].pk}),
        ("partners:organisation-list", lambda big: {"network": big["network"].pk}),
        ("events:event-list", lambda big: {"series": big["event"].series_id}),
        ("projects:project-list", lambda big: {"member": big["member"].pk}),
    ],
    ids=[
        "meetings-of",
        "meetings-at",
        "meetings-with",
        "people-of",
        "members-of",
        "series",
        "member",
    ],
)
def test_a_list_filtered_by_a_record_among_thousands_names_only_that_one(
    big, viewer, url_name, filters
):
    response = viewer.get(reverse(url_name), filters(big))
    assert size_of(response) < LIMIT
    assert response.context["page_obj"].paginator.count > 0
    assert not response.context["filter"].form.errors


def test_the_lists_filters_carry_the_chosen_record_not_every_record(big, viewer):
    organisation = big["organisation"]
    response = viewer.get(reverse("events:meeting-list"), {"organisation": organisation.pk})
    html = response.content.decode()
    assert 'data-lookup-url="/lookup/organisation/"' in html
    assert f"&quot;label&quot;: &quot;{organisation.name}&quot;" in html
    assert "Bio Organisation 1999" not in html  # met on no day this page shows


@pytest.mark.parametrize("page", ["organisation", "event", "person", "project", "meeting"])
def test_a_detail_page_of_the_largest_record_is_bounded(big, viewer, page):
    url = big[page].get_absolute_url()
    assert queries_for(viewer, url) == DETAIL_QUERIES[page]
    assert size_of(viewer.get(url)) < LIMIT


@pytest.mark.parametrize(
    ("page", "relation", "list_url"),
    [
        ("organisation", "latest_meetings", "/meetings/?organisation={pk}"),
        ("organisation", "latest_people", "/people/?organisation={pk}"),
        ("event", "latest_meetings", "/meetings/?event={pk}"),
        ("person", "latest_meetings", "/meetings/?person={pk}"),
    ],
)
def test_a_detail_page_shows_the_latest_rows_and_links_to_them_all(
    big, viewer, page, relation, list_url
):
    record = big[page]
    response = viewer.get(record.get_absolute_url())
    shown = getattr(response.context["object"], relation)
    assert len(shown) == SHOWN_ON_PAGE
    dates = [getattr(row, "date", None) for row in shown]
    if all(dates):
        assert dates == sorted(dates, reverse=True)
    assert list_url.format(pk=record.pk) in response.content.decode()


def test_a_network_page_lists_its_first_members_and_links_to_them_all(big, viewer):
    network = big["network"]
    response = viewer.get(network.get_absolute_url())
    assert len(response.context["object"].latest_member_links) == SHOWN_ON_PAGE
    assert f"/organisations/?network={network.pk}" in response.content.decode()
    assert "1,000" in response.content.decode() or "1000" in response.content.decode()


def test_the_see_all_link_counts_what_it_leads_to(big, viewer):
    organisation = big["organisation"]
    detail = viewer.get(organisation.get_absolute_url())
    listed = viewer.get(reverse("events:meeting-list"), {"organisation": organisation.pk})
    total = detail.context["object"].meeting_total
    in_the_database = Meeting.objects.filter(organisation=organisation).count()
    assert total == in_the_database == listed.context["page_obj"].paginator.count > MOST_MET


def test_the_dashboard_is_bounded(big, viewer):
    url = reverse("home")
    first = queries_for(viewer, url)
    cache.clear()  # the computation's queries, not a cached part's (core.caching)
    assert queries_for(viewer, f"{url}?year=2016") == first
    assert size_of(viewer.get(url)) < LIMIT


def test_the_dashboard_shows_the_first_milestones_and_meeting_counts_of_a_year(big, viewer):
    """Hundreds in one year: the first of them, and the annual report for all."""
    events = Event.objects.filter(start_date__year=2016).order_by("start_date")
    EventFigure.objects.bulk_create(
        EventFigure(event=event, metric=EventFigure.Metric.MEETINGS, value=i, label=f"Day {i}")
        for event in events
        for i in range(10)
    )
    day = datetime.date(2016, 1, 1)
    Milestone.objects.bulk_create(
        Milestone(project=big["project"], kind=kind, date=day + datetime.timedelta(days=i))
        for i in range(365)
        for kind in ("launch", "other")
    )
    response = viewer.get(reverse("home"), {"year": 2016})
    assert size_of(response) < LIMIT
    content = response.content.decode()
    report = reverse("report", args=[2016])
    assert content.count(f"The first {SHOWN_ON_PAGE}: see them all in the annual report") == 2
    assert f'href="{report}#projects-heading"' in content
    assert f'href="{report}#events-heading"' in content
    assert content.count('<time datetime="2016-') == SHOWN_ON_PAGE


def test_the_search_shows_ten_of_each_kind_and_leaves_counting_to_the_lists(big, viewer):
    response = viewer.get(reverse("search"), {"q": "bio"})
    assert size_of(response) < LIMIT
    sections = {str(s["label"]): s for s in response.context["sections"]}
    assert all(len(s["results"]) <= 10 for s in sections.values())
    # Thousands of meetings, hundreds of events: "more than 10", and the lists count them.
    for kind, url_name in [("meetings", "events:meeting-list"), ("events", "events:event-list")]:
        assert sections[kind]["more"] and sections[kind]["count"] == 10
        assert f'href="{reverse(url_name)}?q=bio"' in response.content.decode()


def test_a_look_up_answers_a_few_matches_among_thousands(big, viewer):
    results = viewer.get("/lookup/organisation/", {"q": "bio organisation"}).json()["results"]
    assert 0 < len(results) <= 15


def test_past_the_counted_rows_a_list_says_more_and_stops_paging(big, viewer, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "limit", 1000)
    response = viewer.get(reverse("events:meeting-list"), {"page": "9999"})
    paginator = response.context["page_obj"].paginator
    assert paginator.more and paginator.count == 1000
    assert response.context["page_obj"].number == 20  # the last of the counted pages
    assert "More than 1,000 results" in response.content.decode()


def test_a_deep_page_shows_the_rows_of_that_page_in_order(big, viewer):
    response = viewer.get(reverse("events:meeting-list"), {"page": "40"})
    rows = response.context["object_list"]
    expected = list(Meeting.objects.order_by("-date", "-pk")[39 * 50 : 40 * 50])
    assert [m.pk for m in rows] == [m.pk for m in expected]


# Each list, with a word a few of its rows match.
SEARCHED_LISTS = {
    "partners:organisation-list": "0042",
    "partners:person-list": "tamm 42",
    "events:event-list": "042",
    "events:meeting-list": "0042",
}


@pytest.mark.parametrize(("url_name", "rare"), SEARCHED_LISTS.items())
def test_a_list_searches_a_common_word_in_as_many_queries_as_a_rare_one(
    big, viewer, monkeypatch, url_name, rare
):
    monkeypatch.setattr(search, "FEW_MATCHES", 100)  # under the 300 events' "bio"
    url = reverse(url_name)
    common_count = viewer.get(url, {"q": "bio"}).context["page_obj"].paginator.count
    rare_count = viewer.get(url, {"q": rare}).context["page_obj"].paginator.count
    assert common_count > search.FEW_MATCHES >= rare_count > 0
    # The list's own queries and one more: whether a few match, and which.
    common, rare = queries_for(viewer, f"{url}?q=bio"), queries_for(viewer, f"{url}?q={rare}")
    assert common == rare == LIST_QUERIES[url_name] + 1


def test_the_search_page_runs_as_many_queries_for_a_common_word_as_for_a_rare_one(big, viewer):
    url = reverse("search")
    # Per section (six): whether a few match, then the first results; a section none
    # match asks nothing more.
    assert queries_for(viewer, f"{url}?q=bio") == 16
    assert queries_for(viewer, f"{url}?q=0042") <= 16
