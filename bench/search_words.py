"""How long a many-word search takes on PostgreSQL, before and after the cap (issue 15, #4).

Creates bench_security, migrates it, loads the report fixtures, times the five searches the
search page runs (organisations, people, events, meetings, projects), prints the figures and
drops the database. "Before" replays the uncapped search (every word adds its joins) under a
statement timeout, so that it ends; "after" is today's `search()`, and the search page itself.

    .venv/bin/python bench/search_words.py [postgres://postgres@127.0.0.1:5432]
"""

import os
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
SERVER = sys.argv[1] if len(sys.argv) > 1 else "postgres://postgres@127.0.0.1:5432"
NAME = "bench_security"
BEFORE_TIMEOUT_S = 120
sys.path.insert(0, str(PROJECT))
os.environ.update(
    DATABASE_URL=f"{SERVER}/{NAME}", DJANGO_DEBUG="1", DJANGO_ALLOWED_HOSTS="testserver"
)
# BENCH_BEFORE=0 leaves out the uncapped runs (the 300-word one takes minutes).
BEFORE = os.environ.get("BENCH_BEFORE", "1") != "0"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")

import django  # noqa: E402
import psycopg  # noqa: E402


def admin_connection():
    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def uncapped_search(queryset, text):
    """The search as it was before the cap: one filter, with its joins, per word."""
    from django.db.models import Q

    from core.search import fold

    matching = queryset.model._default_manager.all()
    for word in fold(text).split():
        condition = Q()
        for field in queryset.search_fields:
            condition |= Q(**{f"{field}__folded__contains": word})
        matching = matching.filter(condition)
    return queryset.filter(pk__in=matching.values("pk"))


def timed(run):
    start = time.perf_counter()
    try:
        run()
        return f"{time.perf_counter() - start:8.2f} s"
    except Exception as error:  # noqa: BLE001 - the figure is the point
        kind = "cancelled" if "statement timeout" in str(error) else type(error).__name__
        return f"> {time.perf_counter() - start:6.0f} s ({kind})"


def main():
    with admin_connection() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{NAME}"')
        connection.execute(f'CREATE DATABASE "{NAME}"')
    try:
        django.setup()
        from django.contrib.auth.models import User
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        from core.search import MAX_SEARCH_WORDS
        from genopole_crm.views import SearchView

        call_command("migrate", verbosity=0)
        fixtures = sorted(map(str, (PROJECT / "fixtures").glob("*.json")))
        call_command("loaddata", *fixtures, verbosity=0)
        models = [queryset for _model, queryset, _url in SearchView.searched]

        def every_model(search, text):
            return lambda: [search(queryset, text).count() for queryset in models]

        def phrase(count):
            return " ".join(f"bio{n}" for n in range(count))

        with connection.cursor() as cursor:
            cursor.execute(f"SET statement_timeout = {BEFORE_TIMEOUT_S * 1000}")
        print(f"PostgreSQL, report fixtures loaded; the search page's five searches; "
              f"'before' cancelled after {BEFORE_TIMEOUT_S} s per statement")
        for words in (8, 30, 300) if BEFORE else ():
            print(f"before, {words:3} words: {timed(every_model(uncapped_search, phrase(words)))}")
            connection.close()
            with connection.cursor() as cursor:
                cursor.execute(f"SET statement_timeout = {BEFORE_TIMEOUT_S * 1000}")
        for words in (MAX_SEARCH_WORDS, 300):
            print(f"after,  {words:3} words: "
                  f"{timed(every_model(lambda qs, t: qs.search(t), phrase(words)))} (search())")
        client = Client()
        client.force_login(User.objects.create_superuser("bench", "b@example.org", "x"))
        for words in (MAX_SEARCH_WORDS, 300):
            page = lambda w=words: client.get("/search/", {"q": phrase(w)})  # noqa: E731
            print(f"after,  {words:3} words: {timed(page)} (the search page, HTTP status "
                  f"{page().status_code})")
    finally:
        from django.db import connections

        connections.close_all()
        with admin_connection() as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
