"""`make bench-import`: how fast, and how lean, is the meeting-log import?

For PostgreSQL and SQLite in turn, this creates a throw-away database (PostgreSQL:
`genopole_bench` on the server of $BENCH_POSTGRES_URL, default postgres@127.0.0.1:5432;
SQLite: a temporary file), migrates it, loads the report fixtures plus a few hundred
generated organisations, events and people, and writes 10k- and 100k-line meeting logs the
way Excel saves them in French (UTF-8 with BOM, semicolons, CRLF, dd/mm/yyyy and ISO dates,
quoted multi-line notes, aliases and odd capitalisation, some new contacts, 1% repeated
lines). Each size is then measured in a fresh process:

- the import exactly as `import_meetings` runs it (read, validate, resolve, deduplicate,
  write, record, history), its wall time and the process's peak resident memory;
- a raw driver load of the same resolved rows (the meetings and their people links): psycopg
  COPY on PostgreSQL, sqlite3 `executemany` in one transaction on SQLite;

alternately, three times each, restoring the database between runs; medians are printed.
The database is dropped at the end, whatever happens. Figures only: the test suite never
asserts timings.
"""

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
REPEATS = 3
SEED = 20221114
PG_SERVER = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")
PG_NAME = "genopole_bench"


# --- Orchestration (no Django in this process) ------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step")
    sub.add_parser("all")
    prepare = sub.add_parser("prepare")
    prepare.add_argument("directory")
    measure = sub.add_parser("measure")
    measure.add_argument("path")
    measure.add_argument("--repeats", type=int, default=REPEATS)
    args = parser.parse_args()
    if args.step == "prepare":
        _django()
        prepare_data(Path(args.directory))
    elif args.step == "measure":
        _django()
        print(json.dumps(measure_file(Path(args.path), args.repeats)))
    else:
        run_all()


def _environment(database_url):
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY="benchmark-only-" + "x" * 40,
        DJANGO_ALLOWED_HOSTS="localhost",
        DJANGO_LOG_LEVEL="ERROR",
    )
    return env


def _run(args, env, capture=False):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return result.stdout


def run_all():
    work = Path(tempfile.mkdtemp(prefix="genopole_bench_"))
    results = []
    try:
        for backend in ("postgresql", "sqlite"):
            if backend == "postgresql":
                url = f"{PG_SERVER}/{PG_NAME}"
                _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
                _psql(f"CREATE DATABASE {PG_NAME}")
            else:
                url = f"sqlite:///{work / 'bench.sqlite3'}"
            env = _environment(url)
            try:
                print(f"== {backend}: migrating and loading the report data", file=sys.stderr)
                _run(["manage.py", "migrate", "--noinput", "-v0"], env)
                _run(
                    [
                        "manage.py",
                        "loaddata",
                        "-v0",
                        *sorted(map(str, PROJECT.glob("fixtures/*.json"))),
                    ],
                    env,
                )
                logs = work / backend
                logs.mkdir()
                _run([__file__, "prepare", str(logs)], env)
                for size in SIZES:
                    print(f"== {backend}: measuring {size:,} lines", file=sys.stderr)
                    output = _run([__file__, "measure", str(logs / f"log_{size}.csv")], env, True)
                    results.append({"backend": backend, **json.loads(output.splitlines()[-1])})
            finally:
                if backend == "postgresql":
                    _psql(f"DROP DATABASE IF EXISTS {PG_NAME}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results)


def _psql(statement):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


def print_table(results):
    print()
    print(
        f"{'database':<11}{'lines':>9}{'import s':>10}{'rows/s':>10}{'peak MB':>9}"
        f"{'raw load s':>12}{'ratio':>7}   raw load = "
    )
    for r in results:
        baseline = "psycopg COPY" if r["backend"] == "postgresql" else "sqlite3 executemany"
        print(
            f"{r['backend']:<11}{r['lines']:>9,}{r['import_seconds']:>10.3f}"
            f"{r['lines'] / r['import_seconds']:>10,.0f}{r['peak_mb']:>9.0f}"
            f"{r['raw_seconds']:>12.3f}{r['import_seconds'] / r['raw_seconds']:>7.2f}   "
            f"{baseline} of {r['meetings']:,} meetings + {r['links']:,} people links"
        )
    print()
    print(f"Medians of {REPEATS} alternating runs; peak MB is the import process's peak RSS")
    print("(Python, Django and the data together). Meetings-only raw load, for reference:")
    for r in results:
        print(
            f"  {r['backend']:<11}{r['lines']:>9,}  {r['raw_meetings_seconds']:.3f} s "
            f"(ratio {r['import_seconds'] / r['raw_meetings_seconds']:.2f})"
        )


def _django():
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")
    import django

    django.setup()


# --- Data (runs with Django, against the bench database) --------------------------------

TOPICS = [
    "Partnering meeting",
    "Soft-landing programme",
    "Licensing opportunity",
    "Co-development of a diagnostic",
    "Présentation de l'écosystème Genopole",
    "Recherche de financement",
    "Accès au marché américain",
    "Bioproduction capacity",
    "Joint Horizon Europe proposal",
    "Cell & gene therapy platform",
]
NOTES = [
    "Interested in our incubator; send the brochure.",
    "Rencontre très positive, à relancer après l'été.",
    "Wants an introduction to two Genopole start-ups.\nCall planned in September.",
    "Échange sur les financements <b>EIC</b> et la levée de fonds.",
    "",
    "Discussed the soft-landing offer; they will visit Évry in the spring.",
    "Contact « chaud » : proposition de rendez-vous à Paris.",
    '=HYPERLINK("http://example.org","deck") shared after the meeting',
]
FOLLOW_UPS = ["oui", "non", "", "yes", "no", "Envoyer la plaquette", "Send NDA"]
FIRST = ["Anna", "Jörg", "Élodie", "Kenji", "María", "Piotr", "Sofia", "Tariq", "Zoë", "Liam"]
LAST = ["Kask", "Müller", "Lefèvre", "Tanaka", "García", "Nowak", "Rossi", "Haddad", "Smith"]


def prepare_data(directory):
    import datetime

    from django.db import transaction

    from events.models import Event, EventAlias
    from partners.models import Organisation, OrganisationAlias, Person

    rng = random.Random(SEED)
    with transaction.atomic():
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    name=f"Bench Biotech Société {n:04d}", short_name=f"BBS{n:04d}", kind="sme"
                )
                for n in range(600)
            ]
        )
        OrganisationAlias.objects.bulk_create(
            [
                OrganisationAlias(organisation=o, name=f"Bench Biotech {n:04d} SAS")
                for n, o in enumerate(organisations)
            ]
        )
        events = Event.objects.bulk_create(
            [
                Event(
                    name=f"Bench Convention {year} {n}",
                    kind="convention",
                    start_date=datetime.date(year, 6, 1),
                )
                for year in range(2015, 2025)
                for n in range(4)
            ]
        )
        EventAlias.objects.bulk_create(
            [EventAlias(event=e, name=e.name.replace("Bench Convention", "BC")) for e in events]
        )
        people = Person.objects.bulk_create(
            [
                Person(first_name=first, last_name=f"{last} {o.pk}", organisation=o)
                for o in organisations
                for first, last in [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(3)]
            ],
            ignore_conflicts=True,
        )
    organisations = list(Organisation.objects.values_list("pk", "name", "short_name"))
    aliases = dict(OrganisationAlias.objects.values_list("organisation_id", "name"))
    events = list(Event.objects.values_list("pk", "name"))
    event_aliases = dict(EventAlias.objects.values_list("event_id", "name"))
    people = {}
    for org, first, last in Person.objects.values_list(
        "organisation_id", "first_name", "last_name"
    ):
        people.setdefault(org, []).append(f"{first} {last}")
    for size in SIZES:
        write_log(
            directory / f"log_{size}.csv",
            size,
            rng,
            organisations,
            aliases,
            events,
            event_aliases,
            people,
        )


def _spell(rng, name, short_name, alias):
    choice = rng.random()
    if choice < 0.4:
        return name
    if choice < 0.55:
        return name.upper()
    if choice < 0.7:
        return name.lower().replace("é", "e").replace("è", "e").replace("ü", "u")
    if choice < 0.85 and alias:
        return alias
    return short_name or name


def write_log(path, size, rng, organisations, aliases, events, event_aliases, people):
    import csv
    import datetime

    start = datetime.date(2015, 1, 1)
    seen = set()
    lines = []
    while len(lines) < size:
        if lines and rng.random() < 0.01:
            lines.append(rng.choice(lines))  # a repeated line: skipped
            continue
        org, name, short_name = rng.choice(organisations)
        event = rng.choice(events) if rng.random() < 0.9 else None
        day = start + datetime.timedelta(days=rng.randrange(3650))
        key = (org, event and event[0], day)
        if key in seen:
            continue
        seen.add(key)
        date = day.isoformat() if rng.random() < 0.5 else day.strftime("%d/%m/%Y")
        event_text = ""
        if event:
            event_text = (
                event[1]
                if rng.random() < 0.7 or event[0] not in event_aliases
                else event_aliases[event[0]]
            )
        contacts = ""
        roll = rng.random()
        known = people.get(org, [])
        if roll < 0.6 and known:
            contacts = rng.choice(known)
        elif roll < 0.7 and len(known) > 1:
            contacts = "; ".join(rng.sample(known, 2))
        elif roll < 0.75:
            # Someone the CRM does not know yet: two such names per organisation at most.
            contacts = f"{FIRST[org % len(FIRST)]} {LAST[org % len(LAST)]}-{rng.randrange(2)}"
        lines.append(
            [
                date,
                event_text,
                _spell(rng, name, short_name, aliases.get(org)),
                contacts,
                rng.choice(TOPICS),
                rng.choice(NOTES),
                rng.choice(FOLLOW_UPS),
            ]
        )
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
        writer.writerow(["Date", "Événement", "Société", "Contact(s)", "Sujet", "Notes", "Suivi"])
        writer.writerows(lines)


# --- Measurement --------------------------------------------------------------------------


def measure_file(path, repeats):
    from django.db import connection

    from events.importing import import_meeting_log
    from events.importing.bulk import delete_with_history
    from events.models import Meeting

    def peak_mb():
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    from django.contrib.auth import get_user_model

    # Attributed to a user, as every admin import is (history rows then reference the user).
    user = get_user_model().objects.get_or_create(username="bench-importer")[0]

    def import_once():
        with path.open("rb") as stream:
            started = time.perf_counter()
            report = import_meeting_log(stream=stream, file_name=path.name, user=user)
            elapsed = time.perf_counter() - started
        assert not report.has_errors, (report.file_error, report.errors[:5])
        return elapsed, report

    def restore(record_id):
        # The undo path, untimed; then its "-" history rows go too, so every run starts
        # from the same tables. The import records stay (the raw loads reuse their ids).
        meetings = Meeting.objects.filter(import_record_id=record_id)
        delete_with_history(meetings, user=None, when=_now(), reason="bench")
        Meeting.history.filter(import_record_id=record_id).delete()
        _vacuum(connection)

    import_times, raw_times, raw_meeting_times = [], [], []
    peak = None
    rows = links = None
    for _ in range(repeats):
        elapsed, report = import_once()
        if peak is None:
            peak = peak_mb()  # the first run in a fresh process: the import's own peak
        import_times.append(elapsed)
        record_id = report.record.pk
        if rows is None:
            rows, links = _resolved_rows(record_id)
        # The contacts the first run created stay; later runs find them as known people.
        restore(record_id)
        raw_meeting_times.append(_raw_load(connection, rows, []))
        raw_times.append(_raw_load(connection, rows, links))
    return {
        "lines": report.lines,
        "meetings": len(rows),
        "links": len(links),
        "import_seconds": statistics.median(import_times),
        "raw_seconds": statistics.median(raw_times),
        "raw_meetings_seconds": statistics.median(raw_meeting_times),
        "peak_mb": peak,
    }


def _now():
    from django.utils import timezone

    return timezone.now()


def _vacuum(connection):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "VACUUM ANALYZE events_meeting, events_meeting_people, events_historicalmeeting"
            )


def _resolved_rows(record_id):
    from events.importing.service import MEETING_FIELDS as MEETING_COLUMNS
    from events.models import Meeting

    attnames = [Meeting._meta.get_field(name).attname for name in MEETING_COLUMNS]
    meetings = Meeting.objects.filter(import_record_id=record_id).order_by("pk")
    rows = list(meetings.values_list(*attnames))
    links = list(
        Meeting.people.through.objects.filter(meeting__import_record_id=record_id).values_list(
            "meeting_id", "person_id"
        )
    )
    return rows, links


def _raw_load(connection, rows, links):
    """The same rows, loaded by the driver alone, in one transaction; then removed again."""
    from events.importing.service import MEETING_FIELDS as MEETING_COLUMNS
    from events.models import Meeting

    meeting_table = Meeting._meta.db_table
    link_table = Meeting.people.through._meta.db_table
    columns = ", ".join(Meeting._meta.get_field(n).column for n in MEETING_COLUMNS)
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with raw.transaction(), raw.cursor() as cursor:
            with cursor.copy(f"COPY {meeting_table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            if links:
                with cursor.copy(f"COPY {link_table} (meeting_id, person_id) FROM STDIN") as copy:
                    for row in links:
                        copy.write_row(row)
        elapsed = time.perf_counter() - started
        with raw.transaction():
            raw.execute(
                f"DELETE FROM {link_table} WHERE meeting_id = ANY(%s)", [[r[0] for r in rows]]
            )
            raw.execute(f"DELETE FROM {meeting_table} WHERE id = ANY(%s)", [[r[0] for r in rows]])
        _vacuum(connection)
        return elapsed
    placeholders = ", ".join("?" * len(rows[0]))
    iso_rows = [(r[0], r[1].isoformat(), *r[2:]) for r in rows]
    started = time.perf_counter()
    raw.execute("BEGIN")
    raw.executemany(f"INSERT INTO {meeting_table} ({columns}) VALUES ({placeholders})", iso_rows)
    if links:
        raw.executemany(f"INSERT INTO {link_table} (meeting_id, person_id) VALUES (?, ?)", links)
    raw.execute("COMMIT")
    elapsed = time.perf_counter() - started
    raw.execute("BEGIN")
    raw.executemany(f"DELETE FROM {link_table} WHERE meeting_id = ?", [(r[0],) for r in rows])
    raw.executemany(f"DELETE FROM {meeting_table} WHERE id = ?", [(r[0],) for r in rows])
    raw.execute("COMMIT")
    return elapsed


if __name__ == "__main__":
    main()
