"""`make bench-import`: how fast, and how lean, is the meeting-log import?

For PostgreSQL and SQLite in turn, this builds a template database (PostgreSQL: on the
server of $BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/genopole_bench, a
database named after it plus "_import", never that database itself; SQLite: a temporary
file): migrated, with the report fixtures plus a few hundred generated
organisations, events and people. It writes 10k- and 100k-line meeting logs the way Excel
saves them in French (UTF-8 with BOM, semicolons, CRLF, dd/mm/yyyy and ISO dates, quoted
multi-line notes, aliases and odd capitalisation, some new contacts, 1% repeated lines).

Each measurement runs in a fresh process against a fresh copy of the template
(the template's name plus `_run`), three times, alternating:

- import: the import exactly as `import_meetings --user …` runs it (read, validate, resolve,
  deduplicate, write meetings, contacts and links, record, history, commit); its wall time
  and the process's peak resident memory (Python, Django and the data together);
- raw load: the driver alone loading the same resolved rows (the meetings, then their
  people links, then their follow-up tasks, each in one transaction): psycopg COPY on
  PostgreSQL, sqlite3 `executemany` on SQLite. The importing user, import record and new
  contacts those rows refer to are created untimed. History rows and the import record
  are the import's own overhead: the raw load has none.

Medians are printed. Every database it created is dropped at the end, whatever happens,
except with `--big --keep DIRECTORY`: the 100× template and its logs stay (in DIRECTORY), and
the next `--keep` run with the same DIRECTORY reuses them instead of building them again;
drop the template by hand when done (`DROP DATABASE <name>_import`).
Figures only: the test suite never asserts timings.

`--big` (PostgreSQL only) measures the same on a CRM at 100× the size: the template database
gets 100,000 organisations (a third with a short name, many of them shared acronyms), 20,000
organisation aliases, 50,000 people, 5,000 events with aliases and 1,000,000 meetings (some
dated only to the month or year), loaded by COPY, then one 100,000-line log naming them
(new meetings, meetings the CRM has, meetings it completes). It also times a dry run of that
log with one line in twenty naming an organisation by an acronym several share: every such
line gets its "several organisations" message.
"""

import argparse
import json
import os
import pickle
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

# bench/dataset.py, beside this script: the environment of a production-like process.
from dataset import django_environment

PROJECT = Path(__file__).resolve().parent.parent
SIZES = (10_000, 100_000)
REPEATS = 3
SEED = 20221114
# BENCH_DATABASE_URL names the server and the bench database, whose name plus "_import" is
# the template this script creates and drops (plus "_import_run", the per-run copy). Never
# the named database itself: that is the shared 100× data set (bench/dataset.py), which
# dropping would cost an hour to rebuild. Parallel checkouts pick their own name.
PG_SERVER, _, PG_BENCH = os.environ.get(
    "BENCH_DATABASE_URL",
    os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432") + "/genopole_bench",
).rpartition("/")
PG_TEMPLATE = f"{PG_BENCH}_import"
PG_RUN = f"{PG_TEMPLATE}_run"


# --- Orchestration (no Django in this process) ------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="a 100× CRM, PostgreSQL only")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="runs of each measurement")
    parser.add_argument(
        "--keep",
        metavar="DIRECTORY",
        help="with --big: keep the template database and its logs in DIRECTORY after the run, "
        "and reuse them when a previous --keep run left them (building them takes minutes)",
    )
    sub = parser.add_subparsers(dest="step")
    sub.add_parser("all")
    sub.add_parser("prepare").add_argument("directory")
    sub.add_parser("prepare-big").add_argument("directory")
    sub.add_parser("dry-run").add_argument("log")
    step = sub.add_parser("import")
    step.add_argument("log")
    step.add_argument("rows")
    sub.add_parser("raw").add_argument("rows")
    args = parser.parse_args()
    if args.step == "prepare":
        _django()
        prepare_data(Path(args.directory))
    elif args.step == "import":
        _django()
        print(json.dumps(measure_import(Path(args.log), Path(args.rows))))
    elif args.step == "raw":
        _django()
        print(json.dumps(measure_raw_load(Path(args.rows))))
    elif args.step == "prepare-big":
        _django()
        prepare_big_data(Path(args.directory))
    elif args.step == "dry-run":
        _django()
        print(json.dumps(measure_dry_run(Path(args.log))))
    elif args.big:
        run_big(args.repeats, keep=args.keep and Path(args.keep))
    else:
        run_all(args.repeats)


def _run(args, database_url):
    result = subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT,
        env=django_environment(database_url),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(result.stdout.splitlines()[-1]) if result.stdout.strip() else None


def _psql(statement):
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
        connection.execute(statement)


class Backend:
    """Where the template lives and how a fresh copy of it is made and thrown away."""

    def __init__(self, name, work):
        self.name = name
        self.work = work

    @property
    def template_url(self):
        if self.name == "postgresql":
            return f"{PG_SERVER}/{PG_TEMPLATE}"
        return f"sqlite:///{self.work / 'template.sqlite3'}"

    def create_template(self):
        if self.name == "postgresql":
            self.drop_all()
            _psql(f"CREATE DATABASE {PG_TEMPLATE}")

    def template_exists(self):
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as connection:
            found = connection.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [PG_TEMPLATE]
            ).fetchone()
        return found is not None

    def fresh_copy(self):
        if self.name == "postgresql":
            _psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
            _psql(f"CREATE DATABASE {PG_RUN} TEMPLATE {PG_TEMPLATE}")
            return f"{PG_SERVER}/{PG_RUN}"
        shutil.copy(self.work / "template.sqlite3", self.work / "run.sqlite3")
        return f"sqlite:///{self.work / 'run.sqlite3'}"

    def drop_all(self):
        if self.name == "postgresql":
            _psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
            _psql(f"DROP DATABASE IF EXISTS {PG_TEMPLATE}")


def run_all(repeats):
    work = Path(tempfile.mkdtemp(prefix="genopole_bench_"))
    results = []
    try:
        for name in ("postgresql", "sqlite"):
            backend = Backend(name, work)
            try:
                results += measure_backend(backend, work / name, repeats)
            finally:
                backend.drop_all()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print_table(results, repeats)


def run_big(repeats, keep=None):
    work = keep or Path(tempfile.mkdtemp(prefix="genopole_bench_big_"))
    backend = Backend("postgresql", work)
    # A kept template is complete only once its logs are written, the last step of building it.
    reuse = keep and (work / "log_big_ambiguous.csv").exists() and backend.template_exists()
    try:
        if reuse:
            print(f"== postgresql: reusing the kept 100× CRM template and {work}", file=sys.stderr)
        else:
            print("== postgresql: template database with a 100× CRM", file=sys.stderr)
            work.mkdir(parents=True, exist_ok=True)
            backend.create_template()
            _run(["manage.py", "migrate", "--noinput", "-v0"], backend.template_url)
            started = time.perf_counter()
            _run([__file__, "prepare-big", str(work)], backend.template_url)
            print(f"== populated in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        url = backend.template_url
        log, rows = work / "log_big.csv", work / "rows_big.pickle"
        imports, raws = [], []
        for repeat in range(repeats):
            print(f"== postgresql (big): run {repeat + 1}", file=sys.stderr)
            imports.append(_run([__file__, "import", str(log), str(rows)], backend.fresh_copy()))
            raws.append(_run([__file__, "raw", str(rows)], backend.fresh_copy()))
        dry = _run([__file__, "dry-run", str(work / "log_big_ambiguous.csv")], url)
        result = _summary("postgresql", imports, raws)
    finally:
        if keep:
            _psql(f"DROP DATABASE IF EXISTS {PG_RUN}")
        else:
            backend.drop_all()
            shutil.rmtree(work, ignore_errors=True)
    print("\nOn a CRM of 100,000 organisations, 50,000 people, 5,000 events, 1,000,000 meetings:")
    print_table([result], repeats)
    print(
        f"dry run with ambiguous acronyms: {dry['lines']:,} lines, {dry['ambiguous']:,} "
        f'"several organisations" messages, {dry["seconds"]:.3f} s, peak {dry["peak_mb"]:.0f} MB'
    )


def measure_backend(backend, logs, repeats):
    logs.mkdir()
    print(f"== {backend.name}: template database", file=sys.stderr)
    backend.create_template()
    url = backend.template_url
    fixtures = sorted(str(path) for path in PROJECT.glob("fixtures/*.json"))
    _run(["manage.py", "migrate", "--noinput", "-v0"], url)
    _run(["manage.py", "loaddata", "-v0", *fixtures], url)
    _run([__file__, "prepare", str(logs)], url)
    results = []
    for size in SIZES:
        log, rows = logs / f"log_{size}.csv", logs / f"rows_{size}.pickle"
        imports, raws = [], []
        for repeat in range(repeats):
            print(f"== {backend.name}: {size:,} lines, run {repeat + 1}", file=sys.stderr)
            imports.append(_run([__file__, "import", str(log), str(rows)], backend.fresh_copy()))
            raws.append(_run([__file__, "raw", str(rows)], backend.fresh_copy()))
        results.append(_summary(backend.name, imports, raws))
    return results


def _summary(backend, imports, raws):
    """One row of the table: medians of the repeated imports and raw loads of one log."""
    return {
        "backend": backend,
        "lines": imports[0]["lines"],
        "meetings": imports[0]["meetings"],
        "links": imports[0]["links"],
        "contacts": imports[0]["contacts"],
        "tasks": imports[0]["tasks"],
        "import_seconds": statistics.median(r["seconds"] for r in imports),
        "peak_mb": max(r["peak_mb"] for r in imports),
        "raw_seconds": statistics.median(r["seconds"] for r in raws),
        "raw_meetings_seconds": statistics.median(r["meetings_seconds"] for r in raws),
    }


def print_table(results, repeats):
    print()
    print(
        f"{'database':<11}{'lines':>9}{'import s':>10}{'rows/s':>10}{'peak MB':>9}"
        f"{'raw load s':>12}{'ratio':>7}"
    )
    for r in results:
        print(
            f"{r['backend']:<11}{r['lines']:>9,}{r['import_seconds']:>10.3f}"
            f"{r['lines'] / r['import_seconds']:>10,.0f}{r['peak_mb']:>9.0f}"
            f"{r['raw_seconds']:>12.3f}{r['import_seconds'] / r['raw_seconds']:>7.2f}"
        )
    print()
    print(f"Medians of {repeats} runs, each in a fresh process on a fresh copy of the database.")
    print("import: read, validate, resolve, deduplicate and write (meetings, new contacts, links,")
    print("        import record, history rows), committed; rows/s = file lines per second.")
    print("peak MB: the import process's peak resident memory (Python, Django and data).")
    print("raw load: psycopg COPY (PostgreSQL) or sqlite3 executemany (SQLite) of the same")
    print("        resolved meetings, their people links and follow-up tasks;")
    print("        ratio = import / raw load.")
    for r in results:
        print(
            f"  {r['backend']:<11}{r['lines']:>9,} lines: {r['meetings']:,} meetings, "
            f"{r['links']:,} links, {r['tasks']:,} follow-up tasks, {r['contacts']:,} new "
            f"contacts; meetings-only raw load "
            f"{r['raw_meetings_seconds']:.3f} s "
            f"(ratio {r['import_seconds'] / r['raw_meetings_seconds']:.2f})"
        )


def _django():
    sys.path.insert(0, str(PROJECT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run, like `make run`
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


BIG = {"organisations": 100_000, "aliases": 20_000, "people": 50_000, "events": 5_000}
BIG_MEETINGS = 1_000_000
BIG_LINES = 100_000
WORDS = [
    "Helix",
    "Thera",
    "Gen",
    "Bio",
    "Cyto",
    "Neuro",
    "Immuno",
    "Vax",
    "Pharma",
    "Cell",
    "Omics",
    "Medi",
    "Nano",
    "Phyto",
    "Agro",
    "Derma",
    "Onco",
    "Cardio",
    "Lumen",
    "Vector",
    "Enzy",
    "Proteo",
    "Myco",
    "Viro",
    "Micro",
    "Synth",
    "Clinic",
    "Diag",
    "Quanta",
    "Nova",
]
FORMS = ["SA", "SAS", "GmbH", "Ltd", "Inc.", "AB", "BV", "Oy", "S.p.A.", ""]


def _copy(model, rows, values):
    """COPY `rows` of `values` (field names; the rest take their defaults) into `model`."""
    from django.db import connection

    fields = [field for field in model._meta.concrete_fields if not field.generated]
    defaults = {}
    for field in fields:
        value = field.get_db_prep_save(field.get_default(), connection)
        defaults[field.attname] = getattr(value, "value", value)  # choices as their text
    columns = [field.column for field in fields]
    positions = [[field.attname for field in fields].index(name) for name in values]
    template = [defaults[field.attname] for field in fields]
    connection.ensure_connection()
    table = model._meta.db_table
    with connection.connection.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                line = list(template)
                for position, value in zip(positions, row, strict=True):
                    line[position] = value
                copy.write_row(line)
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))"
        )


def prepare_big_data(directory):
    """The 100× CRM, by COPY, then the 100k-line log and its ambiguous variant."""
    import datetime

    from django.db import connection, transaction

    from events.models import Event, EventAlias, Meeting
    from partners.models import Organisation, OrganisationAlias, Person

    rng = random.Random(SEED)
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    organisations = []  # (pk, name, short name)
    for pk in range(1, BIG["organisations"] + 1):
        name = f"{rng.choice(WORDS)}{rng.choice(WORDS).lower()} {rng.choice(FORMS)} {pk}"
        short = "".join(rng.choice(letters) for _ in range(3)) if pk % 3 == 0 else ""
        organisations.append((pk, " ".join(name.split()), short))
    aliases = {
        pk: f"{name.rsplit(' ', 1)[0]} Group {pk}"
        for pk, name, _short in rng.sample(organisations, BIG["aliases"])
    }
    events = [
        (pk, f"Bench Convention {2015 + pk % 10} {pk}", datetime.date(2015 + pk % 10, 6, 1))
        for pk in range(1, BIG["events"] + 1)
    ]
    people = {}
    person_rows = []
    for pk in range(1, BIG["people"] + 1):
        org = rng.randrange(1, BIG["organisations"] + 1)
        first, last = rng.choice(FIRST), f"{rng.choice(LAST)} {pk}"
        person_rows.append((pk, first, last, org))
        people.setdefault(org, []).append(f"{first} {last}")
    start = datetime.date(2015, 1, 1)
    meetings = {}  # (org, event, date) -> precision
    while len(meetings) < BIG_MEETINGS:
        org = rng.randrange(1, BIG["organisations"] + 1)
        event = rng.randrange(1, BIG["events"] + 1) if rng.random() < 0.9 else None
        day = start + datetime.timedelta(days=rng.randrange(3650))
        roll = rng.random()
        if roll < 0.05:
            day, precision = day.replace(day=1), "month"
        elif roll < 0.06:
            day, precision = day.replace(month=1, day=1), "year"
        else:
            precision = "day"
        meetings.setdefault((org, event, day), precision)
    with transaction.atomic():
        _copy(Organisation, organisations, ["id", "name", "short_name"])
        _copy(
            OrganisationAlias,
            ((n, name, org) for n, (org, name) in enumerate(aliases.items(), 1)),
            ["id", "name", "organisation_id"],
        )
        _copy(Person, person_rows, ["id", "first_name", "last_name", "organisation_id"])
        _copy(Event, events, ["id", "name", "start_date"])
        _copy(
            EventAlias,
            ((pk, f"BC {2015 + pk % 10} {pk}", pk) for pk, _n, _d in events),
            ["id", "name", "event_id"],
        )
        _copy(
            Meeting,
            (
                (pk, day, precision, event, org, rng.choice(TOPICS))
                for pk, ((org, event, day), precision) in enumerate(meetings.items(), 1)
            ),
            ["id", "date", "date_precision", "event_id", "organisation_id", "topic"],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    shorts = {}
    for _pk, _name, short in organisations:
        if short:
            shorts[short] = shorts.get(short, 0) + 1
    by_pk = {
        pk: (name, short if shorts.get(short) == 1 else "") for pk, name, short in organisations
    }
    event_names = {pk: name for pk, name, _d in events}
    existing = rng.sample(list(meetings.items()), BIG_LINES // 10)
    lines, seen = [], set()
    for (org, event, day), precision in existing:
        if precision == "month":
            day = day.replace(day=rng.randrange(2, 28))  # completes a meeting dated to its month
        elif precision == "year":
            continue
        lines.append(_big_line(rng, org, event, day, by_pk, aliases, event_names, people))
        seen.add((org, event, day))
    while len(lines) < BIG_LINES:
        org = rng.randrange(1, BIG["organisations"] + 1)
        event = rng.randrange(1, BIG["events"] + 1) if rng.random() < 0.9 else None
        day = start + datetime.timedelta(days=rng.randrange(3650))
        if (org, event, day) in seen or (org, event, day) in meetings:
            continue
        seen.add((org, event, day))
        lines.append(_big_line(rng, org, event, day, by_pk, aliases, event_names, people))
    rng.shuffle(lines)
    header = ["Date", "Événement", "Société", "Contact(s)", "Sujet", "Notes", "Suivi"]
    ambiguous = sorted(short for short, count in shorts.items() if count > 1)
    print(f"{len(ambiguous):,} short names shared by several organisations", file=sys.stderr)
    import csv

    for name, rows in [
        ("log_big.csv", lines),
        (
            "log_big_ambiguous.csv",
            [
                [*line[:2], rng.choice(ambiguous), *line[3:]] if n % 20 == 0 else line
                for n, line in enumerate(lines)
            ],
        ),
    ]:
        with (directory / name).open("w", encoding="utf-8-sig", newline="") as stream:
            writer = csv.writer(stream, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows(rows)


def _big_line(rng, org, event, day, by_pk, aliases, event_names, people):
    name, short = by_pk[org]
    roll = rng.random()
    if roll < 0.15:
        spelling = name.upper()
    elif roll < 0.3 and org in aliases:
        spelling = aliases[org]
    elif roll < 0.4 and short:
        spelling = short
    else:
        spelling = name
    known = people.get(org, [])
    roll = rng.random()
    contacts = ""
    if roll < 0.02:  # someone the CRM does not know yet
        contacts = f"{FIRST[org % len(FIRST)]} {LAST[org % len(LAST)]}-{org}"
    elif roll < 0.6 and known:
        contacts = rng.choice(known)
    return [
        day.isoformat() if rng.random() < 0.5 else day.strftime("%d/%m/%Y"),
        event_names[event] if event else "",
        spelling,
        contacts,
        rng.choice(TOPICS),
        rng.choice(NOTES),
        rng.choice(FOLLOW_UPS),
    ]


def measure_dry_run(path):
    from events.importing import import_meeting_log

    with path.open("rb") as stream:
        started = time.perf_counter()
        report = import_meeting_log(stream=stream, file_name=path.name, dry_run=True)
        seconds = time.perf_counter() - started
    marker = "several organisations"
    return {
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "lines": report.lines,
        "ambiguous": sum(marker in error.reason for error in report.errors),
    }


# --- Measurement --------------------------------------------------------------------------


def measure_import(path, rows_path):
    from django.contrib.auth import get_user_model
    from django.db import connection

    from events.follow_ups.models import FollowUp
    from events.importing import import_meeting_log
    from events.importing.writer import MEETING_FIELDS
    from events.models import Meeting

    # Attributed to a user, as every admin import is (history rows then reference the user).
    user = get_user_model().objects.create_user("bench-importer")
    with path.open("rb") as stream:
        started = time.perf_counter()
        report = import_meeting_log(stream=stream, file_name=path.name, user=user)
        seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert not report.has_errors, (report.file_error, report.errors[:5])
    record = report.record
    attnames = [Meeting._meta.get_field(name).attname for name in MEETING_FIELDS]
    rows = list(record.meetings.order_by("pk").values_list(*attnames))
    links = list(
        Meeting.people.through.objects.filter(meeting__import_record=record)
        .order_by("pk")
        .values_list("meeting_id", "person_id")
    )
    people = list(record.new_people.values_list("pk", "first_name", "last_name", "organisation"))
    # The follow-up tasks of the new meetings, as the database stores them (the raw load
    # writes them as they are).
    tasks = FollowUp._meta.db_table
    columns = [field.column for field in FollowUp._meta.concrete_fields]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(columns)} FROM {tasks} WHERE meeting_id IN "
            f"(SELECT id FROM {Meeting._meta.db_table} WHERE import_record_id = %s) ORDER BY id",
            [record.pk],
        )
        tasks = cursor.fetchall()
    data = {
        "record": record.pk,
        "user": (user.pk, user.username),
        "rows": rows,
        "links": links,
        "people": people,
        "task_columns": columns,
        "tasks": tasks,
    }
    with rows_path.open("wb") as stream:
        pickle.dump(data, stream)
    return {
        "seconds": seconds,
        "peak_mb": peak_mb,
        "lines": report.lines,
        "meetings": len(rows),
        "links": len(links),
        "contacts": len(people),
        "tasks": len(tasks),
    }


def measure_raw_load(rows_path):
    """The same resolved rows loaded by the driver alone: meetings, then links, then the
    meetings' follow-up tasks, each in one transaction. What they refer to (the importing
    user, the import record, new contacts) is created first, untimed."""
    import datetime

    from django.contrib.auth import get_user_model
    from django.db import connection

    from events.follow_ups.models import FollowUp
    from events.importing.writer import MEETING_FIELDS
    from events.models import ImportRecord, Meeting
    from partners.models import Person

    with rows_path.open("rb") as stream:
        data = pickle.load(stream)
    user_id, username = data["user"]
    get_user_model().objects.create_user(username, pk=user_id)
    ImportRecord.objects.create(
        pk=data["record"], source="command", file_name="raw", checksum="", file_size=0
    )
    Person.objects.bulk_create(
        [
            Person(pk=pk, first_name=first, last_name=last, organisation_id=organisation)
            for pk, first, last, organisation in data["people"]
        ]
    )
    rows, links, tasks = data["rows"], data["links"], data["tasks"]
    meetings = Meeting._meta.db_table
    columns = ", ".join(Meeting._meta.get_field(name).column for name in MEETING_FIELDS)
    link_table = Meeting.people.through._meta.db_table
    task_table, task_columns = FollowUp._meta.db_table, ", ".join(data["task_columns"])
    connection.ensure_connection()
    raw = connection.connection
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        sql = f"COPY {meetings} ({columns}) FROM STDIN"
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
        meetings_seconds = time.perf_counter() - started
        sql = f"COPY {link_table} (meeting_id, person_id) FROM STDIN"
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in links:
                copy.write_row(row)
        sql = f"COPY {task_table} ({task_columns}) FROM STDIN"
        with raw.transaction(), raw.cursor() as cursor, cursor.copy(sql) as copy:
            for row in tasks:
                copy.write_row(row)
        seconds = time.perf_counter() - started
    else:
        # Dates and times as SQLite stores them (text), prepared untimed.
        tasks = [
            tuple(str(value) if isinstance(value, datetime.date) else value for value in row)
            for row in tasks
        ]
        placeholders = ", ".join("?" * len(MEETING_FIELDS))
        started = time.perf_counter()
        raw.execute("BEGIN")
        raw.executemany(
            f"INSERT INTO {meetings} ({columns}) VALUES ({placeholders})",
            [(row[0], row[1].isoformat(), *row[2:]) for row in rows],
        )
        raw.execute("COMMIT")
        meetings_seconds = time.perf_counter() - started
        raw.execute("BEGIN")
        raw.executemany(f"INSERT INTO {link_table} (meeting_id, person_id) VALUES (?, ?)", links)
        raw.execute("COMMIT")
        placeholders = ", ".join("?" * len(data["task_columns"]))
        raw.execute("BEGIN")
        raw.executemany(f"INSERT INTO {task_table} ({task_columns}) VALUES ({placeholders})", tasks)
        raw.execute("COMMIT")
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "meetings_seconds": meetings_seconds}


if __name__ == "__main__":
    main()
