"""The 100× data set of `make bench`, generated in its own PostgreSQL database.

    python bench/dataset.py create [--keep] [--scale 1.0]   # create, migrate, fill
    python bench/dataset.py drop

The database is BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/genopole_bench).
`create` drops it and builds it anew, unless `--keep` finds one already filled at the same
scale (then it only migrates it, so new indexes of the code being measured are there).

At scale 1: 100,000 organisations (aliases, parents, network memberships), 50,000 people,
5,000 events (series, aliases, Genopole's participations), 1,000,000 meetings (their people,
accompanied companies and follow-up tasks), 20,000 partnerships and 2,000 projects
(consortia, milestones). Names, countries, kinds and dates are plausible and skewed as real
logs are: a few organisations and events gather thousands of meetings, most a handful
(`LARGEST_ORGANISATION` and `LARGEST_EVENT` have the most). The same seed gives the same data.

Rows go in with PostgreSQL COPY (psycopg 3), every column of the current models filled (the
ones this file does not know take their model default), then ANALYZE: a few minutes.
"""

import argparse
import datetime
import os
import random
import subprocess
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/genopole_bench"
SEED = 20260100
# Written on the database once it is filled: `--keep` reuses only a complete one.
VERSION = "genopole bench data set v1"
SIZES = {
    "organisations": 100_000,
    "people": 50_000,
    "events": 5_000,
    "meetings": 1_000_000,
    "partnerships": 20_000,
    "projects": 2_000,
}
LARGEST_ORGANISATION = "Europe Biotech Alliance Group SE"
LARGEST_EVENT = "BIO-Europe Partnering 2024"
STAFF_USERS = 12


def database_url():
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def _server_and_name(url):
    server, _, name = url.rpartition("/")
    return server, name


def _admin(statement, url):
    import psycopg

    server, _ = _server_and_name(url)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else None


def _marker(scale):
    return f"{VERSION}, scale {scale}"


def filled_marker(url):
    _, name = _server_and_name(url)
    rows = _admin(
        "SELECT shobj_description(oid, 'pg_database') FROM pg_database "
        f"WHERE datname = '{name}'",
        url,
    )
    return rows[0][0] if rows else None


def django_environment(url):
    """The environment of a production-like process on the bench database."""
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "benchmark-only-" + "x" * 40,
        "DJANGO_ALLOWED_HOSTS": "localhost,127.0.0.1,testserver",
        "DJANGO_LOG_LEVEL": "ERROR",
        "DJANGO_SSL_REDIRECT": "0",
        "DJANGO_STATEMENT_TIMEOUT_MS": os.environ.get("DJANGO_STATEMENT_TIMEOUT_MS", "0"),
    }


def _manage(url, *args):
    subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=django_environment(url),
        check=True,
    )


def create(url=None, *, keep=False, scale=1.0):
    """Make sure the bench database exists, migrated and filled; True if it was reused."""
    url = url or database_url()
    _, name = _server_and_name(url)
    if keep and filled_marker(url) == _marker(scale):
        print(f"== {name}: kept from an earlier run; migrating", file=sys.stderr)
        _manage(url, "migrate", "--noinput", "-v0")
        return True
    drop(url)
    _admin(f'CREATE DATABASE "{name}"', url)
    print(f"== {name}: created; migrating", file=sys.stderr)
    _manage(url, "migrate", "--noinput", "-v0")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, __file__, "fill", "--scale", str(scale)],
        cwd=PROJECT,
        env=django_environment(url),
        check=True,
    )
    print(f"== {name}: filled in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    _admin(f"COMMENT ON DATABASE \"{name}\" IS '{_marker(scale)}'", url)
    return False


def drop(url=None):
    url = url or database_url()
    _, name = _server_and_name(url)
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', url)


# --- Vocabulary ---------------------------------------------------------------------------

# Country: (weight, cities, legal forms of companies, web domain).
COUNTRIES = {
    "FR": (22, ["Paris", "Évry-Courcouronnes", "Lyon", "Marseille", "Toulouse", "Strasbourg",
                "Nantes", "Lille", "Montpellier", "Grenoble", "Bordeaux", "Rennes"],
           ["SAS", "SA", "SARL"], "fr"),
    "DE": (10, ["Berlin", "München", "Heidelberg", "Hamburg", "Köln", "Frankfurt am Main",
                "Leipzig", "Martinsried"], ["GmbH", "AG"], "de"),
    "US": (12, ["Boston", "Cambridge", "San Diego", "San Francisco", "Seattle",
                "Raleigh", "New York", "Philadelphia"], ["Inc.", "LLC", "Corp."], "com"),
    "GB": (7, ["London", "Cambridge", "Oxford", "Manchester", "Edinburgh", "Glasgow"],
           ["Ltd", "plc"], "co.uk"),
    "BE": (4, ["Brussels", "Leuven", "Ghent", "Liège", "Mont-Saint-Guibert"],
           ["SA", "NV", "SRL"], "be"),
    "NL": (4, ["Amsterdam", "Leiden", "Utrecht", "Rotterdam", "Nijmegen"], ["B.V."], "nl"),
    "CH": (4, ["Basel", "Genève", "Lausanne", "Zürich"], ["AG", "SA"], "ch"),
    "IT": (4, ["Milano", "Roma", "Torino", "Napoli", "Siena"], ["S.r.l.", "S.p.A."], "it"),
    "ES": (4, ["Madrid", "Barcelona", "València", "Sevilla", "Bilbao"], ["S.L.", "S.A."], "es"),
    "SE": (3, ["Stockholm", "Göteborg", "Lund", "Uppsala"], ["AB"], "se"),
    "DK": (2, ["København", "Aarhus", "Odense"], ["ApS", "A/S"], "dk"),
    "EE": (2, ["Tartu", "Tallinn"], ["OÜ", "AS"], "ee"),
    "PL": (2, ["Warszawa", "Kraków", "Łódź", "Poznań"], ["Sp. z o.o.", "S.A."], "pl"),
    "CA": (3, ["Montréal", "Toronto", "Vancouver", "Québec"], ["Inc.", "Ltée"], "ca"),
    "JP": (3, ["Tokyo", "Osaka", "Kobe", "Kyoto"], ["K.K.", "Co., Ltd."], "jp"),
    "KR": (2, ["Seoul", "Incheon", "Daejeon"], ["Co., Ltd."], "kr"),
    "CN": (2, ["Shanghai", "Beijing", "Suzhou", "Shenzhen"], ["Co., Ltd."], "cn"),
    "SG": (1, ["Singapore"], ["Pte. Ltd."], "sg"),
    "IL": (1, ["Tel Aviv", "Rehovot", "Haifa"], ["Ltd"], "co.il"),
    "BR": (1, ["São Paulo", "Rio de Janeiro", "Campinas"], ["Ltda."], "com.br"),
    "MA": (1, ["Casablanca", "Rabat"], ["SARL"], "ma"),
    "TN": (1, ["Tunis", "Sfax"], ["SARL"], "tn"),
}
PREFIXES = ["Bio", "Gen", "Cell", "Onco", "Neuro", "Immuno", "Pharma", "Thera", "Vax", "Medi",
            "Nano", "Cyto", "Myco", "Proteo", "Synth", "Enzy", "Derm", "Cardio", "Hema", "Agri",
            "Epi", "Glyco", "Lumi", "Nucle", "Osteo", "Retina", "Sero", "Xeno", "Ortho", "Chrono"]
STEMS = ["gen", "tech", "cure", "vita", "nova", "logic", "sys", "mark", "path", "quest",
         "core", "link", "form", "sense", "wave", "gene", "cell", "med", "lab", "fluid",
         "mune", "cyte", "ome", "tide", "zyme", "phage", "dx", "thera", "scan", "print"]
TRADES = ["", "", "Therapeutics", "Diagnostics", "Biologics", "Genomics", "Medical",
          "Biosciences", "Pharma", "Analytics", "Bioproduction", "Biotech", "Health",
          "Vaccines", "Robotics", "Imaging"]
FIELDS = ["Genomics", "Cancer Research", "Neurosciences", "Immunology", "Synthetic Biology",
          "Bioinformatics", "Cell Therapy", "Rare Diseases", "Plant Biology",
          "Infectious Diseases", "Regenerative Medicine", "Structural Biology"]
SURNAMES = ["Pasteur", "Curie", "Koch", "Monod", "Jacob", "Lwoff", "Cochin", "Necker",
            "Bordet", "Mendel", "Crick", "Sanger", "Fleming", "Ehrlich", "Virchow", "Golgi"]
REGIONS = ["Île-de-France", "Auvergne-Rhône-Alpes", "Occitanie", "Bavaria", "Flanders",
           "Wallonia", "Catalonia", "Lombardy", "Scania", "Estonia", "Massachusetts",
           "Ontario", "Kansai", "Baltic Sea", "Upper Rhine", "Medicon Valley", "Øresund"]
FIRST_NAMES = ["Anna", "Jörg", "Élodie", "Kenji", "María", "Piotr", "Sofia", "Tariq", "Zoë",
               "Liam", "Camille", "Hélène", "Jean-Baptiste", "Thomas", "Lucas", "Emma",
               "Léa", "Chloé", "Hugo", "Nathalie", "Sven", "Ingrid", "Mikko", "Aino", "Ji-woo",
               "Wei", "Yuki", "Priya", "Arjun", "Fatima", "Omar", "Yasmine", "Giulia",
               "Matteo", "Lucía", "Javier", "Katarzyna", "Tomasz", "Kadri", "Martin", "Sarah",
               "David", "Olivia", "Noah", "Isabel", "François", "Søren", "Maëlle", "Björn"]
LAST_NAMES = ["Kask", "Müller", "Lefèvre", "Tanaka", "García", "Nowak", "Rossi", "Haddad",
              "Smith", "Martin", "Bernard", "Dubois", "Durand", "Moreau", "Laurent", "Schmidt",
              "Schneider", "Fischer", "Weber", "Johansson", "Andersson", "Nielsen", "Tamm",
              "Saar", "Kim", "Lee", "Park", "Wang", "Li", "Zhang", "Sato", "Suzuki",
              "Patel", "Singh", "Benali", "El Amrani", "Bianchi", "Romano", "Fernández",
              "López", "Kowalski", "Wiśniewska", "O'Brien", "Murphy", "Van den Berg",
              "De Smet", "Janssens", "Nguyen", "Cohen", "Lévy", "Da Silva", "Łukasiewicz"]
ROLES = ["CEO", "CSO", "Business developer", "Head of partnerships", "Project manager",
         "Directrice des relations internationales", "Chargé d'affaires", "Professor",
         "Research engineer", "Investment manager", "Head of BD", "Innovation officer", ""]
TOPICS = ["Partnering meeting", "Soft-landing programme", "Licensing opportunity",
          "Co-development of a diagnostic", "Présentation de l'écosystème Genopole",
          "Recherche de financement", "Accès au marché américain", "Bioproduction capacity",
          "Joint Horizon Europe proposal", "Cell & gene therapy platform",
          "Installation sur le biocluster", "Distribution agreement in Asia",
          "Clinical trial partners", "Due diligence", "Échanges sur l'incubateur"]
NOTES = ["", "", "", "Interested in our incubator; send the brochure.",
         "Rencontre très positive, à relancer après l'été.",
         "Wants an introduction to two Genopole start-ups.\nCall planned in September.",
         "Échange sur les financements EIC et la levée de fonds.",
         "Discussed the soft-landing offer; they will visit Évry in the spring.",
         "Contact « chaud » : proposition de rendez-vous à Paris."]
FOLLOW_UPS = ["Send the brochure", "Envoyer la plaquette", "Send NDA",
              "Introduce to the incubator team", "Relancer en septembre", "Share the deck"]
SERIES_WORDS = [("BIO", "International Convention"), ("BIO-Europe", "Partnering"),
                ("BIO-Europe Spring", ""), ("Biotech Showcase", ""), ("MEDICA", ""),
                ("VivaTech", ""), ("BioAsia", "Forum"), ("Nordic Life Science", "Days"),
                ("BIO Japan", ""), ("BioFIT", ""), ("Swiss Biotech", "Day"),
                ("Rencontres", "Genopole"), ("Biocluster", "Summit"),
                ("European Biotech", "Week"), ("Baltic", "Bioforum")]
PROGRAMMES = [("Horizon Europe", "HE"), ("Horizon 2020", "H2020"), ("Interreg Europe", ""),
              ("Interreg North-West Europe", "NWE"), ("EIC Accelerator", "EIC"),
              ("Innovative Health Initiative", "IHI"), ("IMI2 Joint Undertaking", "IMI2"),
              ("Erasmus+", ""), ("EU4Health", ""), ("Digital Europe", "DEP"),
              ("ERDF Île-de-France", "FEDER"), ("Eurostars", ""), ("COST Actions", "COST"),
              ("ERC Advanced Grants", "ERC"), ("LIFE Programme", "LIFE")]


# --- Generation (runs with Django set up on the bench database) -----------------------


class Loader:
    """COPY rows into a model's table: the columns given, then every other concrete
    column at its model default (so a column added later does not break the bench)."""

    def __init__(self, connection):
        self.connection = connection
        self.counts = {}

    def copy(self, model, columns, rows):
        # Generated columns (the folded copies of searched names) the database fills.
        fields = {f.attname: f for f in model._meta.local_concrete_fields if not f.generated}
        missing = [f for name, f in fields.items() if name not in columns and name != "id"]
        defaults = tuple(self._default(f) for f in missing)
        names = [fields[c].column for c in columns] + [f.column for f in missing]
        sql = f'COPY {model._meta.db_table} ({", ".join(names)}) FROM STDIN'
        count = 0
        with self.connection.cursor() as cursor, cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row(row + defaults if defaults else row)
                count += 1
        self.counts[model._meta.db_table] = count
        return count

    def _default(self, field):
        from django.db import connection

        if field.null and not field.has_default():
            return None
        return field.get_db_prep_save(field.get_default(), connection)


def _unique(seen, name, *fallbacks):
    """`name`, or the first fallback nobody has yet (case-insensitively), or a numbered one."""
    for candidate in (name, *fallbacks):
        if candidate.lower() not in seen:
            seen.add(candidate.lower())
            return candidate
    n = 2
    while f"{name} {n}".lower() in seen:
        n += 1
    seen.add(f"{name} {n}".lower())
    return f"{name} {n}"


def _acronym(name):
    letters = "".join(word[0] for word in name.replace("-", " ").split() if word[0].isalpha())
    return letters.upper()[:6] if len(letters) >= 2 else ""


def _slug(name):
    import unicodedata

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(c for c in ascii_name.lower() if c.isalnum())[:30]


def _skewed_weights(count, exponent, offset=10):
    """Zipf-like weights: the first few items weigh most, the long tail a little each."""
    return [(rank + offset) ** -exponent for rank in range(count)]


def _cumulative(weights):
    total, cumulative = 0.0, []
    for weight in weights:
        total += weight
        cumulative.append(total)
    return cumulative


def fill(scale):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection

    from events.follow_ups.models import FollowUp
    from events.models import Event, EventAlias, EventSeries, Meeting, Participation
    from partners.models import Membership, Organisation, OrganisationAlias, Partnership, Person
    from projects.models import ConsortiumMember, Milestone, Programme, Project

    rng = random.Random(SEED)
    size = {name: max(1, int(count * scale)) for name, count in SIZES.items()}
    started = time.perf_counter()

    def step(message):
        print(f"   {time.perf_counter() - started:6.1f} s  {message}", file=sys.stderr)

    connection.ensure_connection()
    raw = connection.connection
    load = Loader(raw)
    User = get_user_model()
    staff = [
        User(username=f"staff{n:02d}", first_name=rng.choice(FIRST_NAMES),
             last_name=rng.choice(LAST_NAMES), email=f"staff{n:02d}@genopole.example",
             is_staff=True, password=make_password(None))
        for n in range(STAFF_USERS)
    ]
    staff_ids = [u.pk for u in User.objects.bulk_create(staff)]

    with raw.transaction():
        # Organisations ------------------------------------------------------------------
        country_codes = list(COUNTRIES)
        country_weights = [COUNTRIES[c][0] for c in country_codes]
        kinds = [
            ("sme", 34), ("startup", 29), ("corporation", 8), ("research_institute", 6),
            ("university", 4), ("hospital", 3), ("investor", 5), ("cluster", 1.5),
            ("science_park", 1.5), ("public_agency", 2), ("network", 1), ("other", 5),
        ]
        kind_names, kind_weights = zip(*kinds, strict=True)
        seen_names = set()
        # (id, name, short name, kind, country, city, website, accompanied, description, parent)
        organisations = []
        universities = []
        for pk in range(1, size["organisations"] + 1):
            if pk == 1:
                country, kind, city = "BE", "corporation", "Brussels"
                name = _unique(seen_names, LARGEST_ORGANISATION)
            else:
                country = rng.choices(country_codes, country_weights)[0]
                kind = rng.choices(kind_names, kind_weights)[0]
                _, cities, forms, _ = COUNTRIES[country]
                city = rng.choice(cities)
                name = _organisation_name(rng, seen_names, kind, country, city, forms)
            parent = None
            if kind == "university" and universities and rng.random() < 0.6:
                parent = rng.choice(universities)
            elif kind == "university":
                universities.append(pk)
            elif kind in ("sme", "startup") and pk > 100 and rng.random() < 0.03:
                parent = rng.randrange(1, pk)
            tld = COUNTRIES[country][3]
            organisations.append(
                (
                    pk,
                    name,
                    _acronym(name) if rng.random() < 0.5 else "",
                    kind,
                    country,
                    city,
                    f"https://www.{_slug(name)}.{tld}/" if rng.random() < 0.6 else "",
                    kind in ("sme", "startup") and rng.random() < 0.04,
                    rng.choice(["", "", f"{kind.replace('_', ' ').capitalize()} based in {city}."]),
                    parent,
                )
            )
        load.copy(
            Organisation,
            ["id", "name", "short_name", "kind", "country", "city", "website",
             "genopole_accompanied", "description", "parent_id"],
            organisations,
        )
        org_count = len(organisations)
        accompanied = [o[0] for o in organisations if o[7]]
        networks = [o[0] for o in organisations if o[3] in ("network", "cluster")]
        step(f"{org_count:,} organisations")

        alias_names = set()
        aliases = []
        for pk, name, _short, _kind, country, *_ in organisations:
            if rng.random() < 0.25:
                words = name.split()
                alias = " ".join(words[:-1]) if len(words) > 2 else f"{name} {country}"
                if alias.lower() not in seen_names and alias.lower() not in alias_names:
                    alias_names.add(alias.lower())
                    aliases.append((len(aliases) + 1, alias, pk))
        load.copy(OrganisationAlias, ["id", "name", "organisation_id"], aliases)

        memberships, seen_pairs = [], set()
        for _ in range(int(10_000 * scale) if networks else 0):
            network, member = rng.choice(networks), rng.randint(1, org_count)
            if network != member and (network, member) not in seen_pairs:
                seen_pairs.add((network, member))
                start = datetime.date(rng.randint(2005, 2024), rng.randint(1, 12), 1)
                memberships.append(
                    (len(memberships) + 1, network, member,
                     rng.choices(["member", "founding_member", "coordinator", "associate"],
                                 [85, 5, 2, 8])[0], start, "month")
                )
        load.copy(
            Membership,
            ["id", "network_id", "member_id", "role", "start_date", "start_precision"],
            memberships,
        )
        step(f"{len(aliases):,} aliases, {len(memberships):,} memberships")

        # People: more at the organisations met most ----------------------------------
        meeting_weights = _skewed_weights(org_count, 0.8)
        # The largest: ~9,000 meetings at scale 1, and the largest at any scale.
        meeting_weights[0] = max(sum(meeting_weights) * 0.009, 2 * meeting_weights[1])
        people_cumulative = _cumulative([w**0.5 for w in meeting_weights])
        org_ids = range(1, org_count + 1)
        people, people_at, seen_people = [], {}, set()
        while len(people) < size["people"]:
            org = rng.choices(org_ids, cum_weights=people_cumulative)[0]
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            if (first.lower(), last.lower(), org) in seen_people:
                continue
            seen_people.add((first.lower(), last.lower(), org))
            pk = len(people) + 1
            domain = organisations[org - 1][6][12:].rstrip("/") or "example.org"
            people.append(
                (pk, first, last, org, rng.choice(ROLES),
                 f"{_slug(first)}.{_slug(last)}@{domain}" if rng.random() < 0.7 else "",
                 "" if rng.random() < 0.6 else f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                 f"{rng.randint(10, 99)} {rng.randint(10, 99)}", "")
            )
            people_at.setdefault(org, []).append(pk)
        load.copy(
            Person,
            ["id", "first_name", "last_name", "organisation_id", "role", "email", "phone",
             "notes"],
            people,
        )
        step(f"{len(people):,} people")

        # Events: yearly editions of series, and one-off missions and visits -------------
        series_rows, seen_series = [], set()
        for prefix, suffix in SERIES_WORDS:
            series_rows.append((f"{prefix} {suffix}".strip(), prefix))
        while len(series_rows) < max(20, int(300 * scale)):
            region = rng.choice(REGIONS)
            noun = rng.choice(["BioPartnering", "Life Sciences Forum", "Biotech Days",
                               "Health Innovation Summit", "Genomics Meeting",
                               "Bioproduction Congress", "MedTech Forum"])
            series_rows.append((f"{region} {noun}", ""))
        series = []
        for name, short in series_rows:
            if name.lower() not in seen_series:
                seen_series.add(name.lower())
                series.append((len(series) + 1, name, short))
        load.copy(EventSeries, ["id", "name", "short_name"], series)

        event_kinds = ["convention", "conference", "trade_mission", "delegation_visit",
                       "training", "networking", "ceremony", "other"]
        seen_events, events = set(), []
        years = range(2015, 2026)
        for series_id, series_name, _short in series:
            for year in years:
                if len(events) >= size["events"] * 0.66:
                    break
                if series_id > len(SERIES_WORDS) and rng.random() < 0.35:
                    continue
                name = _unique(seen_events, f"{series_name} {year}")
                events.append((name, series_id, str(year), year,
                               "convention" if series_id <= len(SERIES_WORDS)
                               else rng.choice(["conference", "convention", "networking"]),
                               rng.randint(1, 12)))
        if LARGEST_EVENT.lower() not in seen_events:
            events[0] = (_unique(seen_events, LARGEST_EVENT), None, "", 2024, "convention", 11)
        while len(events) < size["events"]:
            country = rng.choices(country_codes, country_weights)[0]
            city = rng.choice(COUNTRIES[country][1])
            year = rng.choice(years)
            kind = rng.choices(event_kinds[2:], [30, 25, 15, 15, 3, 12])[0]
            label = {"trade_mission": "Trade mission to", "delegation_visit": "Delegation from",
                     "training": "Training in", "networking": "Networking evening in",
                     "ceremony": "Awards ceremony in", "other": "Visit to"}[kind]
            month = rng.randint(1, 12)
            when = datetime.date(year, month, 1).strftime("%B %Y")
            name = _unique(seen_events, f"{label} {city}, {when}")
            events.append((name, None, "", year, kind, month))
        event_rows, event_dates = [], {}
        for pk, (name, series_id, edition, year, kind, month) in enumerate(events, start=1):
            if name == LARGEST_EVENT:
                start, days, country, city = datetime.date(2024, 11, 4), 3, "DE", "Berlin"
            else:
                start = datetime.date(year, month, rng.randint(1, 28))
                days = rng.choice([1, 1, 2, 3, 4]) if kind in ("convention", "conference") else 1
                country = rng.choices(country_codes, country_weights)[0]
                city = rng.choice(COUNTRIES[country][1])
            end = start + datetime.timedelta(days=days - 1)
            event_dates[pk] = (start, days)
            event_rows.append(
                (pk, name, series_id, edition, kind,
                 rng.choice(["in_person", "in_person", "in_person", "hybrid", "virtual", ""]),
                 city, country, start, "day", end if days > 1 else None, "day",
                 rng.randint(1, org_count) if rng.random() < 0.3 else None,
                 rng.randint(1, org_count) if rng.random() < 0.1 else None)
            )
        load.copy(
            Event,
            ["id", "name", "series_id", "edition", "kind", "format", "city", "country",
             "start_date", "start_precision", "end_date", "end_precision", "organiser_id",
             "host_id"],
            event_rows,
        )
        event_count = len(event_rows)
        event_aliases, seen_aliases = [], set()
        for pk, name, *_ in event_rows:
            if rng.random() < 0.4:
                alias = name.replace("International Convention", "").replace("Partnering", "")
                alias = " ".join(alias.split())
                if alias == name:
                    alias = _acronym(name) + " " + name.split()[-1]
                if alias.lower() not in seen_events and alias.lower() not in seen_aliases:
                    seen_aliases.add(alias.lower())
                    event_aliases.append((len(event_aliases) + 1, alias, pk))
        load.copy(EventAlias, ["id", "name", "event_id"], event_aliases)

        participations, co_participants, accompanied_at_events = [], [], []
        for pk in range(1, event_count + 1):
            if rng.random() < 0.6:
                participation = len(participations) + 1
                participations.append(
                    (participation, pk,
                     rng.choices(["attendee", "exhibitor", "sponsor", "speaker", "organiser",
                                  "host", "delegation"], [40, 25, 5, 15, 5, 3, 7])[0], "")
                )
                for org in {rng.randint(1, org_count) for _ in range(rng.randint(0, 3))}:
                    co_participants.append((participation, org))
                for org in {rng.choice(accompanied) for _ in range(rng.randint(0, 3))
                            if accompanied}:
                    accompanied_at_events.append((participation, org))
        load.copy(Participation, ["id", "event_id", "role", "notes"], participations)
        load.copy(Participation.co_participants.through, ["participation_id", "organisation_id"],
                  co_participants)
        load.copy(Participation.accompanied_companies.through,
                  ["participation_id", "organisation_id"], accompanied_at_events)
        step(f"{event_count:,} events, {len(event_aliases):,} aliases, "
             f"{len(participations):,} participations")

        # Meetings: streamed into COPY; their contacts and tasks kept for after ---------
        org_cumulative = _cumulative(meeting_weights)
        event_weights = _skewed_weights(event_count, 0.9, offset=30)
        rng.shuffle(event_weights)
        largest_event = next(r[0] for r in event_rows if r[1] == LARGEST_EVENT)
        event_weights[largest_event - 1] = max(  # ~7,500 meetings at scale 1
            sum(event_weights) * 0.0095, 1.5 * max(event_weights)
        )
        event_cumulative = _cumulative(event_weights)
        links, companies, follow_ups = [], [], []
        now = datetime.datetime.now(datetime.UTC)

        def meetings():
            first_day = datetime.date(2015, 1, 1)
            span = (datetime.date(2025, 12, 31) - first_day).days
            keys = set()  # (organisation, event, day) packed in one int: 1M of them
            event_ids = range(1, event_count + 1)
            pk = 0
            while pk < size["meetings"]:
                batch = size["meetings"] - pk
                orgs = rng.choices(org_ids, cum_weights=org_cumulative, k=batch)
                evs = rng.choices(event_ids, cum_weights=event_cumulative, k=batch)
                for org, drawn in zip(orgs, evs, strict=True):
                    if rng.random() < 0.8:
                        event = drawn
                        start, days = event_dates[event]
                        date = start + datetime.timedelta(days=rng.randrange(days))
                    else:
                        event = None
                        date = first_day + datetime.timedelta(days=rng.randrange(span))
                    key = (org * 10_000 + (event or 0)) * 10_000 + (date - first_day).days
                    if key in keys:
                        continue
                    keys.add(key)
                    pk += 1
                    status = rng.choices(["none", "pending", "done"], [75, 15, 10])[0]
                    follow_up = rng.choice(FOLLOW_UPS) if status != "none" else ""
                    # The follow-up is a task (below), the meeting holds none.
                    yield (pk, date, "day" if rng.random() < 0.97 else "month",
                           rng.choice(TOPICS), rng.choice(NOTES), event, org)
                    known = people_at.get(org)
                    if known and rng.random() < 0.7:
                        for person in {rng.choice(known) for _ in range(rng.choice([1, 1, 1, 2]))}:
                            links.append((pk, person))
                    if accompanied and rng.random() < 0.04:
                        companies.append((pk, rng.choice(accompanied)))
                    if status != "none":
                        closed = status == "done"
                        follow_ups.append(
                            (len(follow_ups) + 1, pk, None, None, follow_up,
                             "done" if closed else "open",
                             None if closed else date + datetime.timedelta(days=30),
                             rng.choice(staff_ids) if rng.random() < 0.8 else None,
                             now if closed else None,
                             rng.choice(staff_ids) if closed else None, now)
                        )

        load.copy(
            Meeting,
            ["id", "date", "date_precision", "topic", "notes", "event_id", "organisation_id"],
            meetings(),
        )
        step(f"{load.counts[Meeting._meta.db_table]:,} meetings")
        load.copy(Meeting.people.through, ["meeting_id", "person_id"], links)
        load.copy(Meeting.accompanied_companies.through, ["meeting_id", "organisation_id"],
                  companies)
        step(f"{len(links):,} meeting contacts, {len(companies):,} accompanied companies")

        # Partnerships, and follow-ups about organisations and partnerships ------------------
        partnership_types = ["soft_landing", "cooperation", "membership", "associate_partnership",
                             "governance_seat", "working_group", "certification",
                             "programme_participation", "other"]
        titles = {
            "soft_landing": "Soft-landing agreement", "cooperation": "Cooperation agreement",
            "membership": "Membership", "associate_partnership": "Associate partnership",
            "governance_seat": "Administrative board seat", "working_group": "Working group",
            "certification": "Label", "programme_participation": "Accelerator programme",
            "other": "Memorandum of understanding",
        }
        partnerships, seen_partnerships = [], set()
        while len(partnerships) < size["partnerships"]:
            org = rng.choices(org_ids, cum_weights=people_cumulative)[0]
            kind = rng.choices(partnership_types, [15, 25, 10, 8, 5, 10, 4, 13, 10])[0]
            year = rng.randint(2010, 2025)
            title = f"{titles[kind]} {year}"
            if (org, kind, title.lower()) in seen_partnerships:
                continue
            seen_partnerships.add((org, kind, title.lower()))
            start = datetime.date(year, rng.randint(1, 12), 1)
            ended = rng.random() < 0.3
            partnerships.append(
                (len(partnerships) + 1, org, kind, title,
                 "ended" if ended else rng.choices(["prospect", "in_discussion", "active"],
                                                   [20, 25, 55])[0],
                 start, "month", start.replace(year=year + rng.randint(1, 4)) if ended else None,
                 "year", "")
            )
        load.copy(
            Partnership,
            ["id", "organisation_id", "type", "title", "status", "start_date", "start_precision",
             "end_date", "end_precision", "notes"],
            partnerships,
        )
        for _ in range(int(2_000 * scale)):
            about_partnership = rng.random() < 0.5
            follow_ups.append(
                (len(follow_ups) + 1, None,
                 None if about_partnership else rng.randint(1, org_count),
                 rng.randint(1, len(partnerships)) if about_partnership else None,
                 rng.choice(FOLLOW_UPS), "open",
                 datetime.date(2026, rng.randint(1, 12), rng.randint(1, 28)),
                 rng.choice(staff_ids), None, None, now)
            )
        load.copy(
            FollowUp,
            ["id", "meeting_id", "organisation_id", "partnership_id", "what", "state",
             "due_date", "owner_id", "closed_at", "closed_by_id", "created_at"],
            follow_ups,
        )
        step(f"{len(partnerships):,} partnerships, {len(follow_ups):,} follow-up tasks")

        # Projects ---------------------------------------------------------------------------
        programmes = [(pk, name, short, "") for pk, (name, short) in enumerate(PROGRAMMES, 1)]
        load.copy(Programme, ["id", "name", "short_name", "description"], programmes)
        syllables = ["GEN", "BIO", "CURE", "NOVA", "MED", "VITA", "ONCO", "IMMU", "EURO", "CELL",
                     "TRANS", "SYN", "REGEN", "PATH", "OMICS", "LINK", "NET", "HUB", "AGE", "DX"]
        seen_projects, projects, members, milestones = set(), [], [], []
        statuses = ["planned", "submitted", "selected", "running", "closed", "not_selected"]
        while len(projects) < size["projects"]:
            acronym = "".join(rng.sample(syllables, rng.choice([2, 2, 3])))
            if rng.random() < 0.2:
                acronym += f"-{rng.randint(2, 9)}"
            if acronym.lower() in seen_projects:
                continue
            seen_projects.add(acronym.lower())
            pk = len(projects) + 1
            start = datetime.date(rng.randint(2012, 2025), rng.randint(1, 12), 1)
            years = rng.randint(2, 5)
            projects.append(
                (pk, acronym, f"{rng.choice(FIELDS)} across {rng.choice(REGIONS)}",
                 rng.choice(programmes)[0], f"CALL-{start.year}-{rng.randint(1, 20):02d}",
                 rng.choices(statuses, [5, 10, 5, 40, 30, 10])[0], start, "month",
                 start.replace(year=start.year + years), "month")
            )
            seats = {rng.choices(org_ids, cum_weights=people_cumulative)[0]
                     for _ in range(rng.randint(4, 16))}
            for n, org in enumerate(seats):
                role = "coordinator" if n == 0 else rng.choices(
                    ["partner", "associated_partner", "participant"], [70, 20, 10])[0]
                members.append((len(members) + 1, pk, org, role, ""))
            for kind, date in (("submission", start - datetime.timedelta(days=200)),
                               ("launch", start),
                               ("end", start.replace(year=start.year + years))):
                milestones.append((len(milestones) + 1, pk, kind, date, "day", "",
                                   rng.randint(1, event_count) if rng.random() < 0.1 else None))
        load.copy(
            Project,
            ["id", "acronym", "title", "programme_id", "call", "status", "start_date",
             "start_precision", "end_date", "end_precision"],
            projects,
        )
        load.copy(ConsortiumMember, ["id", "project_id", "organisation_id", "role", "notes"],
                  members)
        load.copy(
            Milestone,
            ["id", "project_id", "kind", "date", "date_precision", "notes", "event_id"],
            milestones,
        )
        step(f"{len(projects):,} projects, {len(members):,} consortium seats")

        # Identity sequences continue after the copied ids.
        with raw.cursor() as cursor:
            for table in load.counts:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
    with raw.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("committed, vacuumed and analysed")
    for table, count in sorted(load.counts.items()):
        print(f"   {count:>10,}  {table}", file=sys.stderr)


def _organisation_name(rng, seen, kind, country, city, forms):
    if kind in ("sme", "startup", "corporation", "investor", "other"):
        base = rng.choice(PREFIXES) + rng.choice(STEMS)
        if kind == "investor":
            trade = rng.choice(["Ventures", "Capital", "Partners", "Invest", "Bio Fund"])
        else:
            trade = rng.choice(TRADES)
        words = " ".join(w for w in (base, trade) if w)
        form = rng.choice(forms)
        return _unique(seen, f"{words} {form}", f"{words} {city} {form}",
                       f"{base} {rng.choice(TRADES[2:])} {city} {form}")
    if kind == "university":
        templates = {
            "FR": ["Université de {city}", "Université {city} {field}"],
            "DE": ["Universität {city}", "Technische Universität {city}"],
            "IT": ["Università degli Studi di {city}"],
            "ES": ["Universidad de {city}", "Universitat de {city}"],
        }.get(country, ["University of {city}", "{city} University of Technology"])
        name = rng.choice(templates).format(city=city, field=rng.choice(FIELDS))
        return _unique(seen, name, f"{name} — Department of {rng.choice(FIELDS)}",
                       f"{name} — Faculty of {rng.choice(FIELDS)}")
    if kind == "research_institute":
        name = rng.choice([
            "Institut {surname}", "{surname} Institute for {field}",
            "Centre de recherche en {field} de {city}", "{city} Institute of {field}",
        ]).format(surname=rng.choice(SURNAMES), field=rng.choice(FIELDS), city=city)
        return _unique(seen, name, f"{name} {city}", f"{name} — {rng.choice(FIELDS)} Lab")
    if kind == "hospital":
        name = rng.choice(["CHU de {city}", "{city} University Hospital",
                           "Hôpital {surname}", "Klinikum {city}"]).format(
            city=city, surname=rng.choice(SURNAMES))
        return _unique(seen, name, f"{name} {city}", f"{name} — {rng.choice(FIELDS)} Unit")
    if kind == "cluster":
        name = rng.choice(["{region} Biocluster", "BioValley {region}", "{region} Life Sciences"])
        name = name.format(region=rng.choice(REGIONS))
        return _unique(seen, name, f"{name} {city}")
    if kind == "science_park":
        name = f"{city} {rng.choice(['Science Park', 'BT Park', 'Bioparc', 'Innovation Campus'])}"
        return _unique(seen, name)
    if kind == "public_agency":
        name = rng.choice(["{region} Development Agency", "Agence régionale de l'innovation {city}",
                           "{city} Investment Office", "Business {region}"])
        name = name.format(region=rng.choice(REGIONS), city=city)
        return _unique(seen, name)
    kind_of_network = rng.choice(["Biotech Network", "Health Alliance", "Bio Association"])
    name = f"{rng.choice(REGIONS)} {kind_of_network}"
    return _unique(seen, name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="step", required=True)
    make = sub.add_parser("create", help="create (or with --keep, reuse), migrate and fill")
    make.add_argument("--keep", action="store_true", help="reuse a filled database")
    make.add_argument("--scale", type=float, default=1.0, help="fraction of the 100× sizes")
    sub.add_parser("drop")
    internal = sub.add_parser("fill", help="(internal) fill the migrated DATABASE_URL")
    internal.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    if args.step == "create":
        create(keep=args.keep, scale=args.scale)
    elif args.step == "drop":
        drop()
    else:
        sys.path.insert(0, str(PROJECT))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "genopole_crm.settings")
        import django

        django.setup()
        fill(args.scale)


if __name__ == "__main__":
    main()
