"""Resolving the names a file gives (organisations, events, contacts) to records in the CRM.

Only the file's own names are looked up: its distinct names are folded and sent to the
database in batches, which compares the stored folded copies of its names (CRM_FOLD,
core/search.py, spaces dropped; an expression index), so memory and time follow the file,
not the CRM. Names are
compared by `values.name_key()`: case, accents, spacing, hyphens and punctuation do not
matter; words (legal forms included) do. An unknown name is a `Problem` whose message
suggests the closest known names.
"""

import difflib
import json
from collections import defaultdict

from django.db import connection
from django.db.models import CharField, F, Func
from django.utils.translation import gettext as _

from core.models import among
from core.search import FOLDED_SUFFIX
from events.importing.values import Problem, name_key, split_full_name
from events.models import Event, EventAlias, Meeting
from partners.models import Organisation, OrganisationAlias, Person

NAME_LENGTH = Person._meta.get_field("last_name").max_length
TOPIC_LENGTH = Meeting._meta.get_field("topic").max_length
# Up to this many names in the CRM, the closest names to an unknown one are chosen among all
# of them (difflib, as the user would compare); above it, among those PostgreSQL's trigram
# indexes find similar.
ALL_NAMES_FOR_SUGGESTIONS = 20_000
SUGGESTION_CANDIDATES = 20


def batch_size():
    """Values per `IN (…)`: SQLite counts every one against its limit of bound parameters."""
    return 5_000 if connection.vendor == "postgresql" else 500


def batches(values, size=None):
    values = list(values)
    size = size or batch_size()
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _named_sql(model, id_field, field, keys):
    """(sql, params): (record id, key) of the rows whose `field` has one of these keys. The
    key is compared on the field's stored folded copy (core.search.folded_copy), which an
    index serves: folding each row again cost more than the rest of the lookup. The keys are
    letters and digits only, so they travel as one parameter (a comma-separated list, or
    JSON for SQLite): a query with thousands of placeholders costs more to build and send
    than to run."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk = quote((model._meta.pk if id_field == "pk" else model._meta.get_field(id_field)).column)
    folded = quote(model._meta.get_field(field + FOLDED_SUFFIX).column)
    column = f"REPLACE({table}.{folded}, ' ', '')"
    if connection.vendor == "postgresql":
        return (
            f"SELECT {pk}, {column} FROM {table} WHERE {column} = ANY(string_to_array(%s, ','))",
            [",".join(keys)],
        )
    return (
        f"SELECT {pk}, {column} FROM {table} WHERE {column} IN (SELECT value FROM json_each(%s))",
        [json.dumps(keys)],
    )


class Names:
    """Folded name → record ids, for the names of one file.

    `sources` are (queryset, record id field, name fields, suggested fields), in the order
    names are shown (a record's name before its short name, then aliases); in a large CRM only
    the suggested fields' names are offered as closest names (those a trigram index serves).
    `messages` are whole sentences per kind of record (translations need them whole):
    "required", "ambiguous" (value), "closest" (names), "unknown".
    """

    def __init__(self, sources, messages):
        self.sources = sources
        self.messages = messages
        self.ids = {}  # key -> set of record ids, for every key looked up
        self.closest = {}  # unknown key -> its message
        self.key_of = {}  # cell as written -> its key: each is folded once

    def look_up(self, raws):
        """Resolve the distinct names `raws` against the database, in a few queries."""
        for raw in raws:
            if raw not in self.key_of:
                self.key_of[raw] = name_key(raw if type(raw) is str else str(raw))
        keys = {self.key_of[raw] for raw in raws}
        keys = sorted(key for key in keys - self.ids.keys() if key)
        with connection.cursor() as cursor:
            for batch in batches(keys, 50_000):
                for queryset, id_field, fields, _suggest in self.sources:
                    for field in fields:
                        cursor.execute(*_named_sql(queryset.model, id_field, field, batch))
                        for pk, key in cursor.fetchall():
                            self.ids.setdefault(key, set()).add(pk)
        unknown = [key for key in keys if key not in self.ids]
        for key in keys:
            self.ids.setdefault(key, set())
        if unknown:
            self._suggest(unknown)

    def _suggest(self, unknown):
        """The "closest" or "unknown" message of each unknown key."""
        if sum(qs.count() * len(fields) for qs, _id, fields, _s in self.sources) <= (
            ALL_NAMES_FOR_SUGGESTIONS
        ):
            display = {}
            for queryset, id_field, fields, _suggest in self.sources:
                for values in queryset.values_list(id_field, *fields):
                    for name in values[1:]:
                        display.setdefault(name_key(name), name)
            display.pop("", None)
            for key in unknown:
                self.closest[key] = self._message(key, display)
            return
        for key in unknown:
            display = {}
            if connection.vendor == "postgresql":
                for queryset, _id, _fields, suggest in self.sources:
                    for field in suggest:
                        folded = Func(F(field), function="CRM_FOLD", output_field=CharField())
                        similar = (
                            queryset.alias(_folded=folded)
                            .filter(_folded__trigram_similar=key)
                            .values_list(field, flat=True)[:SUGGESTION_CANDIDATES]
                        )
                        for name in similar:
                            display.setdefault(name_key(name), name)
            self.closest[key] = self._message(key, display)

    def _message(self, key, display):
        close = difflib.get_close_matches(key, display, n=3, cutoff=0.6)
        if close:
            names = ", ".join(f"“{display[name]}”" for name in close)
            return self.messages["closest"] % {"names": names}
        return self.messages["unknown"]

    def resolve(self, raw, blank=None):
        """The record id `raw` names; `blank` (when given) for an empty cell; else a Problem."""
        key = self.key_of.get(raw)
        if type(raw) is not str:
            raw = str(raw)
        if key is None:
            key = name_key(raw)
        if not key:
            return blank if blank is not None else Problem(self.messages["required"])
        if key not in self.ids:
            self.look_up([raw])
        ids = self.ids[key]
        if len(ids) == 1:
            return next(iter(ids))
        if ids:
            return Problem(self.messages["ambiguous"] % {"value": raw.strip()})
        return Problem(self.closest[key])


def organisation_names():
    return Names(
        [
            (Organisation.objects.all(), "pk", ("name", "short_name"), ("name",)),
            (OrganisationAlias.objects.all(), "organisation_id", ("name",), ("name",)),
        ],
        {
            "required": _("The organisation is required."),
            "ambiguous": _(
                "“%(value)s” is the name of several organisations; write the full name."
            ),
            "closest": _(
                "No organisation has this name, short name or alias. Closest known names: "
                "%(names)s."
            ),
            "unknown": _(
                "No organisation has this name, short name or alias, nor a close one. Add it in "
                "the CRM first (or give it this alias), then import again."
            ),
        },
    )


def event_names():
    return Names(
        [
            (Event.objects.all(), "pk", ("name",), ("name",)),
            (EventAlias.objects.all(), "event_id", ("name",), ("name",)),
        ],
        {
            "required": _("The event is required."),
            "ambiguous": _("“%(value)s” is the name of several events; write the full name."),
            "closest": _("No event has this name or alias. Closest known names: %(names)s."),
            "unknown": _(
                "No event has this name or alias, nor a close one. Add it in the CRM first (or "
                "give it this alias), then import again."
            ),
        },
    )


class People:
    """The people at a set of organisations, by the keys of "first last", "last first" and by
    either name alone, to match a contacts cell against."""

    def __init__(self, organisations):
        self.full_names = defaultdict(dict)  # organisation -> key -> person id (None: several)
        self.single_names = defaultdict(lambda: defaultdict(set))
        self.organisation_names = {}
        # among(): the ids as one array on PostgreSQL; `__in` binds and quotes each one,
        # which for the 18,000 organisations of a large log cost more than the queries.
        for batch in batches(sorted(organisations)):
            people = Person.objects.filter(among("organisation", batch)).order_by()
            for pk, org, first, last in people.values_list(
                "pk", "organisation_id", "first_name", "last_name"
            ):
                names = self.full_names[org]
                # name_key() drops spaces: "first last" is the two keys end to end.
                first, last = name_key(first), name_key(last)
                for key in {first + last, last + first}:
                    names[key] = None if key in names else pk
                for word in (first, last):
                    self.single_names[org][word].add(pk)
            self.organisation_names.update(
                Organisation.objects.filter(among("pk", batch)).values_list("pk", "name")
            )

    def match(self, organisation, name, key):
        """A person id, a (first, last) pair for a new contact, or a Problem; `key` is
        `name_key(name)`."""
        pk = self.full_names[organisation].get(key, 0)
        if pk:
            return pk
        where = {"organisation": self.organisation_names[organisation]}
        if pk is None:
            return Problem(_("Several people at %(organisation)s have this name.") % where)
        parts = split_full_name(name)
        if parts is None:
            matches = self.single_names[organisation].get(key, ())
            if len(matches) == 1:
                return next(iter(matches))
            return Problem(
                _(
                    "Nobody at %(organisation)s is known by this name alone; give a first "
                    "and a last name so that a new contact can be created."
                )
                % where
            )
        if max(len(part) for part in parts) > NAME_LENGTH:
            return Problem(
                _("A first or last name may have at most %(max)s characters.")
                % {"max": NAME_LENGTH}
            )
        return parts
