"""`make bench`: is the CRM still instant with 100× the data? Figures, never a failure.

    python bench/run.py [--keep] [--only pages,admin,exports,import,load] [--skip-load] …

1. The data set (bench/dataset.py): a million meetings in BENCH_DATABASE_URL (default
   genopole_bench), created, migrated, and dropped at the end unless `--keep`.
2. pages, admin: every list page (default view, a deep page, three filter combinations, a
   text search among them), the detail pages of the largest records (and of a small one,
   to see whether the query count depends on the data), the dashboard and report of a
   year, the global search, the admin changelists and searches, and the admin change pages
   of the largest event and organisation. In a worker process with Django's test Client,
   logged in as an Administrator (second factor verified, as tests/helpers.py does), with
   production settings (DEBUG off, cached templates). For each: status, SQL queries,
   response size, median server time over `--runs` runs (fewer if a page is slow: at most
   `--budget` seconds each), and its ratio to the trivial page (bench/urls.py: the same
   base template around nothing) measured in the same worker. A page slower than
   `--timeout` seconds is abandoned (the worker is killed and a new one goes on).
3. exports: each list's full CSV, and the admin's export of meetings (CSV), each in its own
   process: time to first byte, total time, size and the process's peak memory above its
   resident size before the request.
4. import: the 100k-line meeting-log import against a raw COPY of the same rows, on a copy
   of the big database (bench/import_meetings.py, when it has its big-database mode).
5. load: gunicorn (gunicorn.conf.py) on 127.0.0.1 against the bench database, locust
   headless for `--load-seconds` per scenario: requests/s, p50/p95/p99, errors, and the
   throughput of each page as a share of the trivial page's.

Prints one table and writes bench-results.json: a list of {name, value, unit, target, pass}
(target and pass are null for figures that are only informative). Exit status 0 whatever
the figures: benchmarks are not tests.
"""

import argparse
import json
import os
import selectors
import statistics
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT / "bench"))
sys.path.insert(0, str(PROJECT))

import dataset  # noqa: E402

SECTIONS = ("pages", "admin", "exports", "import", "load")
RESULTS = PROJECT / "bench-results.json"
PAGE_SIZE_LIMIT_KB = 100
TIME_RATIO_LIMIT = 2.0
QUERY_LIMIT = 30
DEEP_PAGE_RATIO_LIMIT = 1.2  # "no slower than page 1", with room for measurement noise
LOAD_SHARE_LIMIT = 0.25
EXPORT_FIRST_BYTE_LIMIT_S = 1.0
EXPORT_MEMORY_LIMIT_MB = 50
BENCH_USER = "bench-administrator"
BENCH_VIEWER = "bench-viewer"
BENCH_PASSWORD = "bench-only-password-8b1e"  # a user of the throw-away bench database


STATIC_ROOT = Path("/tmp") / f"{dataset.database_url().rpartition('/')[2]}_static"


def bench_environment():
    return {**dataset.django_environment(dataset.database_url()),
            "DJANGO_SETTINGS_MODULE": "bench.settings", "PYTHONPATH": str(PROJECT),
            "DJANGO_STATIC_ROOT": str(STATIC_ROOT)}


# --- The orchestrator (no Django in this process) ------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench database afterwards, and reuse a filled one")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections among {', '.join(SECTIONS)}")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the 100× data")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per page")
    parser.add_argument("--budget", type=float, default=8.0,
                        help="seconds of timed runs per page at most")
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="seconds after which one page is abandoned")
    parser.add_argument("--export-timeout", type=float, default=120.0)
    parser.add_argument("--load-seconds", type=int, default=30)
    parser.add_argument("--load-users", type=int, default=8)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8250)))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return run_worker(args)
    sections = [s.strip() for s in args.only.split(",") if s.strip()]
    unknown = set(sections) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")
    if args.skip_load and "load" in sections:
        sections.remove("load")
    if args.skip_import and "import" in sections:
        sections.remove("import")

    started = time.perf_counter()
    dataset.create(keep=args.keep, scale=args.scale)
    measurements = []
    try:
        # Production settings serve hashed static files: collected as a deployment does.
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                       cwd=PROJECT, env=bench_environment(), check=True)
        _worker("setup", args)
        page_sections = [s for s in sections if s in ("pages", "admin")]
        if page_sections:
            measurements += measure_pages(page_sections, args)
        if "exports" in sections:
            measurements += measure_exports(args)
        if "import" in sections:
            measurements += measure_import(args)
        if "load" in sections:
            import load

            measurements += load.measure(args, bench_environment(), BENCH_VIEWER,
                                         BENCH_PASSWORD, LOAD_SHARE_LIMIT)
    finally:
        if not args.keep:
            dataset.drop()
    rows = results_rows(measurements)
    print_table(measurements, rows)
    public = [{key: value for key, value in row.items() if key != "of"} for row in rows]
    RESULTS.write_text(json.dumps(public, indent=1, ensure_ascii=False) + "\n")
    print(f"\n{len(rows)} results in {RESULTS.name}; "
          f"{sum(1 for r in rows if r['pass'] is False)} targets missed; "
          f"{time.perf_counter() - started:.0f} s in all.")
    return 0


def _worker(task, args, stdin=None):
    """Runs this file as a worker with the bench settings; returns its JSON lines."""
    result = subprocess.run(
        [sys.executable, __file__, "--worker", task, "--runs", str(args.runs),
         "--budget", str(args.budget)],
        cwd=PROJECT, env=bench_environment(), input=stdin, text=True,
        stdout=subprocess.PIPE, check=True,
    )
    return [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]


def measure_pages(sections, args):
    """Pages one after the other in a worker; one slower than --timeout is recorded as
    such and a new worker goes on with the next page."""
    done, results = set(), []
    while True:
        process = subprocess.Popen(
            [sys.executable, __file__, "--worker", "pages", "--runs", str(args.runs),
             "--budget", str(args.budget)],
            cwd=PROJECT, env=bench_environment(), text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        process.stdin.write(json.dumps({"sections": sections, "skip": sorted(done)}))
        process.stdin.close()
        lines = _lines_of(process.stdout.fileno())
        current, finished = None, False
        while True:
            wait = args.timeout if current else None
            line = lines(wait)
            if line is TimeoutError:
                # The current page is too slow: give it up, and start again after it.
                process.kill()
                process.wait()
                print(f"   {current['name']}: abandoned after {args.timeout:.0f} s",
                      file=sys.stderr)
                results.append({**current, "kind": "page", "timeout": args.timeout})
                done.add(current["name"])
                break
            if line is None:
                if process.wait() == 0:
                    finished = True
                elif current and current["name"] not in done:
                    # The worker failed on this page (its error is above): go on after it.
                    results.append({**current, "kind": "page", "error": process.returncode})
                    done.add(current["name"])
                else:
                    raise RuntimeError("the page worker failed before measuring any page")
                break
            message = json.loads(line)
            if message.get("starting"):
                current = message["starting"]
                continue
            current = None
            results.append(message)
            done.add(message["name"])
            print(f"   {_summary(message)}", file=sys.stderr)
        if finished:
            return results


def _lines_of(fd):
    """A reader of the lines a worker writes to `fd`: each call returns the next line, None
    at the end, or TimeoutError when none comes within `wait` seconds. Unbuffered, so that
    a line already read never waits unseen in a buffer while the clock runs."""
    pending = bytearray()
    selector = selectors.DefaultSelector()
    selector.register(fd, selectors.EVENT_READ)

    def next_line(wait):
        deadline = None if wait is None else time.monotonic() + wait
        while b"\n" not in pending:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not selector.select(left):
                return TimeoutError
            chunk = os.read(fd, 65536)
            if not chunk:
                return None
            pending.extend(chunk)
        line, _, rest = bytes(pending).partition(b"\n")
        pending[:] = rest
        return line.decode()

    return next_line


def _summary(m):
    if "timeout" in m:
        return f"{m['name']}: over {m['timeout']:.0f} s"
    if "error" in m:
        return f"{m['name']}: failed"
    return (f"{m['name']}: {m['status']}, {m.get('queries', '?')} queries, "
            f"{m['bytes'] / 1024:.0f} KB, {m['ms']:.0f} ms")


def measure_exports(args):
    urls = _worker("export-urls", args)
    results = []
    for spec in urls:
        results.append(_measure_export(spec, args))
        print(f"   {spec['name']}: {results[-1]}", file=sys.stderr)
    return results


def _measure_export(spec, args):
    process = subprocess.Popen(
        [sys.executable, __file__, "--worker", "export"],
        cwd=PROJECT, env=bench_environment(), text=True,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
    )
    process.stdin.write(json.dumps(spec))
    process.stdin.close()
    deadline = time.monotonic() + args.export_timeout
    peak_kb = 0
    while process.poll() is None and time.monotonic() < deadline:
        peak_kb = max(peak_kb, _high_water_kb(process.pid))
        time.sleep(0.2)
    timed_out = process.poll() is None
    if timed_out:
        peak_kb = max(peak_kb, _high_water_kb(process.pid))
        process.kill()
        process.wait()
    lines = [json.loads(line) for line in process.stdout.read().splitlines()
             if line.startswith("{")]
    if timed_out or not lines or "status" not in lines[-1]:
        baseline = lines[0]["baseline_mb"] if lines else None
        progress = lines[-1] if lines and "rows_so_far" in lines[-1] else {}
        return {**spec, "kind": "export", "timeout": args.export_timeout,
                "peak_mb": peak_kb / 1024, "baseline_mb": baseline, **progress}
    return {**spec, "kind": "export", **lines[-1]}


def _high_water_kb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def measure_import(args):
    """The 100k-line import on a 100× CRM, as bench/import_meetings.py measures it with
    `--big` (when it has that mode). It builds, and drops, its own template database:
    given a name of its own (ours plus "_import"), never ours."""
    script = PROJECT / "bench" / "import_meetings.py"
    name = "import 100k lines on the big database"
    help_text = subprocess.run([sys.executable, str(script), "--help"], cwd=PROJECT,
                               capture_output=True, text=True).stdout
    if "--big" not in help_text:
        print("   import: bench/import_meetings.py has no --big mode yet; skipped",
              file=sys.stderr)
        return [{"name": name, "kind": "import",
                 "missing": "bench/import_meetings.py has no --big mode"}]
    result = subprocess.run(
        [sys.executable, str(script), "--big", "--repeats", "1"], cwd=PROJECT,
        env={**os.environ, "BENCH_DATABASE_URL": f"{dataset.database_url()}_import"},
        capture_output=True, text=True,
    )
    # Its table: database, lines, import s, rows/s, peak MB, raw load s, ratio.
    rows = [line.split() for line in result.stdout.splitlines()
            if line.startswith("postgresql")]
    if result.returncode or not rows:
        sys.stderr.write(result.stderr[-2000:])
        return [{"name": name, "kind": "import",
                 "missing": f"bench/import_meetings.py --big failed ({result.returncode})"}]
    *_, import_s, _rate, peak_mb, raw_s, ratio = rows[-1]
    return [{"name": name, "kind": "import", "import_seconds": float(import_s),
             "raw_seconds": float(raw_s), "ratio": float(ratio), "peak_mb": float(peak_mb)}]


# --- Results --------------------------------------------------------------------------------


def _row(name, value, unit, target=None, passed=None):
    return {"name": name, "value": value, "unit": unit, "target": target, "pass": passed}


def results_rows(measurements):
    """The rows of bench-results.json, each tagged (`of`) with the measurement it is about."""
    rows = []
    for m in measurements:
        for row in _rows_of(m, measurements):
            rows.append({**row, "of": m["name"]})
    return rows


def _rows_of(m, measurements):
    rows = []
    trivial = next((t for t in measurements if t.get("trivial") and "ms" in t), None)
    trivial_ms = trivial["ms"] if trivial else None
    first_pages = {f["list"]: f for f in measurements if f.get("first_page")}
    name, kind = m["name"], m.get("kind")
    if kind == "page":
        if "timeout" in m or "error" in m:
            rows.append(_row(f"{name}: server time", None, "ms",
                             f"within {TIME_RATIO_LIMIT:g}× the trivial page", False))
            rows[-1]["note"] = (f"abandoned after {m['timeout']:.0f} s" if "timeout" in m
                                else "the page raised an error")
            return rows
        ok = m["status"] == 200
        rows.append(_row(f"{name}: server time", round(m["ms"], 1), "ms"))
        yardstick = m.get("trivial_ms") or trivial_ms
        if yardstick and not m.get("trivial"):
            ratio = m["ms"] / yardstick
            rows.append(_row(f"{name}: time / trivial page", round(ratio, 2), "×",
                             f"≤ {TIME_RATIO_LIMIT:g}", ok and ratio <= TIME_RATIO_LIMIT))
        kb = m["bytes"] / 1024
        rows.append(_row(f"{name}: response size", round(kb, 1), "KB",
                         f"< {PAGE_SIZE_LIMIT_KB}", ok and kb < PAGE_SIZE_LIMIT_KB))
        rows.append(_row(f"{name}: SQL queries", m["queries"], "queries",
                         f"≤ {QUERY_LIMIT}", ok and m["queries"] <= QUERY_LIMIT))
        if m.get("compare_queries_with"):
            other = next((o for o in measurements
                          if o["name"] == m["compare_queries_with"] and "queries" in o), None)
            if other:
                rows.append(_row(f"{name}: queries, largest − small record",
                                 m["queries"] - other["queries"], "queries", "0",
                                 m["queries"] == other["queries"]))
        if m.get("deep_page") and m["list"] in first_pages:
            first = first_pages[m["list"]]
            if "ms" in first:
                ratio = m["ms"] / first["ms"]
                rows.append(_row(f"{name}: time / page 1", round(ratio, 2), "×",
                                 f"≤ {DEEP_PAGE_RATIO_LIMIT:g}",
                                 ok and ratio <= DEEP_PAGE_RATIO_LIMIT))
        if not ok:
            rows[-1]["note"] = f"status {m['status']}"
    elif kind == "export":
        rows += _export_rows(m)
    elif kind == "import":
        rows += _import_rows(m)
    elif kind == "load":
        rows += m["rows"]
    return rows


def _export_rows(m):
    name = m["name"]
    if "timeout" in m:
        grown = m["peak_mb"] - (m.get("baseline_mb") or 0)
        if "first_byte_s" in m:  # it streamed, but did not finish in time
            unfinished = (f"unfinished after {m['timeout']:.0f} s: {m['rows_so_far']:,} lines "
                          f"in {m['seconds_so_far']:.0f} s")
            first = _row(f"{name}: time to first byte", round(m["first_byte_s"], 3), "s",
                         f"≤ {EXPORT_FIRST_BYTE_LIMIT_S:g}",
                         m["first_byte_s"] <= EXPORT_FIRST_BYTE_LIMIT_S) | {"note": unfinished}
        else:
            first = _row(f"{name}: time to first byte", None, "s",
                         f"≤ {EXPORT_FIRST_BYTE_LIMIT_S:g}", False) | {
                "note": f"no byte within {m['timeout']:.0f} s"}
        return [
            first,
            _row(f"{name}: total time", None, "s", f"within {m['timeout']:.0f}", False),
            _row(f"{name}: peak memory (process, when abandoned)", round(m["peak_mb"]), "MB",
                 f"growth < {EXPORT_MEMORY_LIMIT_MB}",
                 False if m.get("baseline_mb") is None else grown < EXPORT_MEMORY_LIMIT_MB),
        ]
    ok = m["status"] == 200
    grown = m["peak_mb"] - m["baseline_mb"]
    return [
        _row(f"{name}: time to first byte", round(m["first_byte_s"], 3), "s",
             f"≤ {EXPORT_FIRST_BYTE_LIMIT_S:g}",
             ok and m["first_byte_s"] <= EXPORT_FIRST_BYTE_LIMIT_S),
        _row(f"{name}: total time", round(m["seconds"], 2), "s"),
        _row(f"{name}: size", round(m["bytes"] / 1024 / 1024, 1), "MB"),
        _row(f"{name}: lines per second", round(m["rows"] / max(m["seconds"], 1e-9)), "lines/s"),
        _row(f"{name}: memory growth", round(grown, 1), "MB",
             f"< {EXPORT_MEMORY_LIMIT_MB} (streamed)", ok and grown < EXPORT_MEMORY_LIMIT_MB),
        _row(f"{name}: streamed", bool(m["streamed"]), "", "true", bool(m["streamed"])),
    ]


def _import_rows(m):
    name = m["name"]
    if "missing" in m:
        return [_row(f"{name}: import / COPY", None, "×", "≤ 2", None) | {"note": m["missing"]}]
    return [
        _row(f"{name}: import time", m.get("import_seconds"), "s"),
        _row(f"{name}: raw COPY time", m.get("raw_seconds"), "s"),
        _row(f"{name}: import / COPY", m.get("ratio"), "×", "≤ 2",
             m.get("ratio") is not None and m["ratio"] <= 2),
        _row(f"{name}: peak memory", m.get("peak_mb"), "MB", "< 250",
             m.get("peak_mb") is not None and m["peak_mb"] < 250),
    ]


# How the table's last column names a missed target.
SHORT = {
    "time / trivial page": "time",
    "response size": "size",
    "SQL queries": "queries",
    "queries, largest − small record": "queries grow",
    "time / page 1": "deep page slower",
}


def print_table(measurements, rows):
    print()
    print(f"{'page':<58}{'status':>7}{'queries':>8}{'KB':>8}{'ms':>9}{'×triv':>7}  missed")
    trivial = next((m for m in measurements if m.get("trivial") and "ms" in m), None)
    for m in measurements:
        if m.get("kind") != "page":
            continue
        missed = [SHORT.get(r["name"][len(m["name"]) + 2:], "?") for r in rows
                  if r["of"] == m["name"] and r["pass"] is False]
        if "timeout" in m or "error" in m:
            what = f">{m['timeout'] * 1000:.0f}" if "timeout" in m else "error"
            print(f"{m['name'][:57]:<58}{'':>7}{'':>8}{'':>8}{what:>9}{'':>7}  "
                  f"{'abandoned' if 'timeout' in m else 'raised an error'}")
            continue
        yardstick = m.get("trivial_ms") or (trivial["ms"] if trivial else None)
        ratio = m["ms"] / yardstick if yardstick else 0
        print(f"{m['name'][:57]:<58}{m['status']:>7}{m['queries']:>8}{m['bytes'] / 1024:>8.0f}"
              f"{m['ms']:>9.0f}{ratio:>7.1f}  {', '.join(missed)}")
    pages = {m["name"] for m in measurements if m.get("kind") == "page"}
    others = [r for r in rows if r["of"] not in pages]
    if others:
        print()
        print(f"{'measurement':<78}{'value':>12} {'unit':<8}{'target':<24}pass")
        for r in others:
            value = "—" if r["value"] is None else r["value"]
            passed = {True: "yes", False: "NO", None: ""}[r["pass"]]
            note = f"  ({r['note']})" if r.get("note") else ""
            print(f"{r['name'][:77]:<78}{value!s:>12} {r['unit']:<8}{r['target'] or '':<24}"
                  f"{passed}{note}")
    print()
    print(f"Pages: median server time of up to N runs in one process (Django test Client, "
          f"production settings, PostgreSQL); ×triv = time / the trivial page's, measured "
          f"again right after each page (the machine's load drifts). Targets: "
          f"≤ {TIME_RATIO_LIMIT:g}× trivial, < {PAGE_SIZE_LIMIT_KB} KB, ≤ {QUERY_LIMIT} "
          f"queries, deep page ≤ {DEEP_PAGE_RATIO_LIMIT:g}× page 1.")


# --- Workers (Django set up with bench.settings) -------------------------------------------


def run_worker(args):
    import django

    django.setup()
    task = args.worker
    if task == "setup":
        bench_users()
    elif task == "pages":
        request = json.loads(sys.stdin.read())
        worker_pages(request["sections"], set(request["skip"]), args)
    elif task == "load-ids":
        print(json.dumps(load_ids()), flush=True)
    elif task == "export-urls":
        for spec in export_specs():
            print(json.dumps(spec), flush=True)
    elif task == "export":
        worker_export(json.loads(sys.stdin.read()))
    return 0


def bench_users():
    """An Administrator (who must use a second factor) and a Viewer, both with a password."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from core.roles import ADMINISTRATOR, VIEWER

    User = get_user_model()
    for username, role, staff in ((BENCH_USER, ADMINISTRATOR, True),
                                  (BENCH_VIEWER, VIEWER, False)):
        user, _ = User.objects.get_or_create(
            username=username, defaults={"is_staff": staff, "first_name": "Bench"}
        )
        user.set_password(BENCH_PASSWORD)
        user.save()
        user.groups.set([Group.objects.get(name=role)])


def logged_in_client():
    from django.contrib.auth import get_user_model
    from django.test import Client

    from tests.helpers import log_in

    client = Client(headers={"host": "localhost"}, secure=True)
    return log_in(client, get_user_model().objects.get(username=BENCH_USER))


def page_specs(sections):
    """(section, name, url, extra) of every page measured, with the ids of the largest
    records looked up in the data."""
    from django.db.models import Count

    from events.follow_ups.models import FollowUp
    from events.models import Event, Meeting
    from partners.models import Organisation, Partnership, Person
    from projects.models import ConsortiumMember, Programme, Project

    def most(model, relation):
        return (model.objects.order_by().annotate(n=Count(relation)).order_by("-n", "pk")
                .values_list("pk", flat=True)[0])

    def fewest(model, relation):
        return (model.objects.order_by().annotate(n=Count(relation)).filter(n__gte=1)
                .order_by("n", "pk").values_list("pk", flat=True)[0])

    organisation = (Meeting.objects.order_by().values("organisation")
                    .annotate(n=Count("pk")).order_by("-n")[0]["organisation"])
    event = (Meeting.objects.exclude(event=None).order_by().values("event")
             .annotate(n=Count("pk")).order_by("-n")[0]["event"])
    small_organisation = fewest(Organisation, "meetings")
    small_event = fewest(Event, "meetings")
    person = (Meeting.people.through.objects.order_by().values("person")
              .annotate(n=Count("pk")).order_by("-n")[0]["person"])
    project = most(Project, "consortium")
    meeting = Meeting.objects.filter(event=event).order_by("pk").values_list("pk", flat=True)[0]
    programme = Programme.objects.order_by("pk").values_list("pk", flat=True)[0]
    coordinator = (ConsortiumMember.objects.filter(role="coordinator").order_by()
                   .values("organisation").annotate(n=Count("pk")).order_by("-n")[0]
                   ["organisation"])
    year = Event.objects.order_by("-start_date").values_list("start_date__year", flat=True)[0]
    year = min(year, 2024)

    def last_page(count):
        return max(1, -(-count // 50))

    lists = [
        ("organisations", "/organisations/", Organisation.objects.count(), [
            ("text search “bio”", "q=bio"),
            ("clusters", "kind=cluster"),
            ("German SMEs by most meetings", "country=DE&kind=sme&sort=-meetings"),
        ]),
        ("people", "/people/", Person.objects.count(), [
            ("text search “müller”", "q=m%C3%BCller"),
            ("of the largest organisation", f"organisation={organisation}"),
            ("at universities, by country", "organisation_kind=university&sort=country"),
        ]),
        ("partnerships", "/partnerships/", Partnership.objects.count(), [
            ("text search “agreement”", "q=agreement"),
            ("active cooperations", "status=active&type=cooperation"),
            ("French, started 2020", "country=FR&start_year=2020"),
        ]),
        ("events", "/events/", Event.objects.count(), [
            ("text search “bio”", "q=bio"),
            (f"conventions of {year}", f"year={year}&kind=convention"),
            ("attended, by most meetings", "attended=true&sort=-meetings"),
        ]),
        ("meetings", "/meetings/", Meeting.objects.count(), [
            ("text search “partnering”", "q=partnering"),
            ("at the largest event", f"event={event}"),
            ("largest organisation 2020–2024",
             f"organisation={organisation}&date_from=2020-01-01&date_to=2024-12-31"),
        ]),
        ("projects", "/projects/", Project.objects.count(), [
            ("text search “gen”", "q=gen"),
            ("running, of one programme", f"status=running&programme={programme}"),
            ("coordinated by one organisation", f"member={coordinator}&role=coordinator"),
        ]),
        ("follow-ups", "/follow-ups/", FollowUp.objects.count(), [
            ("anyone's overdue", "owner=anyone&state=open&due=overdue"),
            ("about the largest organisation",
             f"owner=anyone&state=all&organisation={organisation}"),
            ("at the largest event", f"owner=anyone&state=all&event={event}"),
        ]),
    ]
    specs = []
    if "pages" in sections:
        for list_name, url, count, filters in lists:
            deep = "owner=anyone&state=all&" if list_name == "follow-ups" else ""
            first = f"{url}?{deep}" if deep else url
            specs.append({"name": f"{list_name}: list", "url": first, "list": list_name,
                          "first_page": True})
            specs.append({"name": f"{list_name}: deep page {last_page(count)}",
                          "url": f"{url}?{deep}page={last_page(count)}", "list": list_name,
                          "deep_page": True})
            for label, query in filters:
                specs.append({"name": f"{list_name}: {label}", "url": f"{url}?{query}"})
        specs += [
            {"name": "organisation: largest (most meetings)",
             "url": f"/organisations/{organisation}/",
             "compare_queries_with": "organisation: small (fewest meetings)"},
            {"name": "organisation: small (fewest meetings)",
             "url": f"/organisations/{small_organisation}/"},
            {"name": "event: largest (most meetings)", "url": f"/events/{event}/",
             "compare_queries_with": "event: small (fewest meetings)"},
            {"name": "event: small (fewest meetings)", "url": f"/events/{small_event}/"},
            {"name": "person: most meetings", "url": f"/people/{person}/"},
            {"name": "project: largest consortium", "url": f"/projects/{project}/"},
            {"name": "meeting: one at the largest event", "url": f"/meetings/{meeting}/"},
            {"name": f"dashboard {year}", "url": f"/?year={year}", "after_edit": True},
            {"name": f"report {year}", "url": f"/reports/{year}/", "after_edit": True},
            {"name": "search “bio”", "url": "/search/?q=bio"},
            {"name": "search “müller”", "url": "/search/?q=m%C3%BCller"},
        ]
    if "admin" in sections:
        specs += [
            {"name": "admin organisations", "url": "/admin/partners/organisation/"},
            {"name": "admin organisations: search “bio”",
             "url": "/admin/partners/organisation/?q=bio"},
            {"name": "admin people", "url": "/admin/partners/person/"},
            {"name": "admin people: search “müller”",
             "url": "/admin/partners/person/?q=m%C3%BCller"},
            {"name": "admin meetings", "url": "/admin/events/meeting/"},
            {"name": "admin meetings: search “bio”", "url": "/admin/events/meeting/?q=bio"},
            {"name": f"admin meetings: {year}", "url": f"/admin/events/meeting/?date__year={year}"},
            {"name": "admin change: largest organisation",
             "url": f"/admin/partners/organisation/{organisation}/change/"},
            {"name": "admin change: largest event",
             "url": f"/admin/events/event/{event}/change/"},
        ]
    return specs


def _timed(client, url):
    started = time.perf_counter()
    response = client.get(url)
    size = sum(len(c) for c in response.streaming_content) if response.streaming else len(
        response.content)
    return time.perf_counter() - started, response, size


def _measure_page(client, spec, args):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    connection.queries_log.clear()  # a bounded deque: once full, it would count nothing
    with CaptureQueriesContext(connection) as captured:
        first_s, response, size = _timed(client, spec["url"])
    queries = len(captured)  # now: the next request empties the log it reads
    times = [] if first_s < 1 else [first_s]  # a slow page's first run counts
    spent = first_s
    while len(times) < args.runs and spent < args.budget:
        seconds, response, _ = _timed(client, spec["url"])
        times.append(seconds)
        spent += seconds
    return {**spec, "kind": "page", "status": response.status_code, "queries": queries,
            "bytes": size, "ms": statistics.median(times) * 1000, "runs": len(times)}


def worker_pages(sections, skip, args):
    from bench.urls import TRIVIAL_URL

    client = logged_in_client()
    specs = [{"name": "trivial page (base template, logged in)", "url": TRIVIAL_URL,
              "trivial": True}, *page_specs(sections)]
    for spec in specs:
        if spec["name"] in skip:
            continue
        print(json.dumps({"starting": spec}), flush=True)
        if spec.get("trivial"):
            trivial_args = argparse.Namespace(runs=max(15, args.runs), budget=args.budget)
            result = _measure_page(client, spec, trivial_args)
        else:
            result = _measure_page(client, spec, args)
            # The yardstick again, right after: the machine's load drifts during a run.
            times = [_timed(client, TRIVIAL_URL)[0] for _ in range(5)]
            result["trivial_ms"] = statistics.median(times) * 1000
        print(json.dumps(result), flush=True)
        if spec.get("after_edit"):
            print(json.dumps(_first_view_after_an_edit(client, result)), flush=True)


def _first_view_after_an_edit(client, measured):
    """A page cached per data version (core.caching) once more, as the first view after an
    edit sees it: computed afresh. Emptying the cache stands for the edit (the bench
    database is read-only); one run, since the next is cached again."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as captured:
        seconds, response, size = _timed(client, measured["url"])
    return {**measured, "name": f"{measured['name']}, first view after an edit",
            "after_edit": False, "status": response.status_code, "queries": len(captured),
            "bytes": size, "ms": seconds * 1000, "runs": 1}


def _largest(relation):
    from django.db.models import Count

    from events.models import Meeting

    return (Meeting.objects.exclude(**{relation: None}).order_by().values(relation)
            .annotate(n=Count("pk")).order_by("-n")[0][relation])


def load_ids():
    return {"organisation": _largest("organisation"), "event": _largest("event"), "year": 2024}


def export_specs():
    from django.db.models import Count

    from events.models import Meeting

    event = (Meeting.objects.exclude(event=None).order_by().values("event")
             .annotate(n=Count("pk")).order_by("-n")[0]["event"])
    # The admin's export (django-import-export) is a form posted with its format and fields.
    admin_export = {"format": "0", "resource": "0", **{
        f"meetingresource_{field}": "on" for field in (
            "date", "event", "organisation", "contacts", "topic", "notes", "follow_up",
            "follow_up_status")}}  # fmt: skip
    return [
        {"name": f"export {name} (CSV)", "url": f"{url}{'&' if '?' in url else '?'}export=csv"}
        for name, url in (
            ("organisations, all", "/organisations/"),
            ("people, all", "/people/"),
            ("partnerships, all", "/partnerships/"),
            ("events, all", "/events/"),
            ("projects, all", "/projects/"),
            ("meetings at the largest event", f"/meetings/?event={event}&"),
            ("meetings, all", "/meetings/"),
        )
    ] + [
        {"name": f"admin export {name} (CSV)", "url": url, "post": admin_export}
        for name, url in (
            ("meetings at the largest event",
             f"/admin/events/meeting/export/?event__id__exact={event}"),
            ("meetings, all", "/admin/events/meeting/export/"),
        )  # fmt: skip
    ]


def _resident_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def worker_export(spec):
    import resource

    from bench.urls import TRIVIAL_URL

    client = logged_in_client()
    client.get(TRIVIAL_URL)
    baseline_kb = _resident_kb()
    print(json.dumps({"baseline_mb": baseline_kb / 1024}), flush=True)
    started = time.perf_counter()
    post = spec.get("post")
    response = client.post(spec["url"], post) if post else client.get(spec["url"])
    first_byte, size, rows = None, 0, 0
    chunks = response.streaming_content if response.streaming else [response.content]
    reported = 0.0
    for chunk in chunks:
        now = time.perf_counter() - started
        if first_byte is None:
            first_byte = now
        size += len(chunk)
        rows += chunk.count(b"\n")
        if now - reported > 2:  # how far it got, should it be abandoned
            print(json.dumps({"first_byte_s": first_byte, "rows_so_far": rows,
                              "seconds_so_far": now}), flush=True)
            reported = now
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "status": response.status_code, "streamed": response.streaming,
        "first_byte_s": first_byte or seconds, "seconds": seconds, "bytes": size,
        "rows": max(rows - 1, 0), "peak_mb": peak_kb / 1024, "baseline_mb": baseline_kb / 1024,
    }), flush=True)


if __name__ == "__main__":
    sys.exit(main())
