"""The audit trail of records, from django-simple-history: who changed what, and when."""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats
from django.utils.translation import gettext_lazy as _

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime
    who: object
    action: str
    changes: list[Change] = field(default_factory=list)


def display(model_field, value):
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if model_field.is_relation:
        return f"#{value}"
    return str(formats.localize(value))


def audit_trail(records):
    """Entries for history `records` (one or several records' history, any order), newest first.

    Each change lists the fields that differ from the same record's previous version
    (`diff_against`), with their values as the interface shows them.
    """
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    previous = {}
    entries = []
    for record in records:
        opts = record.instance_type._meta
        key = getattr(record, opts.pk.attname)
        entry = AuditEntry(record.history_date, record.history_user, ACTIONS[record.history_type])
        before = previous.get(key)
        if before is not None and record.history_type == "~":
            for change in record.diff_against(before).changes:
                model_field = opts.get_field(change.field)
                entry.changes.append(
                    Change(
                        str(model_field.verbose_name),
                        display(model_field, change.old),
                        display(model_field, change.new),
                    )
                )
        previous[key] = record
        entries.append(entry)
    entries.reverse()
    return entries
