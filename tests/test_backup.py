"""A backup restored into an empty database gives back the same records (README: Backups).

Runs the documented commands for the database under test: dumpdata/loaddata on SQLite,
pg_dump/pg_restore on PostgreSQL.
"""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import pytest
from django.db import connection

PROJECT = Path(__file__).resolve().parent.parent
DUMP_OPTIONS = [
    "--natural-foreign",
    "--natural-primary",
    "--exclude=contenttypes",
    "--exclude=auth.permission",
    "--exclude=sessions",
    "--exclude=axes",
]
# Some staff-made data besides the fixtures: a user, a meeting with its audit history.
STAFF_WORK = """
import datetime
from django.contrib.auth.models import Group, User
from events.models import Meeting
from partners.models import Organisation
user = User.objects.create_user("viewer", password="x-Pass-1234", is_staff=True)
user.groups.add(Group.objects.get(name="Viewer"))
biowin = Organisation.objects.get(name="BioWin")
meeting = Meeting(date=datetime.date(2023, 6, 6), organisation=biowin,
                  topic="<b>Follow-up</b> =1+1", follow_up_status="pending")
meeting._history_user = user
meeting.save()
"""


def manage(database_url, *args, stdin=None):
    environment = {**os.environ, "DATABASE_URL": database_url}
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def populate(database_url):
    manage(database_url, "migrate", "--noinput", "-v0")
    fixtures = sorted(str(p) for p in (PROJECT / "fixtures").glob("*.json"))
    manage(database_url, "loaddata", "-v0", *fixtures)
    manage(database_url, "shell", "--no-imports", "-c", STAFF_WORK)


def assert_staff_work_present(restored):
    meetings = [json.loads(r) for r in restored if '"model": "events.meeting"' in r]
    assert any(m["fields"]["topic"] == "<b>Follow-up</b> =1+1" for m in meetings)
    history = [json.loads(r) for r in restored if '"model": "events.historicalmeeting"' in r]
    assert [h["fields"]["history_user"] for h in history] == [["viewer"]]


def records(database_url):
    """Every record, as a sorted list, so that two databases can be compared whole."""
    dump = json.loads(manage(database_url, "dumpdata", *DUMP_OPTIONS))
    return sorted(json.dumps(obj, sort_keys=True) for obj in dump)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite procedure")
def test_a_dumpdata_backup_restores_into_an_empty_sqlite_database(tmp_path):
    source, restored = (
        f"sqlite:///{tmp_path / 'live.sqlite3'}",
        f"sqlite:///{tmp_path / 'new.sqlite3'}",
    )
    populate(source)
    backup = tmp_path / "backup.json"
    manage(source, "dumpdata", *DUMP_OPTIONS, "--indent=2", f"--output={backup}")

    manage(restored, "migrate", "--noinput", "-v0")
    manage(restored, "loaddata", str(backup))

    restored_records = records(restored)  # each call is a dumpdata run: take it once
    assert restored_records == records(source)
    assert_staff_work_present(restored_records)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL procedure")
@pytest.mark.skipif(not shutil.which("pg_dump"), reason="pg_dump is not installed")
def test_a_pg_dump_backup_restores_into_an_empty_postgresql_database(tmp_path):
    server = dj_database_url.parse(os.environ["DATABASE_URL"])
    login = [
        "-h",
        server["HOST"] or "127.0.0.1",
        "-p",
        str(server["PORT"] or 5432),
        "-U",
        server["USER"] or "postgres",
    ]
    environment = {**os.environ, "PGPASSWORD": server["PASSWORD"] or ""}
    suffix = uuid.uuid4().hex[:8]
    names = {"live": f"genopole_backup_live_{suffix}", "new": f"genopole_backup_new_{suffix}"}
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    urls = {key: f"{base}/{name}" for key, name in names.items()}

    def run(*command):
        subprocess.run(command, check=True, env=environment, capture_output=True, timeout=300)

    try:
        for name in names.values():
            run("createdb", *login, name)
        populate(urls["live"])
        backup = tmp_path / "backup.dump"
        run("pg_dump", *login, "--format=custom", f"--file={backup}", names["live"])
        run("pg_restore", *login, "--no-owner", f"--dbname={names['new']}", str(backup))

        restored_records = records(urls["new"])  # each call is a dumpdata run
        assert restored_records == records(urls["live"])
        assert_staff_work_present(restored_records)
    finally:
        for name in names.values():
            subprocess.run(
                ["dropdb", *login, "--if-exists", name],
                env=environment,
                capture_output=True,
                timeout=60,
            )
