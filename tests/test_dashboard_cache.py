"""The dashboard and the annual report are computed once per version of the records they
read (core.caching), and an edit still shows at the next load, whichever way it came in:
the admin, the quick meeting form, an import, a delete, a merge.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from core.caching import data_version
from events.follow_ups.models import FollowUp
from events.models import Event, Meeting
from partners.merging import merge
from partners.models import Organisation, Partnership
from projects.models import Milestone, Project
from tests.factories import make_meeting, make_organisation
from tests.imports.conftest import DATA
from tests.pages import queries_for
from tests.test_dashboard import comparison, dashboard, section

pytestmark = pytest.mark.django_db
URL = reverse("home")


def figure(client, label, year=2022):
    return comparison(dashboard(client, year=year))[label][year][0]


@pytest.fixture
def editor_client(client, make_user):
    client.force_login(make_user("Editor", username="eve"))
    return client


class TestAnEditShowsAtTheNextLoad:
    def test_through_the_admin(self, admin_client, report_data):
        before = figure(admin_client, "Partnerships started")
        response = admin_client.post(
            reverse("admin:partners_partnership_add"),
            {
                "organisation": make_organisation("Kuressaare Biolabs").pk,
                "type": Partnership.Type.COOPERATION,
                "status": Partnership.Status.ACTIVE,
                "title": "Soft landing",
                "start": "2022-03-01",
                "end": "",
                "notes": "",
            },
        )
        assert response.status_code == 302, response.context["adminform"].form.errors
        assert figure(admin_client, "Partnerships started") == before + 1

    def test_through_the_quick_meeting_form(self, editor_client, report_data):
        before = figure(editor_client, "Meetings logged")
        response = editor_client.post(
            reverse("events:log-meeting"),
            {
                "date": "2022-09-01",
                "organisation": make_organisation("Kuressaare Biolabs").pk,
                "topic": "Soft landing",
                "new-TOTAL_FORMS": "3",
                "new-INITIAL_FORMS": "0",
            },
        )
        assert response.status_code == 302
        assert figure(editor_client, "Meetings logged") == before + 1

    def test_through_an_import(self, viewer_client, report_data):
        from events.importing import import_meeting_log

        before = figure(viewer_client, "Meetings logged")
        name = "en_utf8_bom_comma.csv"
        with (DATA / name).open("rb") as stream:
            report = import_meeting_log(stream=stream, file_name=name)
        created = Meeting.objects.filter(import_record=report.record, date__year=2022).count()
        assert created > 0
        assert figure(viewer_client, "Meetings logged") == before + created

    def test_through_an_undone_import(self, viewer_client, report_data):
        from events.importing import import_meeting_log, undo_import

        name = "en_utf8_bom_comma.csv"
        before = figure(viewer_client, "Meetings logged")
        with (DATA / name).open("rb") as stream:
            report = import_meeting_log(stream=stream, file_name=name)
        assert figure(viewer_client, "Meetings logged") > before
        undo_import(record=report.record, user=None)
        assert figure(viewer_client, "Meetings logged") == before

    def test_through_a_delete_in_the_admin(self, admin_client, report_data):
        meeting = Meeting.objects.filter(date__year=2022).first()
        before = figure(admin_client, "Meetings logged")
        url = reverse("admin:events_meeting_delete", args=[meeting.pk])
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
        assert figure(admin_client, "Meetings logged") == before - 1

    def test_through_a_merge(self, viewer_client, report_data):
        keep, other = make_organisation("Keep Bio"), make_organisation("Other Bio")
        for day in (1, 2):
            make_meeting(keep, date=datetime.date(2022, 3, day))
            make_meeting(other, date=datetime.date(2022, 4, day))
        before = figure(viewer_client, "Organisations met")
        merge(keep=keep, other=other)
        assert figure(viewer_client, "Organisations met") == before - 1

    def test_of_a_follow_up_closed_on_the_dashboard(self, viewer_client, report_data):
        meeting = make_meeting(make_organisation("Zyxwv Ventures"))
        task = FollowUp.objects.create(meeting=meeting, what="Send the deck")
        assert "Send the deck" in section(dashboard(viewer_client), "meetings-heading")
        task.mark_done(None)
        task.save()
        assert "Send the deck" not in section(dashboard(viewer_client), "meetings-heading")

    def test_of_the_annual_report(self, viewer_client, report_data):
        url = reverse("report", args=[2022])
        assert "Kuressaare Biolabs" not in viewer_client.get(url).content.decode()
        Partnership.objects.create(
            organisation=make_organisation("Kuressaare Biolabs"),
            type=Partnership.Type.COOPERATION,
            status=Partnership.Status.ACTIVE,
            title="Soft landing",
            start_date=datetime.date(2022, 3, 1),
        )
        assert "Kuressaare Biolabs" in viewer_client.get(url).content.decode()


class TestTheDataVersion:
    def test_it_changes_with_a_record_created_changed_or_deleted(self, db):
        versions = [data_version([Organisation])]
        organisation = make_organisation("BioWin")
        versions.append(data_version([Organisation]))
        organisation.city = "Mons"
        organisation.save()
        versions.append(data_version([Organisation]))
        organisation.delete()
        versions.append(data_version([Organisation]))
        assert len({v.value for v in versions}) == 4
        # Each write's id is the last taken (before the first, on PostgreSQL, an earlier
        # test's rolled-back writes may have taken ids no row shows).
        assert all(v.settled for v in versions[1:])

    def test_it_changes_with_a_record_written_without_history(self, db):
        before = data_version([Organisation])
        Organisation.objects.bulk_create([Organisation(name="Loaded like a fixture")])
        assert data_version([Organisation]) != before

    def test_it_is_one_query(self, db, django_assert_num_queries):
        with django_assert_num_queries(1):
            data_version([Event, Meeting, Organisation, Project, Milestone])

    @pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's sequences")
    def test_it_is_unsettled_while_a_history_id_is_taken_and_not_committed(self, db):
        make_organisation("BioWin")
        history = Organisation.history.model._meta.db_table
        with connection.cursor() as cursor:  # what a concurrent write in flight does
            cursor.execute(f"SELECT nextval(pg_get_serial_sequence('{history}', 'history_id'))")
        assert not data_version([Organisation]).settled


class TestWhatTheCacheDependsOn:
    def test_a_cached_dashboard_reads_only_the_version_and_the_readers_own_panels(
        self, viewer_client, report_data
    ):
        first = queries_for(viewer_client, URL)
        cached = queries_for(viewer_client, URL)
        # The session, the user and their permissions (4), the version (1), my follow-ups
        # (the rows, the counts' version) and my saved views: none of the figures' queries.
        assert (first, cached) == (27, 8)

    def test_a_cached_report_reads_only_the_version_and_its_sources(
        self, viewer_client, report_data
    ):
        url = reverse("report", args=[2022])
        first = queries_for(viewer_client, url)
        # The session, the user and their permissions (4), the version and the sources.
        assert (first, queries_for(viewer_client, url)) == (17, 6)

    def test_a_reader_without_a_permission_never_gets_the_panel_cached_for_another(
        self, client, make_user, report_data
    ):
        viewer = make_user("Viewer", username="vera")
        # Rita reads what a Viewer reads but partnerships.
        restricted = make_user(username="rita")
        restricted.user_permissions.set(
            Group.objects.get(name="Viewer").permissions.exclude(codename="view_partnership")
        )
        client.force_login(viewer)
        assert 'id="partnerships-heading"' in dashboard(client)
        client.force_login(restricted)
        content = dashboard(client)
        assert "Events attended" in content
        assert 'id="partnerships-heading"' not in content
        assert "Partnerships started" not in content

    def test_each_year_is_its_own_page(self, viewer_client, report_data):
        assert "International activity in 2021" in dashboard(viewer_client, year=2021)
        assert "International activity in 2022" in dashboard(viewer_client, year=2022)

    def test_each_language_is_its_own_page(self, viewer_client, report_data):
        assert "Events attended" in dashboard(viewer_client)
        french = viewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
        assert "Événements suivis" in french
        english = viewer_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert "Events attended" in english

    def test_upcoming_events_follow_the_date(self, viewer_client, report_data, monkeypatch):
        from django.utils import timezone

        event = Event.objects.create(name="Tomorrow's convention", start_date=_tomorrow())
        assert "Tomorrow&#x27;s convention" in section(dashboard(viewer_client), "events-heading")
        # The day after, without any edit, it is no longer upcoming.
        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: event.start_date)
        assert "Tomorrow" not in section(dashboard(viewer_client), "events-heading")

    def test_a_typing_mistake_in_the_year_is_explained_whoever_asked_first(
        self, viewer_client, report_data
    ):
        assert "“20x2” is not a year" in dashboard(viewer_client, year="20x2")
        assert "“abc” is not a year" in dashboard(viewer_client, year="abc")
        assert "is not a year" not in dashboard(viewer_client)


def _tomorrow():
    from django.utils import timezone

    return timezone.localdate() + datetime.timedelta(days=1)
