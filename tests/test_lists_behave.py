"""Lists that behave: shared links carry only the filters in use, titles name them, and
no parameter, however odd, breaks a page."""

import datetime

import pytest
from django.urls import resolve, reverse

from tests.factories import make_event, make_meeting, make_organisation, make_partnership
from tests.pages import listed

pytestmark = pytest.mark.django_db
ORGANISATIONS = reverse("partners:organisation-list")
MEETINGS = reverse("events:meeting-list")
LIST_NAMES = ["partners:organisation-list", "partners:person-list", "partners:partnership-list",
              "events:event-list", "events:meeting-list", "projects:project-list"]  # fmt: skip
HOSTILE = ["'", '"><script>alert(1)</script>', "\x00", "-1", "0", "99999999999999999999",
           "1e309", "NaN", "../../etc/passwd", "%", "_", "ZZ", "😀", "x" * 5000, "2022-02-30",
           "true", "[]", "-", "--name", " "]  # fmt: skip


class TestSharedLinks:
    def test_empty_fields_are_dropped_from_the_url(self, viewer_client):
        response = viewer_client.get(ORGANISATIONS, {"q": "", "kind": "cluster", "sort": ""})
        assert response.status_code == 302
        assert response["Location"] == f"{ORGANISATIONS}?kind=cluster"

    def test_a_form_with_nothing_chosen_leads_to_the_bare_list(self, viewer_client):
        response = viewer_client.get(ORGANISATIONS, {"q": "", "sort": ""})
        assert response["Location"] == ORGANISATIONS

    def test_the_page_title_names_the_filters(self, viewer_client):
        make_organisation("Kobe Biomedical Innovation Cluster", country="JP")
        response = viewer_client.get(ORGANISATIONS, {"kind": "cluster", "country": "JP"})
        assert "<title>Organisations · Cluster · Japan · Genopole CRM</title>" in (
            response.content.decode()
        )


class TestBadParameters:
    def test_an_unknown_sort_falls_back_to_the_default_order_and_says_so(self, viewer_client):
        make_organisation("Zeta"), make_organisation("Alpha")
        response = viewer_client.get(ORGANISATIONS, {"sort": "shoe-size"})
        assert listed(response) == ["Alpha", "Zeta"]
        assert "That sort order is unknown: showing the default order." in response.content.decode()

    def test_a_page_that_is_not_a_number_shows_the_first_page(self, viewer_client):
        make_organisation("Alpha")
        response = viewer_client.get(ORGANISATIONS, {"page": "two"})
        assert response.context["page_obj"].number == 1 and listed(response) == ["Alpha"]

    def test_a_page_past_the_end_shows_the_last_page(self, viewer_client):
        for number in range(51):
            make_organisation(f"Organisation {number:02}")
        response = viewer_client.get(ORGANISATIONS, {"page": "9"})
        assert response.context["page_obj"].number == 2
        assert listed(response) == ["Organisation 50"]

    def test_an_unreadable_yes_no_value_is_an_error_beside_the_filter(self, viewer_client):
        make_organisation("Alpha")
        response = viewer_client.get(ORGANISATIONS, {"active_partnership": "maybe"})
        assert "active_partnership" in response.context["filter"].form.errors
        assert listed(response) == ["Alpha"]

    def test_a_reversed_date_range_is_swapped_and_said_so(self, viewer_client):
        make_meeting(make_organisation("BioWin"), date=datetime.date(2022, 6, 14))
        response = viewer_client.get(MEETINGS, {"date_from": "2022-12-31", "date_to": "2022-01-01"})
        assert [m.organisation.name for m in response.context["object_list"]] == ["BioWin"]
        assert "The dates were the wrong way round" in response.content.decode()

    @pytest.mark.parametrize("list_name", LIST_NAMES)
    def test_no_value_breaks_a_list(self, viewer_client, list_name):
        """Every parameter of the list's filters, the sort, the page and the export, each
        given each hostile value: the page answers (200, or 302 to a cleaner URL)."""
        make_meeting(make_organisation("BioWin"), event=make_event())
        url = reverse(list_name)
        filters = list(resolve(url).func.view_class.filterset_class.base_filters)
        for value in HOSTILE:
            every_filter = {name: value for name in filters}
            for query in [every_filter, {"page": value}, {"sort": value}, {"export": value}]:
                response = viewer_client.get(url, query)
                assert response.status_code in (200, 302), (query, response.status_code)


class TestApproximateDates:
    def test_a_month_precise_meeting_is_possibly_in_a_day_within_that_month(self, viewer_client):
        biowin = make_organisation("BioWin")
        make_meeting(biowin, date=datetime.date(2022, 6, 1), date_precision="month")
        make_meeting(make_organisation("Flanders"), date=datetime.date(2022, 6, 16))
        response = viewer_client.get(MEETINGS, {"date_from": "2022-06-15", "date_to": "2022-06-15"})
        assert [m.organisation.name for m in response.context["object_list"]] == ["BioWin"]
        assert "(possibly in these dates)" in response.content.decode()

    def test_a_year_precise_meeting_wholly_inside_the_range_is_not_marked(self, viewer_client):
        make_meeting(date=datetime.date(2022, 1, 1), date_precision="year")
        response = viewer_client.get(MEETINGS, {"date_from": "2021-01-01", "date_to": "2023-01-01"})
        assert len(response.context["object_list"]) == 1
        assert "possibly in these dates" not in response.content.decode()

    def test_a_month_before_the_range_is_not_matched(self, viewer_client):
        make_meeting(date=datetime.date(2022, 5, 1), date_precision="month")
        response = viewer_client.get(MEETINGS, {"date_from": "2022-06-01"})
        assert list(response.context["object_list"]) == []

    def test_a_column_of_dates_of_mixed_precision_reads_in_one_style(self, viewer_client):
        make_meeting(date=datetime.date(2022, 12, 15))
        make_meeting(date=datetime.date(2022, 11, 1), date_precision="month")
        content = viewer_client.get(MEETINGS).content.decode()
        assert ">15 December 2022</a>" in content and ">November 2022</a>" in content


class TestPagesInOrder:
    """Page after page, a list shows each of its rows once, in its order, whatever the sort
    (the first page, with no parameter at all, included): empty values, ties and all."""

    @pytest.fixture
    def partnerships(self):
        names = ["BioWin", "Tartu Biotechnology Park", "Kawasaki LiSE", "BioWin Labs"]
        organisations = [make_organisation(name) for name in names]
        for number in range(120):
            start = datetime.date(2010 + number % 5, 1 + number % 12, 1)
            make_partnership(organisations[number % 4], title=f"Agreement {number:03}",
                             start_date=None if number % 7 == 0 else start)  # fmt: skip

    @pytest.mark.parametrize("sort", ["", "start", "-start", "organisation", "-title"])
    def test_every_page_holds_the_rows_read_in_order_from_the_start(
        self, viewer_client, partnerships, sort
    ):
        url, query = reverse("partners:partnership-list"), {"sort": sort} if sort else {}
        first = viewer_client.get(url, query)
        in_order = list(first.context["paginator"].object_list.values_list("pk", flat=True))
        pages = [first] + [viewer_client.get(url, {**query, "page": n}) for n in (2, 3)]
        assert [row.pk for page in pages for row in page.context["object_list"]] == in_order
        assert len(in_order) == 120
