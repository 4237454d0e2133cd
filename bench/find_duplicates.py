"""How long does `find_duplicates` take on 100,000 organisations (PostgreSQL or SQLite)?

Creates the database `bench_dedupe` (or $BENCH_DATABASE_URL, which may be a
`sqlite:///file`), migrates it, generates
organisations with made-up but plausible names (syllables, sector words, legal forms), and
plants look-alike variants of some of them, the way imports spell partners: other case,
punctuation, a legal form added or dropped, one letter wrong. Then times the candidate
search three times and prints the median (wall clock, and this process's CPU time: on a
shared machine the wall clock mostly measures the neighbours), the number of candidates, and
how many planted variants were found. With --exhaustive, it also runs the search with no
trigram left out as too common (partners.similarity.COMMON) and counts the pairs that
leaves out. Drops the database at the end, whatever happens.

    .venv/bin/python bench/find_duplicates.py [--organisations 100000] [--variants 1000]
        [--runs 3] [--exhaustive]

Figures only: the test suite never asserts timings.
"""

import argparse
import os
import random
import signal
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_dedupe"

# Consonant, vowel, and now and then a closing consonant: about a thousand syllables, so
# that made-up names share trigrams about as often as real ones do.
SYLLABLES = [
    onset + vowel + coda
    for onset in ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v",
                  "z", "br", "tr", "st", "ch"]
    for vowel in ["a", "e", "i", "o", "u", "y", "ei", "ou"]
    for coda in ["", "", "", "n", "r", "s", "l", "x", "m", "t"]
]  # fmt: skip
_SECTOR = (
    "Bio Pharma Therapeutics Labs Genomics Diagnostics Biotech Health Medical Sciences"
    " Cluster Park Institute Ventures Capital Foundation Network Center Innovation Partners"
)
SECTOR = _SECTOR.split()
LEGAL = ["", "", "", "SA", "SAS", "GmbH", "Ltd", "LLC", "Inc.", "AB", "Oy", "S.r.l.", "BV"]
KINDS = ["cluster", "science_park", "university", "research_institute", "sme", "startup",
         "corporation", "investor", "public_agency", "network", "other"]  # fmt: skip
_COUNTRIES = "FR DE BE NL IT ES PT US GB JP SG CH SE DK FI NO EE LT PL CZ AT IE CA KR TN"
COUNTRIES = _COUNTRIES.split()


def made_up_word(rng):
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def made_up_name(rng):
    words = [made_up_word(rng) for _ in range(rng.choice([1, 1, 2, 2, 3]))]
    if rng.random() < 0.6:
        words.append(rng.choice(SECTOR))
    legal = rng.choice(LEGAL)
    return " ".join(words + ([legal] if legal else []))


def variant_of(name, rng):
    """How an import or another editor spells the same partner."""
    how = rng.choice(["case", "punctuation", "legal", "typo"])
    if how == "case":
        return name.upper()
    if how == "punctuation":
        return name.replace(" ", "-", 1) + "." if " " in name else name + "."
    if how == "legal":
        words = name.split()
        return " ".join(words[:-1]) if words[-1] in LEGAL else f"{name} SAS"
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + rng.choice("aeioutr") + name[i + 1 :]


BENCH_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def admin_connection():
    """To the server's `postgres` database, to create and drop the bench database."""
    return psycopg.connect(
        urlunsplit(urlsplit(BENCH_URL)._replace(path="/postgres")), autocommit=True
    )


def generate(count, variants, rng):
    names, seen = [], set()
    while len(names) < count - variants:
        name = made_up_name(rng)
        if name.lower() not in seen:
            seen.add(name.lower())
            names.append(name)
    planted = []
    for original in rng.sample(names, variants):
        variant = variant_of(original, rng)
        if variant.lower() not in seen:
            seen.add(variant.lower())
            planted.append((original, variant))
    return names + [variant for _original, variant in planted], planted


def main():
    # A timeout's SIGTERM still drops the database (the `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--variants", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--exhaustive", action="store_true")
    args = parser.parse_args()

    if BENCH_URL.startswith("sqlite:"):
        database = Path(urlsplit(BENCH_URL).path)
        database.unlink(missing_ok=True)
        try:
            run(BENCH_URL, args)
        finally:
            database.unlink(missing_ok=True)
        return
    name = urlsplit(BENCH_URL).path.lstrip("/")
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        run(BENCH_URL, args)
    finally:
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(url, args):
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    from partners.duplicates import organisation_candidates
    from partners.models import Organisation
    from partners.similarity import COMMON

    call_command("migrate", verbosity=0)
    rng = random.Random(11)
    names, planted = generate(args.organisations, args.variants, rng)
    started = time.perf_counter()
    variants = {variant for _original, variant in planted}
    Organisation.objects.bulk_create(
        [
            # Imports create the organisations they do not know with the kind "other".
            Organisation(
                name=n,
                kind="other" if n in variants else rng.choice(KINDS),
                country="" if n in variants else rng.choice(COUNTRIES),
            )
            for n in names
        ],
        batch_size=5_000,
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "ANALYZE partners_organisation" if connection.vendor == "postgresql" else "ANALYZE"
        )
    print(f"{len(names):,} organisations ({len(planted):,} planted variants) "
          f"loaded in {time.perf_counter() - started:.1f} s")  # fmt: skip

    timings, cpu, candidates = [], [], []
    for _ in range(args.runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        candidates = organisation_candidates()
        timings.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    pairs = {frozenset((c.first.name, c.second.name)) for c in candidates}
    found = sum(frozenset(pair) in pairs for pair in planted)
    print(f"find_duplicates ({connection.vendor}): median {statistics.median(timings):.1f} s, "
          f"CPU {statistics.median(cpu):.1f} s "
          f"(runs: {', '.join(f'{t:.1f}' for t in timings)})")  # fmt: skip
    print(f"candidates: {len(candidates):,}; planted variants found: {found:,}/{len(planted):,}")
    by_reason = {}
    for candidate in candidates:
        reason = candidate.reason.split(" (")[0].split("“")[0]
        by_reason[reason] = by_reason.get(reason, 0) + 1
    for reason, count in sorted(by_reason.items(), key=lambda item: -item[1]):
        print(f"  {count:>7,}  {reason}")
    if args.exhaustive:
        from partners import similarity

        similarity.COMMON = len(names)  # no trigram is too common
        started, started_cpu = time.perf_counter(), time.process_time()
        every = organisation_candidates()
        wall, used = time.perf_counter() - started, time.process_time() - started_cpu
        print(f"exhaustive: {wall:.1f} s, CPU {used:.1f} s, {len(every):,} candidates")
        kept = {(c.first.pk, c.second.pk) for c in candidates}
        missed = [c for c in every if (c.first.pk, c.second.pk) not in kept]
        every_pairs = {frozenset((c.first.name, c.second.name)) for c in every}
        print(f"  left out by COMMON={COMMON:,}: {len(missed):,} pairs, "
              f"{sum(frozenset(p) in every_pairs for p in planted) - found} of them planted; "
              f"e.g. {'; '.join(f'{c.first} ~ {c.second}' for c in missed[:3])}")  # fmt: skip


if __name__ == "__main__":
    main()
