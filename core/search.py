"""Case-, accent-, punctuation- and whitespace-insensitive text matching, the same in Python
and in SQL.

Staff type "bievre" and expect "Grand Orly Seine Bièvre", "genera" for GEN.ERA, "astar" for
A*STAR; partnering exports write "TARTU BT PARK". `search_key()` is the Python side; the `folded`
transform (`name__folded__contains=…`) is the same folding done by the database (CRM_FOLD:
an SQL function created by a core migration on PostgreSQL, `fold()` itself on SQLite), so
list searches run in SQL on both databases alike. The columns searched most keep a stored
copy of that folding (`folded_copy()`, "name_folded"), which searches compare instead of
folding each row again.
"""

import functools
import re
import unicodedata

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Case, F, Func, Q, When
from django.db.models.functions import Length
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

# Up to this many matches, a search lists its records by id (`SearchQuerySet._few_matches`):
# a list's page sends the ids three times (count, page, rows), and PostgreSQL's time to
# plan them grows with them (10 ms for 1,000, 24 to 56 ms for 8,000 on the busy bench machine).
FEW_MATCHES = 1000

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


# The stored copy of a searched column is named after it: `name` → `name_folded`.
FOLDED_SUFFIX = "_folded"


def folded_copy(source: str) -> models.GeneratedField:
    """A column the database keeps equal to CRM_FOLD(`source`), whatever writes the row
    (save, COPY, update(), loaddata, raw SQL): searches compare it as it is, with a plain
    trigram index, instead of folding every candidate row again (unaccent and two regular
    expressions per row made "bio", 27,000 of 100,000 organisations, take a second).
    `SearchQuerySet` uses it wherever a searched field has one."""
    return models.GeneratedField(
        expression=Func(models.F(source), function="CRM_FOLD", output_field=models.TextField()),
        output_field=models.TextField(),
        db_persist=True,
    )


def folded_path(model, path: str) -> str:
    """The lookup that compares `path` ("organisation__aliases__name") folded: its stored
    copy ("organisation__aliases__name_folded") when the model holds one, else the
    `folded` transform ("organisation__aliases__name__folded")."""
    *relations, name = path.split("__")
    for part in relations:
        model = model._meta.get_field(part).related_model
    try:
        model._meta.get_field(name + FOLDED_SUFFIX)
    except FieldDoesNotExist:
        return f"{path}__folded"
    return path + FOLDED_SUFFIX


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


def _ids_of_any(model, lookups):
    """The ids of the records matching one of `lookups`, as `… UNION ALL …`: each arm uses
    its own (trigram) index, where one OR across several columns, or across a join to the
    aliases, made PostgreSQL fold every row of the table (7 s for "bio" at 100,000
    organisations). UNION ALL: the ids go to an `IN`, which ignores repeats, and sorting
    them away cost more than they do."""
    arms = _arms(model, lookups)
    if not arms:
        return model._default_manager.none().values("pk")
    return arms[0].union(*arms[1:], all=True) if len(arms) > 1 else arms[0]


def _arms(model, lookups):
    return [_arm(model, lookup) for lookup in lookups]


def _arm(model, lookup):
    """The ids of the records matching `lookup`. Through a reverse foreign key (the
    aliases), the related table's key alone: joining each alias matching "bio" back to
    its organisation cost 10 to 15 ms, in every query that has the aliases' arm."""
    ((name, value),) = lookup.items()
    relation, _, rest = name.partition("__")
    field = model._meta.get_field(relation) if rest else None
    if field is not None and field.one_to_many:
        related = field.related_model._default_manager.filter(**{rest: value})
        return related.order_by().values(pk=F(field.field.attname))
    return model._default_manager.filter(**lookup).order_by().values("pk")


def _any_of(model, lookups):
    """Records matching one of `lookups`, as `pk IN (… UNION ALL …)` (`_ids_of_any`)."""
    return Q(pk__in=_ids_of_any(model, lookups))


def _on_each_row(model, lookups, path=""):
    """Records matching one of `lookups`, as conditions on their own row, cheap to check on
    each row a walk along an index reads; a lookup through a relation (the aliases) by the
    related records' ids, not a join that repeats rows.

    With `path`, a single-valued relation ("organisation"), `model` is the related one and
    the conditions are on its row, which the walk joins (one index look-up per row)."""
    condition = Q(pk__in=[])
    for lookup in lookups:
        ((name, value),) = lookup.items()
        if model._meta.get_field(name.split("__")[0]).is_relation:
            condition |= Q(**{f"{path}__in" if path else "pk__in": _ids_of_any(model, [lookup])})
        else:
            condition |= Q(**{f"{path}__{name}" if path else name: value})
    return condition


class SearchQuerySet(models.QuerySet):
    """`search(text)`: every word of the text appears in the same record: the record's own
    `search_fields`, or those of one related record ("organisation__name" and
    "organisation__aliases__name" are the organisation's). "bio genopole" finds a meeting
    with Genopole at BIO only if one of them holds both words.
    `ranked_search(text)`: the same, best first: exact name or alias, then names starting
    with the text, then the rest; the shortest name first within each.
    `named(text)`: the text is, once folded, one of the record's `name_fields` ("bio 2022").
    `country_fields` are matched by the countries' names in English or French ("Japon").

    Fields may span relations ("aliases__name"); matching goes through a subquery so that a
    record matched twice is still listed once. A field with a stored folded copy
    (`folded_copy`: "name" → "name_folded") is compared through it, others are folded on
    the fly.
    """

    search_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()
    country_fields: tuple[str, ...] = ()

    def named(self, text):
        return self.filter(pk__in=self._named(search_key(text)).values("pk"))

    def _named(self, key):
        return self.model._default_manager.filter(
            _any_of(self.model, self._name_lookups(key, "exact"))
        )

    def _name_lookups(self, key, lookup):
        return [{f"{folded_path(self.model, field)}__{lookup}": key} for field in self.name_fields]

    @staticmethod
    def _path_of(field):
        """The relation to the record a search field belongs to ("" for the record itself):
        "organisation" for "organisation__aliases__name"."""
        return "__".join(part for part in field.split("__")[:-1] if part != "aliases")

    def _groups(self):
        """The search fields by the record they belong to."""
        groups = {}
        for field in (*self.search_fields, *self.country_fields):
            groups.setdefault(self._path_of(field), []).append(field)
        return groups.values()

    def _word_lookups(self, fields, word, prefix=""):
        """(model, lookups): the model at `prefix`, and a lookup per field of `fields` that
        finds `word` there (for `_any_of`, `_ids_of_any`, `_arms` or `_on_each_row`)."""
        model = self._related_model(prefix) if prefix else self.model
        lookups = []
        for field in fields:
            name = field.removeprefix(f"{prefix}__") if prefix else field
            if field in self.country_fields:
                codes = countries_named(word)
                if codes:
                    lookups.append({f"{name}__in": codes})
            else:
                lookups.append({f"{folded_path(model, name)}__contains": word})
        return model, lookups

    def _related_model(self, path):
        model = self.model
        for part in path.split("__"):
            model = model._meta.get_field(part).related_model
        return model

    def search(self, text, *, first_only=False):
        """The records matching `text` (see the class), in this queryset's order.

        Many matches are found by walking that order with the search as a condition on
        each row; a related record's fields (an organisation's name, for its meetings) by
        the ids of the related records matching, collected once before the walk: right
        for a list, which counts up to 10,000 matches. `first_only`, for a caller that
        reads only the first few (the global search, the look-ups): on the related
        row itself, joined as the walk reads each of ours, which stops as soon as it has
        them, where collecting the ids of the 27,000 organisations matching "bio" first
        cost 30 to 110 ms (the ten newest meetings: 114 ms, then 13 ms).
        """
        words = clean_query(text)
        if not words:
            return self
        condition = Q()
        probes = []  # queries of matching ids, whose UNION ALL is every match
        for fields in self._groups():
            path = self._path_of(fields[0])
            if not path:
                # The record's own fields: found through their indexes by the probe, and
                # checked on each row a walk reads (rather than collected first: the 66,000
                # meetings about "partnering").
                in_one_record = Q()
                for word in words:
                    in_one_record &= _on_each_row(*self._word_lookups(fields, word))
                if len(words) == 1:
                    probes[:0] = _arms(*self._word_lookups(fields, words[0]))  # first
                else:
                    ours = self.model._default_manager.all()
                    for word in words:
                        ours = ours.filter(_any_of(*self._word_lookups(fields, word)))
                    probes.append(ours.order_by().values("pk"))
            else:
                # The related records matched on their own, then ours by their key: each
                # side uses its trigram indexes, where one OR across a join read every row.
                # One word: its ids as they are, not looked up again in their table.
                related_ids = _ids_of_any(*self._word_lookups(fields, words[0], path))
                if len(words) > 1:
                    related = self._related_model(path)._default_manager.all()
                    for word in words:
                        related = related.filter(_any_of(*self._word_lookups(fields, word, path)))
                    related_ids = related.values("pk")
                ours = self.model._default_manager.filter(**{f"{path}__in": related_ids})
                if len(words) == 1:
                    # Joined, one arm per field: the related records from their index, ours
                    # along the foreign key's, until the probe has enough; ids by IN had
                    # all 27,000 organisations matching "bio" collected and de-duplicated
                    # first (20 ms a section). Repeats do no harm in a probe.
                    probes += _arms(*self._word_lookups(fields, words[0]))
                else:
                    probes.append(ours.order_by().values("pk"))  # repeats do no harm there
                if self._many(path):  # through a subquery, not a join that repeats rows
                    in_one_record = Q(pk__in=ours.values("pk"))
                elif first_only:
                    # On the related row itself, joined as the walk reads each of ours.
                    in_one_record = Q()
                    for word in words:
                        model, lookups = self._word_lookups(fields, word, path)
                        in_one_record &= _on_each_row(model, lookups, path)
                else:
                    in_one_record = Q(**{f"{path}__in": related_ids})
            condition |= in_one_record
        few = self._few_matches(probes)
        if few is not None:
            return self.filter(pk__in=few)
        # Many: no join in the condition, so that the list's own order (newest meetings
        # first) walks its index and stops at a page's worth of matches.
        return self.filter(condition)

    def _few_matches(self, probes):
        """The ids of the records matching, when there are at most `FEW_MATCHES`; else None.

        A list walking its order's index with the search as a filter stops soon when the
        words are common, but reads the whole table when they are rare: PostgreSQL cannot
        tell which (its guess for each subquery of an OR is "half the rows"), and a rare
        word took 4 s on a million meetings. One query of the `probes`' ids, UNION ALL,
        stopped after `FEW_MATCHES + 1` rows, tells: few are then looked up by id.
        """
        if not probes:
            return None
        rows = list(probes[0].union(*probes[1:], all=True)[: FEW_MATCHES + 1])
        if len(rows) > FEW_MATCHES:
            return None
        return sorted({row["pk"] for row in rows})

    def _many(self, path):
        model = self.model
        for part in path.split("__"):
            field = model._meta.get_field(part)
            if field.many_to_many or field.one_to_many:
                return True
            model = field.related_model
        return False

    def ranked_search(self, text, *, first_only=False):
        key = search_key(text)
        matches = self.search(text, first_only=first_only)
        if not key or not self.name_fields:
            return matches
        # Checked on each match's own row (its aliases by ids): a subquery of every record
        # named so re-read 27,000 organisations starting with "bio" to rank 27,000 others.
        rank = Case(
            When(_on_each_row(self.model, self._name_lookups(key, "exact")), then=0),
            When(_on_each_row(self.model, self._name_lookups(key, "startswith")), then=1),
            default=2,
        )
        # Within a rank, the shortest name first: the one the text covers best ("Bio
        # Valley" before "Institut de biologie de Lille"), as trigram similarity did on
        # PostgreSQL alone. Similarity cost ~8 µs a row, and every match is ranked
        # before the first page: a second for "bio"; a length costs nothing, and the
        # order is now the same on SQLite.
        return matches.annotate(
            search_rank=rank, search_length=Length(self.name_fields[0])
        ).order_by("search_rank", "search_length", *self.model._meta.ordering)
