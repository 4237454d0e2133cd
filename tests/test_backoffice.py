"""The admin as editors use it: the index shows the records they work with, forms put
what matters first and take dates as precise as known, and Save leads back to the site."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from core.models import DatePrecision
from core.partial_dates import parse_partial_date, show_partial_date
from partners.models import Partnership
from tests.factories import make_organisation, make_partnership

pytestmark = pytest.mark.django_db
DAY, MONTH, YEAR = DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR
RECORDS = ["Organisations", "People", "Partnerships", "Events", "Meetings", "Projects"]
TECHNICAL = ["Organisation aliases", "Organisation figures", "Participations", "Source reports"]


def index_models(client):
    response = client.get(reverse("admin:index"))
    return [model["name"] for app in response.context["app_list"] for model in app["models"]]


class TestTheIndex:
    def test_editors_see_the_records_they_work_with_not_technical_tables(self, client, make_user):
        client.force_login(make_user("Editor"))
        shown = index_models(client)
        assert set(RECORDS) <= set(shown)
        assert "Meeting-log imports" in shown
        assert not set(TECHNICAL) & set(shown), shown

    def test_administrators_still_see_every_table(self, admin_client):
        assert set(TECHNICAL) <= set(index_models(admin_client))

    def test_technical_pages_still_open_for_editors_from_links(self, client, make_user):
        client.force_login(make_user("Editor"))
        assert client.get(reverse("admin:partners_organisationalias_changelist")).status_code == 200

    def test_every_app_and_model_name_is_in_french(self, admin_client):
        apps = admin_client.get(reverse("admin:index")).context["app_list"]
        names = [app["name"] for app in apps]
        names += [model["name"] for app in apps for model in app["models"]]
        untranslated = []
        same_word_in_both = {"Organisations", "Participations", "API"}
        # django-otp names its device models in English only (a plain string, in its own
        # migrations): the administrators who see them get them under a translated app name.
        same_word_in_both |= {"TOTP devices", "Static devices"}
        for name in names:
            with translation.override("en"):
                english = str(name)
            with translation.override("fr"):
                if str(name) == english and english not in same_word_in_both:
                    untranslated.append(english)
        assert untranslated == []


class TestPartialDates:
    @pytest.mark.parametrize(
        ("typed", "expected"),
        [
            ("2020", (datetime.date(2020, 1, 1), YEAR)),
            ("June 2022", (datetime.date(2022, 6, 1), MONTH)),
            ("juin 2022", (datetime.date(2022, 6, 1), MONTH)),
            ("Déc. 2022", (datetime.date(2022, 12, 1), MONTH)),
            ("2022-06", (datetime.date(2022, 6, 1), MONTH)),
            ("06/2022", (datetime.date(2022, 6, 1), MONTH)),
            ("2022-06-14", (datetime.date(2022, 6, 14), DAY)),
            ("  ", (None, DAY)),
        ],
    )
    def test_a_date_is_taken_as_precise_as_it_is_typed(self, typed, expected):
        assert parse_partial_date(typed) == expected

    @pytest.mark.parametrize("typed", ["June", "Juneteenth 2022", "2022-13", "soon"])
    def test_anything_else_is_refused_saying_what_is_accepted(self, typed):
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError, match="Enter a year"):
            parse_partial_date(typed)

    def test_a_date_is_shown_as_it_was_typed(self):
        assert show_partial_date(datetime.date(2020, 1, 1), YEAR) == "2020"
        assert show_partial_date(datetime.date(2022, 6, 1), MONTH) == "June 2022"
        with translation.override("fr"):
            assert show_partial_date(datetime.date(2022, 6, 1), MONTH) == "juin 2022"

    def test_what_is_shown_reads_back_as_the_same_date(self):
        june, the_14th = datetime.date(2022, 6, 1), datetime.date(2022, 6, 14)
        for value, precision in [(june, MONTH), (the_14th, DAY)]:
            for language in ("en", "fr"):
                with translation.override(language):
                    shown = show_partial_date(value, precision)
                    assert parse_partial_date(shown) == (value, precision), shown


def partnership_form(organisation, **fields):
    return {
        "organisation": organisation.pk,
        "type": Partnership.Type.COOPERATION,
        "status": Partnership.Status.ACTIVE,
        "title": "Exchange of students",
        "start": "",
        "end": "",
        **fields,
    }


class TestThePartnershipForm:
    def test_it_starts_with_organisation_type_and_status_and_defaults_to_in_discussion(
        self, admin_client
    ):
        form = admin_client.get(reverse("admin:partners_partnership_add")).context["adminform"]
        assert list(form.form.fields)[:4] == ["organisation", "type", "status", "title"]
        assert form.form["status"].value() == Partnership.Status.IN_DISCUSSION

    def test_a_month_typed_as_words_is_stored_with_its_precision(self, admin_client):
        tartu = make_organisation("Tartu")
        admin_client.post(
            reverse("admin:partners_partnership_add"), partnership_form(tartu, start="June 2022")
        )
        partnership = tartu.partnerships.get()
        assert (partnership.start_date, partnership.start_precision) == (
            datetime.date(2022, 6, 1),
            MONTH,
        )

    def test_the_change_form_shows_a_year_as_a_year(self, admin_client):
        partnership = make_partnership(start_date=datetime.date(2020, 1, 1), start_precision=YEAR)
        url = reverse("admin:partners_partnership_change", args=[partnership.pk])
        assert 'name="start" value="2020"' in admin_client.get(url).content.decode()

    def test_a_bad_date_is_an_error_beside_the_box_and_nothing_is_saved(self, admin_client):
        tartu = make_organisation("Tartu")
        response = admin_client.post(
            reverse("admin:partners_partnership_add"), partnership_form(tartu, start="soon")
        )
        assert response.status_code == 200
        assert "Enter a year (2020), a month (June 2022)" in response.content.decode()
        assert not tartu.partnerships.exists()

    def test_an_end_before_the_start_is_refused(self, admin_client):
        tartu = make_organisation("Tartu")
        response = admin_client.post(
            reverse("admin:partners_partnership_add"),
            partnership_form(tartu, start="2022", end="2020"),
        )
        assert "The end date cannot be before the start date." in response.content.decode()


class TestSaving:
    def test_save_returns_to_the_records_page_on_the_site_with_a_message(self, admin_client):
        tartu = make_organisation("Tartu")
        response = admin_client.post(
            reverse("admin:partners_partnership_add"), partnership_form(tartu), follow=True
        )
        assert response.redirect_chain[-1][0] == tartu.get_absolute_url() + "#partnerships-heading"
        assert "“Tartu — Exchange of students” was saved." in response.content.decode()

    def test_save_and_continue_stays_in_the_admin(self, admin_client):
        tartu = make_organisation("Tartu")
        response = admin_client.post(
            reverse("admin:partners_partnership_add"), {**partnership_form(tartu), "_continue": "1"}
        )
        assert response["Location"].startswith("/admin/partners/partnership/")
