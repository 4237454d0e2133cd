"""`manage.py import_meetings PATH [--dry-run]`: the service's summary, and an exit status."""

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from events.models import ImportRecord, Meeting
from tests.imports.conftest import DATA
from tests.imports.test_errors import BAD_FILES

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent.parent


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_meetings", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_a_log_and_prints_the_summary(report_data):
    out, _ = run(str(DATA / "repeated_lines.csv"))
    assert "repeated_lines.csv (UTF-8 text, semicolon-separated): 3 meeting lines" in out
    assert "        1  new\n" in out
    assert "        2  skipped (repeat an earlier line)\n" in out
    assert "Recorded as import #" in out


def test_the_summary_lists_new_contacts_by_name(report_data):
    out, _ = run(str(DATA / "partnering_export.csv"))
    assert "new contact: Kadri Tamm (Tartu BT Park), row 3" in out


def test_the_summary_lists_columns_recognised_and_not_imported(report_data):
    out, _ = run(str(DATA / "partnering_export.csv"), "--dry-run")
    assert (
        "Columns recognised and not imported: “Table” (a table or place), “Start time” (a time)"
    ) in out
    assert "unknown headers" not in out


def test_a_dry_run_writes_nothing_and_says_so(report_data):
    before = Meeting.objects.count()
    out, _ = run(str(DATA / "fr_excel_cp1252.csv"), "--dry-run")
    assert "        3  would be new\n" in out
    assert "Dry run: the file is valid; nothing was written." in out
    assert (Meeting.objects.count(), ImportRecord.objects.count()) == (before, 0)


def test_line_errors_are_listed_on_stderr_and_fail_the_command(report_data):
    err = StringIO()
    with pytest.raises(CommandError, match="Nothing was imported: 3 lines have errors"):
        call_command(
            "import_meetings", str(DATA / "unknown_names.csv"), stdout=StringIO(), stderr=err
        )
    assert "row 2, Organisation “Tartu Biocluter”: No organisation has this name" in err.getvalue()


@pytest.mark.parametrize(("name", "message"), BAD_FILES)
def test_unusable_files_fail_the_command_with_the_reason(report_data, name, message):
    with pytest.raises(CommandError, match=message.split(" (")[0][:30]):
        run(str(DATA / name))


def test_a_missing_file_fails_the_command():
    with pytest.raises(CommandError, match="No such file"):
        run(str(DATA / "no-such-log.csv"))


def test_bad_input_exits_non_zero_without_a_traceback(tmp_path):
    # A real process: what someone at a terminal sees. The file is refused before any query,
    # so the (empty) database does not matter.
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}"}
    result = subprocess.run(
        [sys.executable, "manage.py", "import_meetings", str(DATA / "binary.csv")],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "CommandError: This is not a text file" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_import_is_recorded_for_the_user_given(report_data, make_user):
    importer = make_user("Importer")
    run(str(DATA / "overlap_a.csv"), "--user", importer.username)
    assert ImportRecord.objects.get().user == importer


def test_a_user_without_the_import_right_is_refused(report_data, make_user):
    editor = make_user("Editor")
    with pytest.raises(CommandError, match="may not import meeting logs"):
        run(str(DATA / "overlap_a.csv"), "--user", editor.username)


def test_an_unknown_user_is_refused(report_data):
    with pytest.raises(CommandError, match="No active user “ghost”"):
        run(str(DATA / "overlap_a.csv"), "--user", "ghost")


def test_the_event_option_applies_to_lines_without_one(report_data):
    run(str(DATA / "partnering_export.csv"), "--event", "bio-europe 2022")
    assert set(Meeting.objects.filter(date="2022-10-24").values_list("event__name", flat=True)) == {
        "BIO-Europe 2022"
    }


def test_an_unknown_event_option_is_refused(report_data):
    with pytest.raises(CommandError, match="No single event is called “BIO 2099”"):
        run(str(DATA / "partnering_export.csv"), "--event", "BIO 2099")


def test_the_progress_bar_goes_to_stderr(report_data):
    out, err = run(str(DATA / "overlap_a.csv"), "--progress")
    assert "overlap_a.csv: reading                   [##############################] 100%" in err
    assert "overlap_a.csv: writing                   [##############################] 100%" in err
    assert "[###" not in out


def test_date_order_mdy_reads_dates_month_first(report_data, tmp_path):
    log = tmp_path / "us.csv"
    log.write_text("Date,Organisation\n03/04/2022,BioWin\n")
    run(str(log), "--date-order", "mdy")
    assert Meeting.objects.filter(organisation__name="BioWin", date="2022-03-04").exists()


def test_a_chosen_encoding_that_does_not_read_the_file_is_refused(report_data):
    with pytest.raises(CommandError, match="The file is not utf-8 text"):
        run(str(DATA / "fr_excel_cp1252.csv"), "--encoding", "utf-8")


def test_a_chosen_encoding_reads_the_file(report_data):
    out, _ = run(str(DATA / "fr_excel_cp1252.csv"), "--encoding", "cp1252", "--dry-run")
    assert "        3  would be new\n" in out


def test_with_errors_the_summary_gives_no_figures_of_what_would_be_new(report_data):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_meetings", str(DATA / "unknown_names.csv"), stdout=out, stderr=StringIO()
        )
    assert "lines with errors" in out.getvalue() and "would be new" not in out.getvalue()


def test_the_summary_lists_completed_meetings_and_what_unchanged_lines_matched(report_data):
    out, _ = run(str(DATA / "matches_report_meeting.csv"), "--dry-run")
    assert "        1  completed (dated only to the month or year in the CRM)\n" in out
    assert "row 2: completes the meeting recorded in the CRM to the month (June 2022)" in out
