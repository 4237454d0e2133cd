"""The audit trail of records, from django-simple-history: who changed what, and when.

Many-to-many relations (people met, source reports, …) are declared to simple-history with
`m2m_fields` (and `Sourced._history_m2m_fields`): each version then keeps the whole set of
links as it stood, in a table of its own, and a change made through a relation's manager
(`meeting.people.add()`, the admin's and the API's `set()`) is a version of its own. Writes
that bypass the managers (the import's bulk statements, the merge's moves of link rows)
record their versions themselves.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.admin.utils import unquote
from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import formats
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.models import HistoricalRecords
from simple_history.utils import get_m2m_reverse_field_name

from core.backoffice import ValidHtmlForms
from core.changelist import could_be_id

ACTIONS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class Change:
    field: str
    old: str = ""
    new: str = ""
    # For a many-to-many relation, what the version linked and unlinked, by name.
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)

    @property
    def links(self):
        """ "+ Mari Kask, − Jaan Tamm": what a version did to a relation."""
        return ", ".join([f"+ {n}" for n in self.added] + [f"− {n}" for n in self.removed])


@dataclass
class AuditEntry:
    when: datetime
    who: object
    action: str
    changes: list[Change] = field(default_factory=list)
    reason: str = ""  # why, when the change says (a merge: what was merged into what)


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


def audit_trail(records, *, may_view):
    """Entries for history `records` (one or several records' history, any order), newest first.

    Each change lists the fields that differ from the same record's previous version
    (`diff_against`), with their values as the interface shows them, and the links a version
    added to or removed from each many-to-many relation (a creation, its first links) —
    only of relations to models the reader `may_view(model)`: the names would give away
    records their own pages refuse them (people met, to a reader of meetings only).
    """
    entries = [entry for _record, entry in _trail(records, may_view)]
    entries.reverse()
    return entries


def audit_trails(records, *, may_view):
    """{record id: its entries, newest first} for the history `records` of several records
    of one model (an organisation's partnerships), read in as many queries as one trail."""
    trails = defaultdict(list)
    for record, entry in _trail(records, may_view):
        trails[getattr(record, record.instance_type._meta.pk.attname)].insert(0, entry)
    return trails


def _trail(records, may_view):
    """(record, entry) oldest first; a fixed number of queries whatever the number of records."""
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    links = _LinkSets(records, may_view)
    previous = {}
    for record in records:
        opts = record.instance_type._meta
        key = (opts.label, getattr(record, opts.pk.attname))
        entry = AuditEntry(
            record.history_date,
            record.history_user,
            ACTIONS[record.history_type],
            reason=record.history_change_reason or "",
        )
        before = previous.get(key)
        if before is not None and record.history_type == "~":
            relations = [f.name for f in record._history_m2m_fields]
            for change in record.diff_against(before, excluded_fields=relations).changes:
                model_field = opts.get_field(change.field)
                entry.changes.append(
                    Change(
                        str(model_field.verbose_name),
                        display(model_field, change.old),
                        display(model_field, change.new),
                    )
                )
        if record.history_type == "+" or (before is not None and record.history_type == "~"):
            entry.changes += links.changes(before, record)
        previous[key] = record
        yield record, entry


class _LinkSets:
    """The links each history record kept of each many-to-many relation, read in one query
    per relation, with the names of what they point at read in one query per model."""

    def __init__(self, records, may_view):
        self.shown = set()  # the relations the reader may see the names of
        self.sets = defaultdict(set)  # (record, relation name) → ids
        wanted = defaultdict(set)  # related model → ids to name
        by_model = defaultdict(list)
        for record in records:
            by_model[type(record)].append(record)
        for history_model, group in by_model.items():
            ids = {record.history_id: record for record in group}
            for relation in history_model._history_m2m_fields:
                if not may_view(relation.related_model):
                    continue
                self.shown.add(relation)
                target = get_m2m_reverse_field_name(relation)
                rows = HistoricalRecords.m2m_models[relation].objects.filter(
                    history_id__in=list(ids)
                ).values_list("history_id", f"{target}_id")
                for history_id, related_id in rows:
                    self.sets[ids[history_id], relation.name].add(related_id)
                    wanted[relation.related_model].add(related_id)
        self.names = {
            model: {pk: str(obj) for pk, obj in model._base_manager.in_bulk(list(pks)).items()}
            for model, pks in wanted.items()
        }

    def changes(self, before, record):
        found = []
        for relation in record._history_m2m_fields:
            if relation not in self.shown:
                continue
            old = self.sets[before, relation.name] if before is not None else set()
            new = self.sets[record, relation.name]
            if old == new:
                continue
            names = self.names.get(relation.related_model, {})
            found.append(
                Change(
                    str(relation.verbose_name),
                    added=self.named(names, new - old),
                    removed=self.named(names, old - new),
                )
            )
        return found

    @staticmethod
    def named(names, ids):
        # A deleted record keeps its id in history; its name is gone.
        return sorted(names.get(pk, f"#{pk}") for pk in ids)


def leave_loaded_links_out_of_history(sender, instance, raw=False, **kwargs):
    """A record loaded raw (`loaddata`: fixtures, `manage.py restore`) has no version of its
    own, and its links, which the loader sets right after, must not make one either:
    simple-history's many-to-many receiver does not know the save was raw. Its documented
    switch, `skip_history_when_saving`, holds for the loader's instance only."""
    if raw and hasattr(sender._meta, "simple_history_manager_attribute"):
        instance.skip_history_when_saving = True


class HistoryAdmin(ValidHtmlForms, SimpleHistoryAdmin):
    """The admin of every audited model: history pages, and reverts only for those who may write.

    django-simple-history (3.13) shows its revert form to anyone who may view the history and
    only hides the button: the POST itself saves. A revert is a change (and, for a deleted record,
    a re-creation), so it needs the same permissions as the change and add forms.
    """

    # The changes column, with many-to-many changes named as the site's history shows them.
    object_history_list_template = "admin/history_list.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        # Newest first, each diffed against the next (older) one on the page, as simple-history
        # does; the oldest on a page has nothing to compare with.
        def may_view(model):
            opts = model._meta
            codename = get_permission_codename("view", opts)
            return request.user.has_perm(f"{opts.app_label}.{codename}")

        for record, entry in _trail(historical_records, may_view):
            record.history_delta_changes = entry.changes

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
