"""The columns a meeting log may have, and every header that means each of them.

The reading code (files.py) maps a file's headers onto these column names; everything after it
(the planner, the messages, the admin's list of columns) speaks only of these names.
"""

import re

from django.utils.translation import gettext_lazy

from core.search import fold

# The columns a log may have, and every header that means each of them. Headers are
# compared by `header_key()`: case, accents, punctuation and "(s)" do not matter, so
# "Contact(s)", "CONTACTS" and "contacts :" are one header.
COLUMNS = {
    "date": gettext_lazy("date"),
    "event": gettext_lazy("event"),
    "organisation": gettext_lazy("organisation"),
    "contacts": gettext_lazy("contacts"),
    "topic": gettext_lazy("topic"),
    "notes": gettext_lazy("notes"),
    "follow_up": gettext_lazy("follow-up"),
    # Whether the meeting took place (partnering platforms and calendars say so); the words
    # it may hold are values.MEETING_STATUSES. Without this column every line was held.
    "status": gettext_lazy("status"),
}
REQUIRED_COLUMNS = ("date", "organisation")
HEADER_SYNONYMS = {
    "date": [
        "date",
        "meeting date",
        "date of meeting",
        "date du rendez-vous",
        "date de la réunion",
        "date RDV",
        "day",
        "jour",
    ],
    "event": ["event", "événement", "event name", "nom de l'événement", "salon", "convention"],
    "organisation": [
        "organisation",
        "organization",
        "société",
        "company",
        "entreprise",
        "organisme",
        "company name",
        "nom de la société",
        "structure",
        "partner",
        "partenaire",
    ],
    "contacts": [
        "contact(s)",
        "participant(s)",
        "contact name",
        "contact person",
        "attendee(s)",
        "people met",
        "personne(s) rencontrée(s)",
        "interlocuteur(s)",
        "nom du contact",
    ],
    "topic": ["topic", "sujet", "subject", "objet", "meeting topic", "thème"],
    "notes": [
        "notes",
        "note",
        "comment(s)",
        "commentaire(s)",
        "remarque(s)",
        "compte rendu",
        "summary",
        "description",
    ],
    "follow_up": [
        "follow-up",
        "suivi",
        "followup",
        "next step(s)",
        "à suivre",
        "suite à donner",
        "action(s)",
    ],
    "status": ["status", "statut", "meeting status", "statut du rendez-vous", "état"],
}

_PLURAL_MARK = re.compile(r"\(\s*s\s*\)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _normalise(text) -> str:
    key = _PLURAL_MARK.sub("", fold(str(text or "")))
    return _NOT_ALNUM.sub(" ", key).strip()


HEADERS = {_normalise(word): column for column, words in HEADER_SYNONYMS.items() for word in words}


def header_key(text) -> str:
    """The form headers are compared in: "Contact(s) :" → "contact", "Société" → "societe",
    "Follow-up" → "follow up", "Personnes rencontrées" → "personne rencontree"."""
    key = _normalise(text)
    if key not in HEADERS:
        singular = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())
        if singular in HEADERS:
            return singular
    return key
