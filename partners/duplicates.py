"""Duplicate candidates: pairs of organisations (or people) that may be one real partner.

The reports alone spell the same partner several ways (Tartu BT Park / Tartù Biocluster; New
Science LLC / New sciences LLC; Paris-Saclay University / Université Paris-Saclay). Each
candidate carries a score (1 = certainly the same) and the reason it was proposed. Pairs that
staff marked "not a duplicate" are never proposed again.

Rules, best first:
- the same name once case, accents, punctuation and spacing are ignored (1.0);
- the same name apart from a legal form (Ltd, LLC, GmbH, S.A.…) (0.95);
- a name or alias of one is a name, alias or short name of the other (0.9);
- similar names: trigram similarity of the names' cores (legal forms and filler words
  such as "University of" left out) of at least SIMILAR, between kinds that can be the same
  organisation (a university is not a science park: University of Tartu / Tartu BT Park);
- the same distinctive first word (5 letters or more, not a country's name, starting at
  most three names), between compatible kinds, in the same country or one unknown (0.5).
"""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django_countries import countries

from core.search import search_key
from partners.models import (
    DistinctOrganisations,
    DistinctPeople,
    Organisation,
    OrganisationAlias,
    Person,
)
from partners.similarity import similar_pairs, similar_to_in_postgresql, similarity

SIMILAR = 0.5
SIMILAR_PEOPLE = 0.6

_LEGAL_FORMS = (
    "ltd limited llc llp lp gmbh mbh ag kg kgaa sa sas sasu sarl eurl sca sl slu srl spa"
    " bv nv plc inc incorporated corp corporation co cie oy oyj ab as asa aps sp zoo"
)
LEGAL_FORMS = frozenset(_LEGAL_FORMS.split())
# Words that say what sort of body an organisation is, not which one.
_FILLER_WORDS = (
    "of the de du des la le les l d and et und for in university universite universitat"
    " universidad universita universiteit uniwersytet"
)
FILLER_WORDS = frozenset(_FILLER_WORDS.split())
# Kinds that can describe one organisation recorded twice (a science park and a cluster play
# the same role); "other" goes with anything, since imports create organisations with it.
KIND_FAMILIES = {
    "cluster": "cluster",
    "science_park": "cluster",
    "network": "cluster",
    "university": "academic",
    "research_institute": "academic",
    "hospital": "academic",
    "corporation": "company",
    "sme": "company",
    "startup": "company",
}


@dataclass(frozen=True)
class Candidate:
    """Two records that may be one, `first` the older (lower id)."""

    first: object
    second: object
    score: float
    reason: str

    def __str__(self):
        return (
            f"{self.score:.2f}  #{self.first.pk} {self.first}  ~  "
            f"#{self.second.pk} {self.second}  ({self.reason})"
        )


@dataclass
class _Names:
    """What the rules compare about one organisation."""

    pk: int
    name: str
    kind: str
    country: str
    key: str  # search_key(name)
    compact: str  # spacing ignored too
    without_legal_form: str
    core: str  # legal forms and filler words left out
    others: dict  # compact alias or short name -> how it is spelt


def _words_without_legal_form(key):
    words = key.split()
    while len(words) > 1 and words[-1] in LEGAL_FORMS:
        words.pop()
    return words


def names_of(pk, name, kind="", country="", aliases=(), short_name=""):
    key = search_key(name)
    words = _words_without_legal_form(key)
    core = [word for word in words if word not in FILLER_WORDS] or words
    others = {search_key(alias).replace(" ", ""): alias for alias in aliases}
    if short_name:
        others.setdefault(search_key(short_name).replace(" ", ""), short_name)
    others.pop("", None)
    return _Names(
        pk, name, kind, country, key, key.replace(" ", ""), "".join(words), " ".join(core), others
    )


def kinds_compatible(left, right):
    if not left or not right or "other" in (left, right) or left == right:
        return True
    family = KIND_FAMILIES.get(left)
    return family is not None and family == KIND_FAMILIES.get(right)


def _exact_rules(names):
    """{(pk, pk): (score, reason)} for the key-equality rules."""
    found = {}

    def propose(pair, score, reason):
        pair = tuple(sorted(pair))
        if pair[0] != pair[1] and (pair not in found or found[pair][0] < score):
            found[pair] = (score, reason)

    by_compact = defaultdict(list)
    by_legal = defaultdict(list)
    by_other = defaultdict(list)
    for entry in names:
        by_compact[entry.compact].append(entry)
        by_legal[entry.without_legal_form].append(entry)
        for compact, spelt in entry.others.items():
            by_other[compact].append((entry, spelt))
    for group in by_compact.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                propose(
                    (a.pk, b.pk),
                    1.0,
                    _("Same name once case, accents, punctuation and spacing are ignored"),
                )
    for group in by_legal.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                propose((a.pk, b.pk), 0.95, _("Same name apart from the legal form"))
    for compact, owners in by_other.items():
        for entry, spelt in owners:
            for named in by_compact.get(compact, ()):
                propose(
                    (entry.pk, named.pk),
                    0.9,
                    _("“%(alias)s”, an alias or short name of %(owner)s, is the name of %(other)s")
                    % {"alias": spelt, "owner": entry.name, "other": named.name},
                )
        for i, (a, spelt) in enumerate(owners):
            for b, _spelt in owners[i + 1 :]:
                propose(
                    (a.pk, b.pk),
                    0.8,
                    _("Both have the alias or short name “%(alias)s”") % {"alias": spelt},
                )
    return found


def _similarity_rules(by_pk, raw_pairs):
    found = {}
    for a_pk, b_pk in raw_pairs:
        a, b = by_pk[a_pk], by_pk[b_pk]
        if not kinds_compatible(a.kind, b.kind):
            continue
        score = similarity(a.core, b.core)
        if score >= SIMILAR:
            # Scaled below the exact rules: a look-alike is never as sure as an alias.
            found[(a_pk, b_pk)] = (
                round(0.85 * score, 2),
                _("Similar names (trigram similarity %(score).2f)") % {"score": score},
            )
    return found


@functools.cache
def _country_words():
    """Country names, in English and French, as words: "France Cluster" and "France
    Biolead" share a country, not an identity."""
    words = set()
    for language in ("en", "fr"):
        with translation.override(language):
            for _code, name in countries:
                words.update(search_key(str(name)).split())
    return frozenset(words)


def _first_word_rule(names):
    starting = defaultdict(list)
    for entry in names:
        first = entry.core.split()[0] if entry.core else ""
        if len(first) >= 5 and first not in _country_words():
            starting[first].append(entry)
    found = {}
    for word, group in starting.items():
        if len(group) > 3:
            continue  # a word that starts many names tells them apart from nothing
        group = sorted(group, key=lambda entry: entry.pk)
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                same_place = a.country == b.country or not a.country or not b.country
                if same_place and kinds_compatible(a.kind, b.kind):
                    found[(a.pk, b.pk)] = (
                        0.5,
                        _("Both names start with the distinctive word “%(word)s”") % {"word": word},
                    )
    return found


def _dismissed(model):
    pairs = model.objects.values_list("first_id", "second_id")
    return {tuple(sorted(pair)) for pair in pairs}


def organisation_candidates():
    """Every candidate pair of organisations, best first."""
    aliases = defaultdict(list)
    for organisation_id, alias in OrganisationAlias.objects.values_list("organisation_id", "name"):
        aliases[organisation_id].append(alias)
    names = [
        names_of(pk, name, kind, country, aliases[pk], short_name)
        for pk, name, short_name, kind, country in Organisation.objects.order_by("pk").values_list(
            "pk", "name", "short_name", "kind", "country"
        )
    ]
    by_pk = {entry.pk: entry for entry in names}
    found = _first_word_rule(names)
    similar = similar_pairs({entry.pk: entry.core for entry in names}, SIMILAR)
    for rule in (_similarity_rules(by_pk, similar), _exact_rules(names)):
        for pair, verdict in rule.items():
            if pair not in found or found[pair][0] < verdict[0]:
                found[pair] = verdict
    for pair in _dismissed(DistinctOrganisations):
        found.pop(pair, None)
    return _as_candidates(Organisation.objects.all(), found)


def _as_candidates(queryset, found):
    records = queryset.in_bulk({pk for pair in found for pk in pair})
    candidates = [
        Candidate(records[a], records[b], score, reason)
        for (a, b), (score, reason) in found.items()
    ]
    return sorted(candidates, key=lambda c: (-c.score, c.first.pk, c.second.pk))


def candidates_for_new_organisation(name, short_name="", kind="", country=""):
    """Existing organisations a new one named `name` may duplicate, best first (the admin's
    warning before creating one)."""
    new = names_of(0, name, kind, country, short_name=short_name)
    words = [word for word in new.core.split() if len(word) >= 3] or new.core.split()
    nearby = Organisation.objects.none()
    for word in words:
        nearby = nearby | Organisation.objects.search(word)
    nearby = nearby | Organisation.objects.named(name)
    if connection.vendor == "postgresql":
        # Misspellings no word of the name contains ("Lituanian"), through the trigram index.
        with transaction.atomic():
            nearby = nearby | Organisation.objects.filter(pk__in=similar_to_in_postgresql(new.key))
    found = []
    for organisation in nearby.prefetch_related("aliases").distinct()[:200]:
        existing = names_of(
            organisation.pk,
            organisation.name,
            organisation.kind,
            organisation.country,
            [alias.name for alias in organisation.aliases.all()],
            organisation.short_name,
        )
        verdicts = {**_first_word_rule([new, existing])}
        verdicts.update(_similarity_rules({0: new, existing.pk: existing}, [(0, existing.pk)]))
        verdicts.update(_exact_rules([new, existing]))
        if verdicts:
            score, reason = max(verdicts.values())
            found.append(Candidate(organisation, None, score, reason))
    return sorted(found, key=lambda c: (-c.score, c.first.pk))


def person_candidates():
    """Every candidate pair of people, best first: same name (in either order), same email,
    or similar names at the same organisation."""
    people = list(
        Person.objects.values_list("pk", "first_name", "last_name", "email", "organisation")
    )
    found = {}

    def propose(a, b, score, reason):
        pair = tuple(sorted((a, b)))
        if pair[0] != pair[1] and (pair not in found or found[pair][0] < score):
            found[pair] = (score, reason)

    by_name = defaultdict(list)
    by_email = defaultdict(list)
    by_organisation = defaultdict(list)
    for pk, first, last, email, organisation in people:
        full = search_key(f"{first} {last}")
        by_name["".join(sorted(full.split()))].append((pk, organisation))
        if email:
            by_email[email.strip().lower()].append(pk)
        by_organisation[organisation].append((pk, full))
    for group in by_name.values():
        for i, (a, a_org) in enumerate(group):
            for b, b_org in group[i + 1 :]:
                if a_org == b_org:
                    propose(a, b, 1.0, _("Same name at the same organisation"))
                else:
                    propose(a, b, 0.85, _("Same name, at another organisation"))
    for group in by_email.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                propose(a, b, 0.95, _("Same email address"))
    for group in by_organisation.values():
        for i, (a, a_name) in enumerate(group):
            for b, b_name in group[i + 1 :]:
                score = similarity(a_name, b_name)
                if score >= SIMILAR_PEOPLE:
                    propose(
                        a,
                        b,
                        round(0.9 * score, 2),
                        _("Similar names at the same organisation (trigram similarity %(score).2f)")
                        % {"score": score},
                    )
    for pair in _dismissed(DistinctPeople):
        found.pop(pair, None)
    return _as_candidates(Person.objects.select_related("organisation"), found)


def candidates_for_new_person(first_name, last_name, organisation=None, email=""):
    """Existing people a new one may duplicate, best first (the admin's warning)."""
    full = search_key(f"{first_name} {last_name}")
    key = "".join(sorted(full.split()))
    nearby = Person.objects.filter(last_name_folded=search_key(last_name))
    if organisation is not None:
        nearby = nearby | Person.objects.filter(organisation=organisation)
    if email:
        nearby = nearby | Person.objects.filter(email__iexact=email.strip())
    found = []
    for person in nearby.select_related("organisation").distinct()[:200]:
        other = search_key(person.full_name)
        same_org = organisation is not None and person.organisation_id == organisation.pk
        if "".join(sorted(other.split())) == key:
            verdict = (
                (1.0, _("Same name at the same organisation"))
                if same_org
                else (
                    0.85,
                    _("Same name, at another organisation"),
                )
            )
        elif email and person.email.strip().lower() == email.strip().lower():
            verdict = (0.95, _("Same email address"))
        elif same_org and similarity(full, other) >= SIMILAR_PEOPLE:
            verdict = (
                round(0.9 * similarity(full, other), 2),
                _("Similar names at the same organisation (trigram similarity %(score).2f)")
                % {"score": similarity(full, other)},
            )
        else:
            continue
        found.append(Candidate(person, None, *verdict))
    return sorted(found, key=lambda c: (-c.score, c.first.pk))
