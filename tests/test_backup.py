"""A backup restored into an empty database gives back the same records (README: Backups).

Runs the documented commands: `manage.py backup`/`restore` on the database under test, after
the deletes, cascades and undone imports of everyday work; pg_dump/pg_restore on PostgreSQL.
"""

import datetime
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import dj_database_url
import psycopg
import pytest
from django.core import serializers
from django.db import connection

from core.backup import write_backup
from events.models import Meeting
from partners.models import Organisation

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
                  topic="<b>Follow-up</b> =1+1")
meeting._history_user = user
meeting.save()
"""
# Everyday work that leaves audit history pointing at records that are gone (finding 3).
DELETES_AND_UNDOS = """
from django.contrib.auth.models import User
from django.core.management import call_command
from events.importing import undo_import
from events.models import Event, ImportRecord, Meeting
from partners.models import Person
admin = User.objects.create_superuser("boss", "boss@example.org", "x-Pass-1234")
with_participation = Event.objects.filter(participation__isnull=False, meetings__isnull=True)
with_participation.filter(milestones__isnull=True).first().delete()  # its participation cascades
Meeting.objects.filter(people__isnull=False).first().delete()
call_command("import_meetings", "docs/sample-meeting-log.csv", "--user", "boss")
undo_import(record=ImportRecord.objects.get(), user=admin)
call_command("import_meetings", "docs/sample-meeting-log.csv", "--user", "boss")
Person.objects.filter(meetings__isnull=True).last().delete()
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


def populate(database_url, *more_work):
    manage(database_url, "migrate", "--noinput", "-v0")
    fixtures = sorted(str(p) for p in (PROJECT / "fixtures").glob("*.json"))
    manage(database_url, "loaddata", "-v0", *fixtures)
    for work in (STAFF_WORK, *more_work):
        manage(database_url, "shell", "--no-imports", "-c", work)


def assert_staff_work_present(restored):
    meetings = [json.loads(r) for r in restored if '"model": "events.meeting"' in r]
    assert any(m["fields"]["topic"] == "<b>Follow-up</b> =1+1" for m in meetings)
    history = [json.loads(r) for r in restored if '"model": "events.historicalmeeting"' in r]
    assert [h["fields"]["history_user"] for h in history] == [["viewer"]]


def records(database_url):
    """Every record, as a sorted list, so that two databases can be compared whole."""
    dump = json.loads(manage(database_url, "dumpdata", *DUMP_OPTIONS))
    return sorted(json.dumps(obj, sort_keys=True) for obj in dump)


def backed_up(database_url, path):
    """Every row `manage.py backup` writes, as a sorted list, and the count of each model."""
    manage(database_url, "backup", str(path))
    rows = json.loads(path.read_text(encoding="utf-8"))
    counts = {}
    for row in rows:
        counts[row["model"]] = counts.get(row["model"], 0) + 1
    return sorted(json.dumps(row, sort_keys=True) for row in rows), counts


@pytest.fixture
def two_databases(tmp_path):
    """A live and an empty database of the kind under test, dropped afterwards."""
    if connection.vendor == "sqlite":
        yield tuple(f"sqlite:///{tmp_path / name}.sqlite3" for name in ("live", "new"))
        return
    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"backup_security_{kind}_{uuid.uuid4().hex[:8]}" for kind in ("live", "new")]
    # CREATE DATABASE cannot run in the test's transaction: a connection of its own.
    with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
        for name in names:
            server.execute(f'CREATE DATABASE "{name}"')
    try:
        yield tuple(f"{base}/{name}" for name in names)
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as server:
            for name in names:
                server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db
def test_a_backup_restores_after_deletes_cascades_and_undone_imports(two_databases, tmp_path):
    live, new = two_databases
    populate(live, DELETES_AND_UNDOS)
    with pytest.raises(AssertionError, match="CommandError"):
        manage(live, "dumpdata", *DUMP_OPTIONS)  # the procedure the README used to give
    before, counts = backed_up(live, tmp_path / "backup.json")

    manage(new, "migrate", "--noinput", "-v0")
    manage(new, "restore", str(tmp_path / "backup.json"))

    after, _counts = backed_up(new, tmp_path / "again.json")
    assert after == before
    # Every kind of record made the trip, the audit history and the users among them.
    for model in (
        "events.historicalevent",
        "events.historicalparticipation",
        "auth.user",
        "events.importrecord",
        "events.historicalmeeting",
        "events.historicalmeeting_people",  # the people each version of a meeting kept
        "partners.historicalperson",
        "auth.group",
        "events.meeting",
    ):
        assert counts.get(model), model
    # A second restore would overwrite: refused, with the reason.
    with pytest.raises(AssertionError, match="already holds records"):
        manage(new, "restore", str(tmp_path / "backup.json"))


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


@pytest.mark.django_db
def test_a_backup_keeps_times_to_the_microsecond():
    """Django's JSON encoder cuts times to the millisecond: 12:00:00.000456 would come back as
    12:00:00, and the restored audit history would differ from the one backed up."""
    meeting = Meeting.objects.create(
        date=datetime.date(2023, 6, 6), organisation=Organisation.objects.create(name="Exact")
    )
    exact = datetime.datetime(2026, 12, 2, 12, 0, 0, 456, tzinfo=datetime.UTC)
    meeting.history.update(history_date=exact)

    stream = io.StringIO()
    write_backup(stream)
    stream.seek(0)
    restored = [
        row.object
        for row in serializers.deserialize("json", stream.read())
        if row.object._meta.label_lower == "events.historicalmeeting"
        and row.object.id == meeting.pk
    ]
    assert [row.history_date for row in restored] == [exact]
