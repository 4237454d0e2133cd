"""Peak memory of the meeting-log import on zip bombs and oversized CSV (issue 15, finding 2).

    .venv/bin/python bench/zip_bombs.py [--code DIR] [--only command|admin]

Writes the full-size hostile files of tests/data/bombs.py (50 million cells, a 1 GB shared
string, a sheet declaring 17 billion cells, a 200 kB cell, a 50 MB line, a 128 kB header) to
a temporary folder, then imports each through the command (`import_meetings --dry-run`) and
through the admin's upload page, each in its own process capped at 3 GB of address space and
120 s, and prints the peak resident memory and the outcome. `--code DIR` measures another
checkout (e.g. the code before the fix) with the same files and database.
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CAP_BYTES, CAP_SECONDS = 3 << 30, 120


def environment(code, database):
    return {
        **os.environ,
        "PYTHONPATH": str(code),
        "DJANGO_SETTINGS_MODULE": "genopole_crm.settings",
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{database}",
    }


def child(mode, path):
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()  # the test client's host, as in the tests (no DisallowedHost)

    started = time.monotonic()
    if mode == "command":
        try:
            call_command("import_meetings", path, "--dry-run", stdout=io.StringIO())
            outcome = "ok"
        except BaseException as error:  # noqa: BLE001 -- what happened is the measurement
            outcome = f"{type(error).__name__}: {str(error)[:110]}"
    else:
        user, _ = get_user_model().objects.get_or_create(
            username="bench", defaults={"is_staff": True, "is_superuser": True}
        )
        client = Client(raise_request_exception=False)
        client.force_login(user)
        with open(path, "rb") as stream:
            upload = SimpleUploadedFile(Path(path).name, stream.read())
        response = client.post(
            reverse("admin:events_meeting_import"), {"format": "0", "import_file": upload}
        )
        outcome = f"HTTP {response.status_code}, page {len(response.content) / 1e3:.0f} kB"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{peak:8.0f} MB {time.monotonic() - started:6.1f} s  {outcome}")


def measure(code, database, mode, path):
    def cap():
        resource.setrlimit(resource.RLIMIT_AS, (CAP_BYTES, CAP_BYTES))

    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", mode, str(path)],
            env=environment(code, database),
            capture_output=True,
            text=True,
            timeout=CAP_SECONDS,
            preexec_fn=cap,
        )
    except subprocess.TimeoutExpired:
        return f"killed after {CAP_SECONDS} s"
    lines = done.stdout.strip().splitlines()
    if done.returncode or not lines:
        last = (done.stderr.strip().splitlines() or ["?"])[-1]
        return f"failed (exit {done.returncode}, cap {CAP_BYTES >> 30} GB): {last[:100]}"
    return lines[-1]


def main():
    if sys.argv[1:2] == ["--child"]:
        return child(sys.argv[2], sys.argv[3])
    code = Path(sys.argv[sys.argv.index("--code") + 1]) if "--code" in sys.argv else HERE.parent
    modes = (
        [sys.argv[sys.argv.index("--only") + 1]] if "--only" in sys.argv else ["command", "admin"]
    )
    sys.path.insert(0, str(HERE.parent / "tests" / "data"))
    import bombs

    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        files = [
            bombs.many_cells(folder / "50m_cells.xlsx", rows=5_000_000, columns=10),
            bombs.huge_shared_string(folder / "1gb_string.xlsx", megabytes=1024),
            bombs.declared_dimension(folder / "declared_dimension.xlsx"),
            bombs.csv_long_cell(folder / "200kb_cell.csv", 200_000),
            bombs.csv_long_line(folder / "50mb_line.csv", 50),
            bombs.csv_long_header(folder / "128kb_header.csv", 128),
        ]
        database = folder / "bench.sqlite3"
        subprocess.run(
            [sys.executable, "-m", "django", "migrate", "-v0"],
            env=environment(code, database),
            check=True,
        )
        print(f"code: {code}")
        for path in files:
            size = path.stat().st_size / 1e6
            for mode in modes:
                result = measure(code, database, mode, path)
                print(f"{path.name:24} {size:6.1f} MB  {mode:7}  {result}", flush=True)


if __name__ == "__main__":
    main()
