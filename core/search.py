"""Case-, accent- and whitespace-insensitive text matching, the same in Python and in SQL.

Staff type "bievre" and expect "Grand Orly Seine Bièvre"; partnering exports write "TARTU BT
PARK". `fold()` is the Python side; the `folded` transform (`name__folded__contains=…`) is the
same folding done by the database, so list searches run in SQL on SQLite and PostgreSQL alike.
"""

import re
import unicodedata

from django.db import models
from django.db.models import Q
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


def unaccent(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_NON_DECOMPOSABLE))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def fold(text: str | None) -> str:
    """The key two spellings of one name share: no accents, lower case, single spaces."""
    if not text:
        return ""
    if text.isascii():
        # Nothing to unaccent: the common case, and several times faster (imports fold
        # every distinct name of a file).
        return _SPACES.sub(" ", text.lower()).strip()
    return _SPACES.sub(" ", unaccent(text).lower()).strip()


def clean_query(text: str | None) -> list[str]:
    """The folded words a search looks for: control characters dropped, and no more than
    `MAX_SEARCH_LENGTH` characters and `MAX_SEARCH_WORDS` words (the pages refuse longer
    searches with a message; this keeps every other caller, the admin's included, bounded)."""
    text = _CONTROL.sub(" ", (text or "")[:MAX_SEARCH_LENGTH])
    return fold(text).split()[:MAX_SEARCH_WORDS]


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

    PostgreSQL runs its `unaccent` extension (created by the partners' first migration);
    SQLite runs `fold()` itself, registered as UNACCENT on every new connection.
    """

    lookup_name = "folded"
    template = "LOWER(UNACCENT(%(expressions)s))"
    output_field = models.CharField()


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("UNACCENT", 1, fold, deterministic=True)


class SearchQuerySet(models.QuerySet):
    """`search(text)`: every word of the text appears in one of `search_fields`.
    `named(text)`: the text is, once folded, one of the record's `name_fields` ("bio 2022").

    Fields may span relations ("aliases__name"); matching goes through a subquery so that a
    record matched twice is still listed once.
    """

    search_fields: tuple[str, ...] = ()
    name_fields: tuple[str, ...] = ()

    def named(self, text):
        condition = Q()
        for field in self.name_fields:
            condition |= Q(**{f"{field}__folded": fold(text)})
        return self.filter(pk__in=self.model._default_manager.filter(condition).values("pk"))

    def search(self, text):
        words = clean_query(text)
        if not words:
            return self
        matching = self.model._default_manager.all()
        for word in words:
            condition = Q()
            for field in self.search_fields:
                condition |= Q(**{f"{field}__folded__contains": word})
            matching = matching.filter(condition)
        return self.filter(pk__in=matching.values("pk"))
