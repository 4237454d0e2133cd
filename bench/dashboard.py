"""`make bench-dashboard`: do the dashboard and the report pages stay fast as the data grows?

For SQLite (a temporary file) and PostgreSQL (`bench_dashboard` on the server of
$BENCH_POSTGRES_URL, default postgres@127.0.0.1:5432; skipped when unreachable), this
migrates a fresh database, loads the report fixtures, then adds generated records in two
steps (×1 and ×10: 1,000 and 10,000 organisations, 500 and 5,000 events, 10,000 and 100,000
meetings, 1,000 and 10,000 partnerships). After each step it loads `/`, `/reports/2022/` and
the partner map five times and prints the median time and the number of SQL queries.
Every database it created is dropped at the end. Figures only: the tests assert no timing.
"""

import datetime
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "bench_dashboard"
# BENCH_STEPS=10 BENCH_REPEATS=1 BENCH_ONLY=PostgreSQL for a quick look at the large case.
STEPS = tuple(int(step) for step in os.environ.get("BENCH_STEPS", "1,10").split(","))
REPEATS = int(os.environ.get("BENCH_REPEATS", "5"))
ONLY = os.environ.get("BENCH_ONLY", "")
PAGES = ("/", "/reports/2022/", "/dashboard/partner-map.svg")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "measure":
        measure()
        return
    if ONLY in ("", "SQLite"):
        with tempfile.TemporaryDirectory() as directory:
            run(f"sqlite:///{directory}/bench.sqlite3", "SQLite")
    if ONLY not in ("", "PostgreSQL"):
        return
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
            connection.execute(f"CREATE DATABASE {PG_NAME}")
    except Exception as error:  # noqa: BLE001 — say why, and carry on without PostgreSQL
        print(f"PostgreSQL skipped: {error}")
        return
    try:
        run(f"{PG_SERVER}/{PG_NAME}", "PostgreSQL")
    finally:
        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")


def run(database_url, label):
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "testserver",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
        "BENCH_LABEL": label,
    }
    subprocess.run([sys.executable, __file__, "measure"], env=environment, check=True, cwd=PROJECT)


def measure():
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    # Production settings without `collectstatic`: plain static URLs instead of the manifest.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }

    call_command("migrate", verbosity=0)
    call_command(
        "loaddata", *sorted(str(p) for p in (PROJECT / "fixtures").glob("*.json")), verbosity=0
    )
    done = 0
    for factor in STEPS:
        generate(factor - done)
        done = factor
        time_pages(factor)


def generate(factor, seed=20221214):
    from django.utils import timezone

    from events.follow_ups.models import FollowUp
    from events.models import Event, Meeting, Participation
    from partners.models import Organisation, Partnership

    rng = random.Random(seed + factor)
    kinds = [k for k, _ in Organisation.Kind.choices]
    countries = ["FR", "DE", "US", "JP", "SG", "EE", "IT", "ES", "SE", "BR", "CA", "IN"]
    start = Organisation.objects.count()
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench org {start + i}", kind=rng.choice(kinds), country=rng.choice(countries)
        )
        for i in range(1000 * factor)
    )
    organisations = list(Organisation.objects.values_list("pk", flat=True))
    first_event = Event.objects.count()
    events = Event.objects.bulk_create(
        Event(
            name=f"Bench event {first_event + i}",
            kind="conference",
            format=rng.choice(["in_person", "virtual", "hybrid", ""]),
            country=rng.choice(countries),
            start_date=datetime.date(rng.randint(2015, 2024), rng.randint(1, 12), 1),
        )
        for i in range(500 * factor)
    )
    Participation.objects.bulk_create(Participation(event=e, role="attendee") for e in events)
    seen = set()
    meetings, follow_ups = [], []
    while len(meetings) < 10_000 * factor:
        event = rng.choice(events)
        organisation = rng.choice(organisations)
        if (event.pk, organisation) in seen:
            continue
        seen.add((event.pk, organisation))
        meetings.append(Meeting(event=event, organisation_id=organisation, date=event.start_date))
        follow_ups.append(rng.choice(["none", "pending", "done"]))
    Meeting.objects.bulk_create(meetings, batch_size=5000)
    # A third of the meetings with an open follow-up task, a third with a done one.
    now = timezone.now()
    FollowUp.objects.bulk_create(
        (
            FollowUp(
                meeting=meeting,
                what="Send the brochure",
                state="open" if status == "pending" else "done",
                closed_at=None if status == "pending" else now,
            )
            for meeting, status in zip(meetings, follow_ups, strict=True)
            if status != "none"
        ),
        batch_size=5000,
    )
    types = [t for t, _ in Partnership.Type.choices]
    statuses = [s for s, _ in Partnership.Status.choices]
    Partnership.objects.bulk_create(
        Partnership(
            organisation_id=rng.choice(organisations),
            type=rng.choice(types),
            status=rng.choice(statuses),
            title=f"Bench partnership {factor}-{i}",
            start_date=datetime.date(rng.randint(2015, 2024), 1, 1),
        )
        for i in range(1000 * factor)
    )


def time_pages(factor):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from events.models import Meeting
    from partners.models import Organisation

    user, _ = User.objects.get_or_create(username="bench", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    label = os.environ["BENCH_LABEL"]
    print(
        f"{label}, ×{factor}: {Organisation.objects.count():,} organisations, "
        f"{Meeting.objects.count():,} meetings"
    )
    for page in PAGES:
        timings = []
        for _ in range(REPEATS):
            with CaptureQueriesContext(connection) as queries:
                began = time.perf_counter()
                response = client.get(page)
                timings.append(time.perf_counter() - began)
            assert response.status_code == 200, (page, response.status_code)
        size = len(response.content)
        sql = sum(float(q["time"]) for q in queries.captured_queries)
        slowest = max(queries.captured_queries, key=lambda q: float(q["time"]))
        print(
            f"  {page:30} median {statistics.median(timings) * 1000:7.1f} ms  "
            f"{len(queries):3} queries ({sql * 1000:6.1f} ms in SQL, slowest "
            f"{float(slowest['time']) * 1000:6.1f} ms)  {size / 1024:7.0f} KiB"
        )
        if os.environ.get("BENCH_SHOW_SLOWEST"):
            print("    ", slowest["sql"][:300])


if __name__ == "__main__":
    main()
