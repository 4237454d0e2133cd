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
    # When the follow-up is due: the due date of the follow-up task the import creates.
    "follow_up_due": gettext_lazy("follow-up due date"),
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
        # Outlook's calendar export: the meeting's start is its day.
        "start date",
        "date de début",
        "début",
        "meeting start",
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
        # Outlook: both lists are the people met (several contacts columns are joined).
        "required attendees",
        "optional attendees",
        "participants obligatoires",
        "participants facultatifs",
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
    "follow_up_due": [
        "follow-up date",
        "follow-up due",
        "follow-up due date",
        "due date",
        "deadline",
        "échéance",
        "date de relance",
        "date de suivi",
        "date limite",
        "à relancer le",
    ],
    # Partnering platforms: whether the meeting was held (the planner reads the values).
    "status": [
        "status",
        "meeting status",
        "statut",
        "état",
        "statut du rendez-vous",
        "etat du rdv",
    ],
}

# Headers recognised as something a meeting does not hold: listed as "not imported" rather
# than as unknown. Outlook's end and reminder dates are here, so its start date is the day.
_TIME = gettext_lazy("a time")
_NOT_IMPORTED_SYNONYMS = {
    _TIME: [
        "time",
        "start time",
        "end time",
        "heure",
        "heure de début",
        "heure de fin",
        "meeting time",
        "slot",
        "créneau",
        "horaire",
        "reminder time",
        "heure du rappel",
        "heure de rappel",
    ],
    gettext_lazy("another date"): [
        "end date",
        "date de fin",
        "fin",
        "reminder date",
        "date du rappel",
        "date de rappel",
        "reminder on/off",
        "rappel actif/inactif",
    ],
    gettext_lazy("a calendar setting"): [
        "all day event",
        "journée entière",
        "meeting organizer",
        "organisateur de réunion",
        "meeting resources",
        "ressources de la réunion",
        "billing information",
        "informations de facturation",
        "categories",
        "catégories",
        "mileage",
        "kilométrage",
        "priority",
        "priorité",
        "private",
        "privé",
        "sensitivity",
        "critère de diffusion",
        "show time as",
        "afficher la disponibilité",
    ],
    gettext_lazy("a time zone"): ["time zone", "timezone", "fuseau horaire", "tz"],
    gettext_lazy("a table or place"): [
        "table",
        "table number",
        "table n°",
        "room",
        "salle",
        "location",
        "lieu",
        "emplacement",
    ],
    gettext_lazy("a meeting type"): [
        "meeting type",
        "type",
        "type de rendez-vous",
        "type de réunion",
        "format",
    ],
    gettext_lazy("an identifier"): [
        "id",
        "meeting id",
        "identifiant",
        "ref",
        "reference",
        "référence",
        "n°",
        "numéro",
    ],
}
_PLURAL_MARK = re.compile(r"\(\s*s\s*\)")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def _normalise(text) -> str:
    key = _PLURAL_MARK.sub("", fold(str(text or "")))
    return _NOT_ALNUM.sub(" ", key).strip()


HEADERS = {_normalise(word): column for column, words in HEADER_SYNONYMS.items() for word in words}
TIME_HEADERS = {_normalise(word) for word in _NOT_IMPORTED_SYNONYMS[_TIME]}
NOT_IMPORTED = {
    _normalise(word): kind for kind, words in _NOT_IMPORTED_SYNONYMS.items() for word in words
}


def header_key(text) -> str:
    """The form headers are compared in: "Contact(s) :" → "contact", "Société" → "societe",
    "Follow-up" → "follow up", "Personnes rencontrées" → "personne rencontree"."""
    key = _normalise(text)
    if key not in HEADERS:
        singular = " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in key.split())
        if singular in HEADERS:
            return singular
    return key
