"""Resolving the names a file gives (organisations, events, contacts) to records in the CRM.

Every index is built once per import from a few queries, then answers each distinct name
from memory. Names are compared by `values.name_key()`: case, accents, spacing, hyphens and
punctuation do not matter; words (legal forms included) do. An unknown name is a
`Problem` whose message suggests the closest known names.
"""

import difflib
from collections import defaultdict

from django.utils.translation import gettext as _

from events.importing.values import Problem, name_key, split_full_name
from events.models import Event, EventAlias, Meeting
from partners.models import Organisation, OrganisationAlias, Person

NAME_LENGTH = Person._meta.get_field("last_name").max_length
TOPIC_LENGTH = Meeting._meta.get_field("topic").max_length


class Names:
    """Folded name → record id for every name, short name and alias, built once per import.

    `messages` are whole sentences per kind of record (translations need them whole):
    "required", "ambiguous" (value), "closest" (names), "unknown".
    """

    def __init__(self, pairs, messages):
        self.messages = messages
        self.ids = defaultdict(set)
        self.display = {}
        for pk, name in pairs:
            key = name_key(name)
            if not key:
                continue
            self.ids[key].add(pk)
            self.display.setdefault(key, name)

    def resolve(self, raw, blank=None):
        """The record id `raw` names; `blank` (when given) for an empty cell; else a Problem."""
        if type(raw) is not str:
            raw = str(raw)
        key = name_key(raw)
        if not key:
            return blank if blank is not None else Problem(self.messages["required"])
        ids = self.ids.get(key)
        if ids and len(ids) == 1:
            return next(iter(ids))
        if ids:
            return Problem(self.messages["ambiguous"] % {"value": raw.strip()})
        close = difflib.get_close_matches(key, self.display, n=3, cutoff=0.6)
        if close:
            names = ", ".join(f"“{self.display[name]}”" for name in close)
            return Problem(self.messages["closest"] % {"names": names})
        return Problem(self.messages["unknown"])


def organisation_names():
    pairs = []
    for pk, name, short_name in Organisation.objects.values_list("pk", "name", "short_name"):
        pairs += [(pk, name), (pk, short_name)]
    pairs += OrganisationAlias.objects.values_list("organisation_id", "name")
    return Names(
        pairs,
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
    pairs = list(Event.objects.values_list("pk", "name"))
    pairs += EventAlias.objects.values_list("event_id", "name")
    return Names(
        pairs,
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
        people = Person.objects.filter(organisation__in=organisations)
        for pk, org, first, last in people.values_list(
            "pk", "organisation_id", "first_name", "last_name"
        ):
            names = self.full_names[org]
            for key in {name_key(f"{first} {last}"), name_key(f"{last} {first}")}:
                names[key] = None if key in names else pk
            for word in (first, last):
                self.single_names[org][name_key(word)].add(pk)
        self.organisation_names = dict(
            Organisation.objects.filter(pk__in=organisations).values_list("pk", "name")
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
