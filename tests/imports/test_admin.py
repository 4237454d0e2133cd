"""The admin's import (upload, preview, confirm), export, and import records, by role."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from events.follow_ups.models import FollowUp
from events.models import ImportPreview, ImportRecord, Meeting
from tests.helpers import log_in
from tests.imports.conftest import DATA

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:events_meeting_changelist")
IMPORT = reverse("admin:events_meeting_import")
CONFIRM = reverse("admin:events_meeting_process_import")
EXPORT = reverse("admin:events_meeting_export")


def logged_in(client, user):
    log_in(client, user)
    return client


def upload(client, name, **fields):
    content = (DATA / name).read_bytes()
    return client.post(
        IMPORT,
        {"format": "0", "import_file": SimpleUploadedFile(name, content), **fields},
    )


def confirm(client, preview, **changes):
    form = preview.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    data["default_event"] = data["default_event"] or ""
    return client.post(CONFIRM, {**data, **changes})


@pytest.fixture(autouse=True)
def upload_dir(tmp_path, monkeypatch):
    """Uploads waiting for confirmation go to this test's own folder, not the system's."""
    import tempfile

    folder = tmp_path / "uploads"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.fixture
def importer(client, make_user, report_data):
    return logged_in(client, make_user("Importer"))


# --- Who may import --------------------------------------------------------------------


@pytest.mark.parametrize("role", ["Viewer", "Editor"])
def test_viewers_and_editors_see_no_import_button(client, make_user, role):
    response = logged_in(client, make_user(role)).get(CHANGELIST)
    assert response.status_code == 200
    assert IMPORT not in response.content.decode()


@pytest.mark.parametrize("role", ["Viewer", "Editor"])
def test_viewers_and_editors_cannot_open_the_import(client, make_user, role):
    assert logged_in(client, make_user(role)).get(IMPORT).status_code == 403


@pytest.mark.parametrize("role", ["Viewer", "Editor"])
def test_viewers_and_editors_cannot_upload_or_confirm(client, make_user, report_data, role):
    logged_in(client, make_user(role))
    assert upload(client, "overlap_a.csv").status_code == 403
    assert client.post(CONFIRM, {}).status_code == 403
    assert ImportRecord.objects.count() == 0


def test_importers_see_the_import_button(importer):
    assert IMPORT in importer.get(CHANGELIST).content.decode()


def test_importers_open_the_import_form(importer):
    response = importer.get(IMPORT)
    assert response.status_code == 200
    assert "Event for lines without one" in response.content.decode()


def test_the_import_page_lists_the_columns_a_log_may_have(importer):
    page = importer.get(IMPORT).content.decode()
    columns = (
        "date, event, organisation, contacts, topic, notes, follow-up, follow-up due date, status"
    )
    assert f"<code>{columns}</code>" in page


# --- Upload, preview, confirm ------------------------------------------------------------


def test_uploading_shows_a_preview_and_writes_nothing(importer):
    before = Meeting.objects.count()
    response = upload(importer, "fr_excel_cp1252.csv")
    assert response.status_code == 200
    assert response.context["result"].report.created == 3
    assert "Confirm import" in response.content.decode()
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before, 0)


def test_the_preview_lists_new_contacts(importer):
    response = upload(importer, "partnering_export.csv")
    assert "Kadri Tamm (Tartu BT Park)" in response.content.decode()


def test_confirming_imports_the_previewed_file(importer):
    before = Meeting.objects.count()
    response = confirm(importer, upload(importer, "fr_excel_cp1252.csv"))
    assert response.status_code == 302
    assert Meeting.objects.count() == before + 3


def test_the_admin_import_is_recorded_for_the_importer(importer):
    confirm(importer, upload(importer, "fr_excel_cp1252.csv"))
    record = ImportRecord.objects.get()
    assert (record.user.username, record.source, record.created) == ("importer", "admin", 3)


def test_the_admin_import_history_is_attributed_to_the_importer(importer):
    confirm(importer, upload(importer, "fr_excel_cp1252.csv"))
    users = Meeting.history.filter(history_type="+", import_record__isnull=False)
    assert set(users.values_list("history_user__username", flat=True)) == {"importer"}


def test_after_confirming_the_message_links_to_the_import_record(importer):
    response = confirm(importer, upload(importer, "fr_excel_cp1252.csv"))
    page = importer.get(response.url).content.decode()
    record = ImportRecord.objects.get()
    assert "3 new, 0 unchanged, 0 skipped, 1 new contacts" in page
    assert reverse("admin:events_importrecord_change", args=[record.pk]) in page


def test_the_event_chosen_on_the_form_applies_to_lines_without_one(importer):
    from events.models import Event

    event = Event.objects.get(name="BIO-Europe 2022")
    preview = upload(importer, "partnering_export.csv", default_event=event.pk)
    confirm(importer, preview)
    assert set(ImportRecord.objects.get().meetings.values_list("event", flat=True)) == {event.pk}


def test_an_xlsx_workbook_goes_through_the_same_flow(importer):
    confirm(importer, upload(importer, "meetings.xlsx"))
    assert ImportRecord.objects.get().created == 2


def test_a_file_with_errors_lists_every_bad_line_and_offers_no_confirmation(importer):
    response = upload(importer, "unknown_names.csv")
    page = response.content.decode()
    assert "3 lines have errors" in page
    assert page.count("<td>Organisation</td>") == 2 and page.count("<td>Event</td>") == 1
    assert "Confirm import" not in page


def test_the_error_table_names_the_spreadsheet_row_and_the_file_line_when_they_differ(
    importer,
):
    # Mac Roman, bare CR: a title row, then a note over two lines; the bad date is on row 5.
    page = upload(importer, "mac_roman_cr_title_multiline.csv").content.decode()
    assert "<th>Row</th>" in page
    assert "<td>5 (file line 6)</td>" in page


def test_a_file_that_is_not_a_log_says_why(importer):
    response = upload(importer, "binary.csv")
    assert "This is not a text file" in response.content.decode()


def test_a_forged_confirmation_imports_nothing(importer):
    preview = upload(importer, "overlap_a.csv")
    response = confirm(importer, preview, import_file_name="../../etc/passwd")
    assert response.status_code == 200
    assert "expired or was altered" in response.content.decode()
    assert ImportRecord.objects.count() == 0


def test_the_event_cannot_be_changed_between_preview_and_confirmation(importer):
    from events.models import Event

    preview = upload(importer, "partnering_export.csv")
    other = Event.objects.get(name="BIO-Europe 2022")
    response = confirm(importer, preview, default_event=other.pk)
    assert "expired or was altered" in response.content.decode()
    assert ImportRecord.objects.count() == 0


def test_someone_elses_preview_cannot_be_confirmed(importer, client, make_user):
    preview = upload(importer, "overlap_a.csv")
    form = preview.context["confirm_form"]
    data = {name: form[name].value() or "" for name in form.fields}
    other = logged_in(client, make_user("Importer", username="other-importer"))
    response = other.post(CONFIRM, data)
    assert "expired or was altered" in response.content.decode()
    assert ImportRecord.objects.count() == 0


def test_confirming_after_the_data_changed_shows_the_errors_and_writes_nothing(importer):
    from partners.models import OrganisationAlias

    preview = upload(importer, "fr_excel_cp1252.csv")
    OrganisationAlias.objects.filter(name="Tartù Biocluster").delete()
    response = confirm(importer, preview)
    assert response.status_code == 200
    assert "Tartù Biocluster" in response.content.decode()
    assert ImportRecord.objects.count() == 0


# --- Hostile content ----------------------------------------------------------------------


def test_the_preview_shows_script_in_cells_as_text(importer):
    page = upload(importer, "hostile.csv").content.decode()
    assert "&lt;script&gt;alert(&quot;topic&quot;)&lt;/script&gt;" in page
    assert '<script>alert("topic")' not in page
    assert "<img src=x" not in page


def test_the_error_report_shows_script_in_cells_as_text(importer):
    page = upload(importer, "hostile_unknown.csv").content.decode()
    assert "&lt;script&gt;alert(&quot;org&quot;)&lt;/script&gt;" in page
    assert '<script>alert("org")' not in page


# --- Upload limits ------------------------------------------------------------------------


def test_an_upload_over_the_size_limit_is_refused_with_a_clear_message(importer, settings):
    settings.IMPORT_MAX_UPLOAD_SIZE = 100
    response = upload(importer, "fr_excel_cp1252.csv")
    assert "larger than 100\xa0bytes, the most that can be imported at once" in (
        response.content.decode()
    )
    assert "Confirm import" not in response.content.decode()


def test_an_oversized_upload_is_dropped_while_it_arrives(importer, settings):
    # The upload handler stops storing the file past the limit: the form never receives it.
    settings.IMPORT_MAX_UPLOAD_SIZE = 100
    response = upload(importer, "fr_excel_cp1252.csv")
    assert "import_file" not in response.context["form"].files


@pytest.mark.parametrize("name", ["not_a_log.pdf", "old_excel.xls"])
def test_other_file_types_are_refused(importer, name):
    page = upload(importer, name).content.decode()
    assert "Only CSV, TSV, TXT or XLSX files can be imported" in page


def test_a_file_whose_content_does_not_match_its_name_is_refused(importer):
    content = (DATA / "meetings.xlsx").read_bytes()
    response = importer.post(
        IMPORT, {"format": "0", "import_file": SimpleUploadedFile("meetings.csv", content)}
    )
    assert "is not the kind of file its name says" in response.content.decode()


def test_a_file_with_errors_leaves_no_stored_copy(importer, upload_dir):
    upload(importer, "unknown_names.csv")
    assert (list(upload_dir.iterdir()), ImportPreview.objects.count()) == ([], 0)


def test_a_previewed_file_is_kept_for_its_confirmation_in_the_database(importer, upload_dir):
    upload(importer, "overlap_a.csv")
    assert (list(upload_dir.iterdir()), ImportPreview.objects.count()) == ([], 1)


def test_a_confirmed_import_leaves_no_stored_copy(importer, upload_dir):
    confirm(importer, upload(importer, "overlap_a.csv"))
    assert (list(upload_dir.iterdir()), ImportPreview.objects.count()) == ([], 0)


def test_previews_older_than_their_lifetime_are_dropped(importer, settings):
    upload(importer, "overlap_a.csv")
    ImportPreview.objects.update(created_at=timezone.now() - datetime.timedelta(hours=7))
    upload(importer, "overlap_b.csv")
    assert ImportPreview.objects.count() == 1


def test_the_total_kept_for_previews_is_bounded(importer, settings):
    size = len((DATA / "overlap_a.csv").read_bytes())
    settings.IMPORT_PREVIEW_MAX_TOTAL = 2 * size + 10
    for _ in range(4):
        upload(importer, "overlap_a.csv")
    assert ImportPreview.objects.count() == 2
    assert sum(ImportPreview.objects.values_list("size", flat=True)) <= 2 * size + 10


def test_an_expired_preview_cannot_be_confirmed(importer):
    preview = upload(importer, "overlap_a.csv")
    ImportPreview.objects.update(created_at=timezone.now() - datetime.timedelta(hours=7))
    response = confirm(importer, preview)
    assert response.status_code == 302
    assert ImportRecord.objects.count() == 0


def test_a_replayed_confirmation_imports_nothing_more_and_says_so(importer):
    preview = upload(importer, "overlap_a.csv")
    confirm(importer, preview)
    meetings = Meeting.objects.count()
    replay = confirm(importer, preview)
    assert replay.status_code == 302
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (meetings, 1)
    page = importer.get(replay["Location"]).content.decode()
    assert "This preview was already confirmed, or has expired" in page


def test_the_record_keeps_the_uploaded_name_whatever_the_confirmation_says(importer):
    confirm(importer, upload(importer, "overlap_a.csv"), original_file_name="forged.csv")
    assert ImportRecord.objects.get().file_name == "overlap_a.csv"


def test_the_reading_options_reach_the_import(importer, monkeypatch):
    from events.importing import adapter

    seen = {}
    real = adapter.import_meeting_log

    def spy(**kwargs):
        seen.update(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(adapter, "import_meeting_log", spy)
    preview = upload(importer, "overlap_a.csv", date_order="dmy", encoding="utf-8")
    assert (seen["date_order"], seen["encoding"]) == ("dmy", "utf-8")
    seen.clear()
    confirm(importer, preview, date_order="mdy", encoding="cp1252")  # the form's word is ignored
    assert (seen["date_order"], seen["encoding"]) == ("dmy", "utf-8")
    assert ImportRecord.objects.count() == 1


# --- Export ---------------------------------------------------------------------------------


@pytest.fixture
def hostile_meetings(import_file):
    import_file("hostile.csv")


def export(client, file_format):
    response = client.post(EXPORT, {"format": file_format, "resource": "0", **EXPORT_FIELDS})
    assert response.status_code == 200, response.content[:500]
    return response


EXPORT_FIELDS = {
    f"meetingresource_{name}": "on"
    for name in [
        "date",
        "event",
        "organisation",
        "contacts",
        "topic",
        "notes",
        "follow_up",
        "follow_up_status",
    ]
}


def test_the_csv_export_neutralises_formulas(client, make_user, hostile_meetings):
    body = export(logged_in(client, make_user("Viewer")), "0").getvalue().decode()  # streamed
    for cell in ["'=HYPERLINK(", "'@SUM(A1)", "'+33 1 60 87", "'-2+3"]:
        assert cell in body


def test_the_xlsx_export_neutralises_formulas(client, make_user, hostile_meetings):
    content = export(logged_in(client, make_user("Viewer")), "1").content
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = {cell.value for row in sheet.iter_rows() for cell in row}
    assert '\'=HYPERLINK("http://evil.example","click")' in cells
    assert not any(isinstance(v, str) and re.match(r"[=+@-]", v) for v in cells)


def test_the_export_leaves_stored_text_as_typed(client, make_user, hostile_meetings):
    export(logged_in(client, make_user("Viewer")), "0")
    assert FollowUp.objects.filter(what__startswith="=HYPERLINK").exists()


def test_an_admin_export_imports_back_with_every_meeting_unchanged(client, make_user, report_data):
    from events.importing import import_meeting_log

    body = export(logged_in(client, make_user("Viewer")), "0").getvalue()  # streamed
    report = import_meeting_log(stream=io.BytesIO(body), file_name="export.csv")
    assert (report.errors, report.created) == ([], 0)
    assert len(report.unchanged) == Meeting.objects.count()


def test_users_without_the_export_right_cannot_export(client, django_user_model, report_data):
    nobody = django_user_model.objects.create_user("nobody", is_staff=True)
    assert logged_in(client, nobody).post(EXPORT, {"format": "0"}).status_code == 403


# --- Import records -------------------------------------------------------------------------


@pytest.fixture
def record(import_file, make_user):
    return import_file("partnering_export.csv", user=make_user("Importer", "someone")).record


def record_url(record, action="change"):
    return reverse(f"admin:events_importrecord_{action}", args=[record.pk])


def test_importers_see_the_import_records(importer, record):
    response = importer.get(reverse("admin:events_importrecord_changelist"))
    assert "partnering_export.csv" in response.content.decode()


def test_the_record_page_links_to_the_meetings_it_created(importer, record):
    page = importer.get(record_url(record)).content.decode()
    link = reverse("admin:events_meeting_changelist") + f"?import_record={record.pk}"
    assert link in page
    assert importer.get(link).context["cl"].result_count == 2


def test_the_record_page_names_the_contacts_it_created(importer, record):
    assert "Kadri Tamm" in importer.get(record_url(record)).content.decode()


def test_importers_cannot_undo_an_import(importer, record):
    assert "Undo this import" not in importer.get(record_url(record)).content.decode()
    assert importer.post(record_url(record, "undo")).status_code == 403
    assert record.meetings.count() == 2


def test_administrators_are_asked_before_undoing(client, make_user, record):
    admin = logged_in(client, make_user("Administrator"))
    page = admin.get(record_url(record, "undo")).content.decode()
    assert "Undoing deletes the 2 meetings this import created." in page
    assert record.meetings.count() == 2


def test_administrators_undo_an_import_from_its_record(client, make_user, record):
    admin = logged_in(client, make_user("Administrator"))
    assert "Undo this import" in admin.get(record_url(record)).content.decode()
    response = admin.post(record_url(record, "undo"))
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_undone and not Meeting.objects.filter(import_record=record).exists()


@pytest.mark.parametrize("action", ["add", "delete"])
def test_import_records_cannot_be_added_or_deleted_in_the_admin(client, make_user, record, action):
    admin = logged_in(client, make_user("Administrator"))
    url = (
        reverse("admin:events_importrecord_add")
        if action == "add"
        else record_url(record, "delete")
    )
    assert admin.get(url).status_code == 403


def test_import_records_are_read_only_in_the_admin(client, make_user, record):
    admin = logged_in(client, make_user("Administrator"))
    response = admin.post(record_url(record), {"file_name": "forged.csv"})
    assert response.status_code == 403
    record.refresh_from_db()
    assert record.file_name == "partnering_export.csv"


# --- The verdict ----------------------------------------------------------------------------


def test_the_preview_gives_the_verdict_then_the_lines_then_the_confirm_button(importer):
    page = upload(importer, "partnering_export.csv").content.decode()
    verdict = page.index('class="import-verdict"')
    details = page.index('class="import-preview import-new-meetings"')
    button = page.index('value="Confirm import"')
    assert verdict < details < button
    for outcome in ("new", "completed", "unchanged", "skipped", "contacts"):
        assert f'class="count-{outcome}"' in page


def test_a_file_with_errors_shows_no_figures_of_what_would_be_created(importer):
    page = upload(importer, "unknown_names.csv").content.decode()
    assert 'class="count-errors">3<' in page
    assert 'class="count-new"' not in page and "will be created" not in page
    assert 'class="count-contacts"' not in page


def test_the_preview_lists_the_meetings_a_file_completes_with_their_fields(importer):
    page = upload(importer, "matches_report_meeting.csv").content.decode()
    assert 'class="count-completed">1<' in page
    assert "recorded in the CRM to the month (June 2022)" in page
    assert "date, follow-up" in page  # Merck's follow-up was empty; its topic and notes kept


def test_the_import_record_page_lists_the_meetings_it_completed(importer):
    confirm(importer, upload(importer, "matches_report_meeting.csv"))
    record = ImportRecord.objects.get()
    page = importer.get(reverse("admin:events_importrecord_change", args=[record.pk]))
    assert "row 2" in page.content.decode() and record.completed == 1


def test_the_upload_form_offers_the_command_s_reading_options(importer):
    page = importer.get(IMPORT).content.decode()
    assert 'name="date_order"' in page and 'name="encoding"' in page
    assert 'name="default_event"' in page
