"""Case-, accent-, punctuation- and whitespace-insensitive text matching, the same in Python
and in SQL.

Staff type "bievre" and expect "Grand Orly Seine Bièvre", "genera" for GEN.ERA, "astar" for
A*STAR; partnering exports write "TARTU BT PARK". `search_key()` is the Python side; the `folded`
transform (`name__folded__contains=…`) is the same folding done by the database (CRM_FOLD:
an SQL function created by a core migration on PostgreSQL, `fold()` itself on SQLite), so
list searches run in SQL on both databases alike.
"""

import functools
import re
import unicodedata

from django.db import connection, models
from django.db.models import Case, FloatField, Func, Value, When
from django.utils import translation
from django.utils.translation import gettext as _

# Letters that Unicode does not decompose into a base letter plus an accent, but that
# PostgreSQL's unaccent maps to plain Latin letters: keep both sides in step.
_NON_DECOMPOSABLE = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ø": "o",
        "Ø": "O",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "’": "'",
        "‘": "'",
        "–": "-",
        "—": "-",
    }
)
_SPACES = re.compile(r"\s+")
# Control characters (NUL among them) mean nothing in a name and PostgreSQL refuses NUL.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

# Each word of a search adds joins: without a cap, 30 words take 20 s on PostgreSQL and
# exceed SQLite's 64-table join limit. The pages say so next to the search box.
MAX_SEARCH_WORDS = 8
MAX_SEARCH_LENGTH = 200

# Punctuation and symbols vanish rather than become spaces: "GEN.ERA" and "genera" meet.
_PUNCTUATION = re.compile(r"[^\w\s]|_")


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_NON_DECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str | None) -> str:
    """The key two spellings of one name share: no accents, lower case, single spaces.

    Punctuation is kept (the meeting-log import reads "Contact(s)" headers through it);
    `search_key()` drops it too.
    """
    if not text:
        return ""
    if not text.isascii():
        # Only then is there something to unaccent: ASCII is the common case, and several
        # times faster (imports fold every distinct name of a file).
        text = unaccent(text)
    return _SPACES.sub(" ", text.lower()).strip()


def search_key(text: str | None) -> str:
    """`fold()` with punctuation and symbols dropped: what searches, name clashes and
    duplicate candidates compare, in Python and (as CRM_FOLD) in SQL."""
    return _SPACES.sub(" ", _PUNCTUATION.sub("", fold(text))).strip()


# The order a person expects: case and accents ignored (BioM after Biocon Valley,
# "Étienne" among the E). Text columns that lists sort on declare
# `db_collation=NATURAL_COLLATION`; PostgreSQL's is the ICU root collation (created by the
# core migration 0001), SQLite's is `natural_order()`, registered on every connection.
NATURAL_COLLATION = "crm_natural"


def natural_order(left: str, right: str) -> int:
    """SQLite collation: case and accents ignored, ties broken by the exact text so that
    equality stays exact (as with PostgreSQL's deterministic collations)."""
    left_key = (unaccent(left).casefold(), left)
    right_key = (unaccent(right).casefold(), right)
    return (left_key > right_key) - (left_key < right_key)


def clean_query(text: str | None) -> list[str]:
    """The folded words a search looks for: control characters dropped, and no more than
    `MAX_SEARCH_LENGTH` characters and `MAX_SEARCH_WORDS` words (the pages refuse longer
    searches with a message; this keeps every other caller, the admin's included, bounded)."""
    text = _CONTROL.sub(" ", (text or "")[:MAX_SEARCH_LENGTH])
    return search_key(text).split()[:MAX_SEARCH_WORDS]


def query_problem(text: str | None) -> str | None:
    """Why the pages refuse to run this search, or None when it is within the caps."""
    text = text or ""
    if len(text) > MAX_SEARCH_LENGTH:
        return _("Search for at most %(count)d characters (this one has %(length)d).") % {
            "count": MAX_SEARCH_LENGTH,
            "length": len(text),
        }
    if len(_CONTROL.sub(" ", text).split()) > MAX_SEARCH_WORDS:
        return _("Search for at most %(count)d words.") % {"count": MAX_SEARCH_WORDS}
    return None


@models.CharField.register_lookup
@models.TextField.register_lookup
class Folded(models.Transform):
    """SQL counterpart of `fold()`.

    PostgreSQL runs CRM_FOLD, an immutable SQL function over its `unaccent` extension (see
    the core migration 0001), so that indexes can be built on it; SQLite runs
    `search_key()` itself, registered as CRM_FOLD on every new connection.
    """

    lookup_name = "folded"
    function = "CRM_FOLD"
    template = "CRM_FOLD(%(expressions)s)"
    output_field = models.CharField()


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("CRM_FOLD", 1, search_key, deterministic=True)
        connection.connection.create_collation(NATURAL_COLLATION, natural_order)


@functools.cache
def _country_names():
    """(code, folded words of its English and French names), for the countries' search."""
    from django_countries import countries

    words = {}
    for language in ("en", "fr"):
        with translation.override(language):
            for code, name in countries:
                words.setdefault(code, set()).update(search_key(str(name)).split())
    return tuple(words.items())


def countries_named(word: str) -> list[str]:
    """Codes of the countries one of whose names, in English or French, has a word starting
    with `word` ("japon", "japan" → JP); words under three letters name no country."""
    if len(word) < 3:
        return []
    return [code for code, words in _country_names() if any(w.startswith(word) for w in words)]


class SearchQuerySet(models.QuerySet):
    """`search(text)`: every word of the text appears in the same record: the record's own
    `search_fields`, or those of one related record ("organisation__name" and
    "organisation__aliases__name" are the organisation's). "bio genopole" finds a meeting
    with Genopole at BIO only if one of them holds both words.
    `ranked_search(text)`: the same, best first: exact name or alias, then names starting
    with the text, then the rest (by trigram similarity on PostgreSQL, by name on SQLite).
    `named(text)`: the text is, once folded, one of the record's `name_fields` ("bio 2022").
    `country_fields` are matched by the countries' names in English or French ("Japon").

    Each field is matched in a subquery on its own table ("aliases__name": the aliases), the
    subqueries combined by UNION and IN: PostgreSQL then reads each table through its trigram
    index on CRM_FOLD. One condition ORing columns of joined tables could use none, and read
    a million meetings (71 s for "bio" at 100 times today's data). A record matched twice is
    still listed once.
    """

    search_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()
    country_fields: tuple[str, ...] = ()

    def named(self, text):
        return self.filter(pk__in=self._named(search_key(text)))

    def _named(self, key, lookup="folded"):
        """The pks of records one of whose `name_fields`, folded, matches `key`."""
        if not self.name_fields:
            return self.model._default_manager.none().values("pk")
        return _union(
            self.model._default_manager.filter(**{f"{field}__{lookup}": key})
            for field in self.name_fields
        )

    def _groups(self):
        """(path, fields): the search fields by the record they belong to (path "" for the
        record itself, "organisation" for the meeting's organisation, its aliases included)."""
        groups = {}
        for field in (*self.search_fields, *self.country_fields):
            parts = [part for part in field.split("__")[:-1] if part != "aliases"]
            groups.setdefault("__".join(parts), []).append(field)
        return groups.items()

    def _word_in(self, model, fields, prefix, word):
        """The pks of the `model` records holding `word` in one of `fields` (named from this
        queryset's model: `prefix` is the path to `model`), or None if no field can hold it."""
        matches = []
        for field in fields:
            name = field.removeprefix(prefix)
            if field in self.country_fields:
                codes = countries_named(word)
                if codes:
                    matches.append(model._default_manager.filter(**{f"{name}__in": codes}))
            else:
                matches.append(model._default_manager.filter(**{f"{name}__folded__contains": word}))
        return _union(matches) if matches else None

    def _holding_every_word(self, path, fields, words):
        """The records one of whose related records on `path` (themselves for "") holds
        every word in its `fields`; None if no field can hold one of the words."""
        model = self.model
        for part in path.split("__") if path else ():
            model = model._meta.get_field(part).related_model
        holders = model._default_manager.all()
        for word in words:
            holding = self._word_in(model, fields, f"{path}__" if path else "", word)
            if holding is None:
                return None
            holders = holders.filter(pk__in=holding)
        if not path:
            return holders
        # "organisation__in": the foreign key column itself; "people__in": through its table.
        return self.model._default_manager.filter(**{f"{path}__in": holders.values("pk")})

    def search(self, text):
        words = clean_query(text)
        if not words:
            return self
        matches = [self._holding_every_word(path, fields, words) for path, fields in self._groups()]
        matches = [match for match in matches if match is not None]
        if not matches:
            return self.none()
        # One UNION (not an OR of IN conditions, which PostgreSQL estimates to keep nearly
        # every row): the planner then sees how few records match and fetches only those.
        return self.filter(pk__in=_union(matches))

    def ranked_search(self, text):
        key = search_key(text)
        matches = self.search(text)
        if not key or not self.name_fields:
            return matches
        rank = Case(
            When(pk__in=self._named(key), then=0),
            When(pk__in=self._named(key, "folded__startswith"), then=1),
            default=2,
        )
        ordering = ["search_rank"]
        if connection.vendor == "postgresql":
            name = Func(self.name_fields[0], function="CRM_FOLD")
            matches = matches.annotate(
                search_similarity=Func(
                    name, Value(key), function="SIMILARITY", output_field=FloatField()
                )
            )
            ordering.append("-search_similarity")
        return matches.annotate(search_rank=rank).order_by(*ordering, *self.model._meta.ordering)


def _union(querysets):
    """The pks of the records of any of `querysets` (of one model), as one subquery."""
    first, *others = [queryset.values("pk").order_by() for queryset in querysets]
    return first.union(*others) if others else first
