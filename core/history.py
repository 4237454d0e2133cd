"""The audit trail of records, from django-simple-history: who changed what, and when."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.changelist import could_be_id

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


class HistoryAdmin(SimpleHistoryAdmin):
    """The admin of every audited model: history pages, and reverts only for those who may write.

    django-simple-history (3.13) shows its revert form to anyone who may view the history and
    only hides the button: the POST itself saves. A revert is a change (and, for a deleted record,
    a re-creation), so it needs the same permissions as the change and add forms.
    """

    def history_view(self, request, object_id, extra_context=None):
        if not could_be_id(unquote(object_id)):
            raise Http404  # /history/ of "abc" was a 500: the lookup cannot even be built
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if not (could_be_id(unquote(object_id)) and could_be_id(version_id)):
            raise Http404
        if request.method == "POST" and not self.may_revert(request, object_id):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def may_revert(self, request, object_id):
        current = self.get_object(request, unquote(object_id))
        if current is None:  # deleted: reverting re-creates it
            return self.has_add_permission(request) and self.has_change_permission(request)
        return self.has_change_permission(request, current)
