"""The load test of `make bench`: gunicorn on 127.0.0.1 against the bench database, with
the production settings of gunicorn.conf.py, and locust (bench/locustfile.py) asking for
one page per scenario for a bounded time. Only the loopback is ever a target."""

import csv
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TRIVIAL = "trivial page"


def scenarios(urls):
    return [
        (TRIVIAL, "/bench/trivial/"),
        ("log-in", "login"),
        ("filtered list: organisations, clusters", "/organisations/?kind=cluster"),
        ("filtered list: meetings at the largest event", f"/meetings/?event={urls['event']}"),
        ("detail: largest organisation", f"/organisations/{urls['organisation']}/"),
        ("detail: largest event", f"/events/{urls['event']}/"),
        ("dashboard", f"/?year={urls['year']}"),
    ]


def _wait_until_up(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn stopped before answering")
        try:
            with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer in time")


def log_in(base, username, password):
    """The session cookie ("name=value") of `username`, logged in through the log-in form."""
    import http.cookiejar
    import re
    import urllib.parse

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/accounts/login/", timeout=60).read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"username": username, "password": password, "csrfmiddlewaretoken": token}
    ).encode()
    opener.open(f"{base}/accounts/login/", data=data, timeout=60).read()
    session = [c for c in jar if c.name.endswith("sessionid")]
    if not session:
        raise RuntimeError("the bench user could not log in")
    return f"{session[0].name}={session[0].value}"


def measure(args, environment, username, password, share_limit):
    """Rows of bench-results.json for every scenario, gunicorn started and stopped here."""
    ids = json.loads(
        subprocess.run(
            [sys.executable, str(PROJECT / "bench" / "run.py"), "--worker", "load-ids"],
            cwd=PROJECT, env=environment, check=True, text=True, stdout=subprocess.PIPE,
        ).stdout.splitlines()[-1]
    )
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "genopole_crm.wsgi:application",
         "--config", str(PROJECT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{args.port}",
         "--access-logfile", "/dev/null", "--log-level", "warning"],
        cwd=PROJECT, env=environment,
    )
    results = []
    try:
        _wait_until_up(base, server)
        cookie = log_in(base, username, password)
        workdir = Path(tempfile.mkdtemp(prefix="genopole_load_"))
        for name, path in scenarios(ids):
            print(f"== load: {name} ({args.load_seconds} s, {args.load_users} users)",
                  file=sys.stderr)
            results.append(_run_locust(name, path, base, args, username, password, cookie,
                                       workdir))
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    return [{"name": f"load: {r['name']}", "kind": "load", "rows": _rows(r, results,
                                                                            share_limit)}
            for r in results]


def _run_locust(name, path, base, args, username, password, cookie, workdir):
    prefix = workdir / name.replace(" ", "_").replace(":", "").replace(",", "")
    subprocess.run(
        [sys.executable, "-m", "locust", "--locustfile", str(PROJECT / "bench" / "locustfile.py"),
         "--headless", "--host", base, "--users", str(args.load_users),
         "--spawn-rate", str(args.load_users), "--run-time", f"{args.load_seconds}s",
         "--stop-timeout", "10", "--csv", str(prefix), "--only-summary", "--loglevel", "ERROR"],
        cwd=PROJECT,
        env={**os.environ, "BENCH_PATH": path, "BENCH_NAME": name,
             "BENCH_USERNAME": username, "BENCH_PASSWORD": password, "BENCH_COOKIE": cookie},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    with open(f"{prefix}_stats.csv", newline="") as stream:
        stats = {row["Name"]: row for row in csv.DictReader(stream)}
    row = stats.get(name, {})

    def number(key):
        value = row.get(key, "")
        return float(value) if value not in ("", "N/A") else None

    return {
        "name": name,
        "requests": int(number("Request Count") or 0),
        "failures": int(number("Failure Count") or 0),
        "rps": number("Requests/s") or 0.0,
        "p50": number("50%"),
        "p95": number("95%"),
        "p99": number("99%"),
    }


def _row(name, value, unit, target=None, passed=None):
    return {"name": name, "value": value, "unit": unit, "target": target, "pass": passed}


def _rows(r, results, share_limit):
    trivial = next((t for t in results if t["name"] == TRIVIAL), None)
    name = f"load: {r['name']}"
    rows = [
        _row(f"{name}: requests/s", round(r["rps"], 1), "req/s"),
        _row(f"{name}: requests answered", r["requests"], "requests"),
        _row(f"{name}: p50", r["p50"], "ms"),
        _row(f"{name}: p95", r["p95"], "ms"),
        _row(f"{name}: p99", r["p99"], "ms"),
        _row(f"{name}: errors", r["failures"], "requests", "0",
             r["failures"] == 0 and r["requests"] > 0),
    ]
    if trivial and r is not trivial and trivial["rps"]:
        share = r["rps"] / trivial["rps"]
        rows.append(_row(f"{name}: throughput / trivial page", round(share, 3), "×",
                         f"≥ {share_limit:g}", share >= share_limit))
    return rows
