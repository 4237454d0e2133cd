"""Merging two records of one partner into one, with nothing lost.

Written once for any model, by walking the model's relations (`_meta.related_objects` and
its own many-to-many fields): a relation added later is moved too, without touching this
code (tests/partners/test_merging.py fails if one is not). For each row pointing at the
record merged away ("the other"):

- it is pointed at the kept record instead, and saved (its history says so);
- if that would break a uniqueness rule (two meetings with one organisation on one day at
  one event; one network membership twice), the two rows become one: the kept row's empty
  fields are completed from the other's, differing notes are joined, the other row's own
  relations are merged in the same way, and the other row is deleted (its history keeps
  every value it had);
- if it would make a record point at itself (the kept organisation's membership of the
  other, or the kept one being a part of the other), that link is dropped.

`merge()` does it all in one transaction; `preview()` does the same and rolls it back, so
what the confirmation page announces is exactly what a merge does.
"""

from dataclasses import dataclass, field

from django.db import models, transaction
from django.db.models import Exists, F
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _


class MergeError(ValueError):
    pass


@dataclass
class RelationOutcome:
    label: str
    moved: int = 0
    combined: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


@dataclass
class MergeOutcome:
    keep: models.Model
    other_label: str
    user: object = None
    relations: dict[str, RelationOutcome] = field(default_factory=dict)
    completed_fields: list[str] = field(default_factory=list)
    new_aliases: list[str] = field(default_factory=list)

    def relation(self, label):
        return self.relations.setdefault(label, RelationOutcome(label))

    @property
    def changes(self):
        """The relations something happened to, in the model's order."""
        return [
            step for step in self.relations.values() if step.moved or step.combined or step.dropped
        ]


def relations_of(model):
    """(label, row model, foreign key name) for every table whose rows may point at a
    record of `model`: reverse foreign keys and one-to-ones, and the through tables of
    many-to-many relations in both directions. Explicit through models (Membership) are
    reached by their own foreign keys; relations hidden with related_name="+" (the audit
    history) are left alone."""
    found = []
    for rel in model._meta.related_objects:
        if rel.many_to_many:
            through = rel.through
            if through._meta.auto_created:
                label = f"{rel.related_model._meta.verbose_name_plural} — {rel.field.verbose_name}"
                found.append((label, through, rel.field.m2m_reverse_field_name()))
        else:
            label = str(rel.related_model._meta.verbose_name_plural)
            if (
                len(
                    [r for r in model._meta.related_objects if r.related_model is rel.related_model]
                )
                > 1
            ):
                label = f"{label} ({rel.field.verbose_name})"
            found.append((label, rel.related_model, rel.field.name))
    for many in model._meta.local_many_to_many:
        through = many.remote_field.through
        if through._meta.auto_created:
            found.append((str(many.verbose_name), through, many.m2m_field_name()))
    return found


def _clashes(row):
    """Rows that `row`, as it stands in memory, would break a uniqueness rule with."""
    model = type(row)
    opts = model._meta
    queryset = model._base_manager.exclude(pk=row.pk)
    found = []
    groups = [list(fields) for fields in opts.unique_together]
    groups += [[f.name] for f in opts.local_fields if f.unique and not f.primary_key]
    for fields in groups:
        values = {name: getattr(row, opts.get_field(name).attname) for name in fields}
        if None not in values.values():
            found.append(queryset.filter(**values))
    for constraint in opts.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            clash = _constraint_clash(constraint, row, queryset)
            if clash is not None:
                found.append(clash)
    return [clash for qs in found for clash in qs[:1]]


def _constraint_clash(constraint, row, queryset):
    # The same query Django's UniqueConstraint.validate() builds, returning the rows.
    opts = row._meta
    if constraint.fields:
        values = {name: getattr(row, opts.get_field(name).attname) for name in constraint.fields}
        if None in values.values():
            return None
        queryset = queryset.filter(**values)
    else:
        replacements = {
            F(name): value for name, value in row._get_field_expression_map(meta=opts).items()
        }
        queryset = queryset.filter(
            *[
                Exact(expr, expr.replace_expressions(replacements))
                for expr in constraint.expressions
            ]
        )
    if constraint.condition is None:
        return queryset
    against = row._get_field_expression_map(meta=opts)
    if not (constraint.condition & Exists(queryset.filter(constraint.condition))).check(against):
        return None
    return queryset.filter(constraint.condition)


def _complete(kept_row, other_row, skip=()):
    """Fill the kept row's empty fields from the other's; join differing texts. Returns
    the names of the fields that changed."""
    changed = []
    for model_field in kept_row._meta.concrete_fields:
        if model_field.primary_key or model_field.name in skip or not model_field.editable:
            continue
        mine = getattr(kept_row, model_field.attname)
        theirs = getattr(other_row, model_field.attname)
        if theirs in (None, "") or mine == theirs:
            continue
        if mine in (None, "") or (isinstance(model_field, models.BooleanField) and not mine):
            setattr(kept_row, model_field.attname, theirs)
        elif isinstance(model_field, models.TextField):
            setattr(kept_row, model_field.attname, f"{mine}\n\n{theirs}")
        else:
            continue
        changed.append(model_field.name)
    return changed


def _points_at_itself(row, fk_name, target):
    """True when `row`, once pointed at `target`, would also point at it otherwise."""
    for other_field in row._meta.concrete_fields:
        if (
            other_field.name != fk_name
            and other_field.is_relation
            and other_field.related_model is type(target)
            and getattr(row, other_field.attname) == target.pk
        ):
            return True
    return False


def _link_owner(row_model, fk_name):
    """For a link row of a many-to-many relation whose other end is audited (a meeting's
    people), (that model, the link's field naming it); else None. Links moved row by row
    bypass the relation's manager, so the record they belong to must say so itself."""
    owner_model = row_model._meta.auto_created
    if not owner_model or not hasattr(owner_model._meta, "simple_history_manager_attribute"):
        return None
    for relation in owner_model._meta.local_many_to_many:
        if relation.remote_field.through is row_model and relation.m2m_field_name() != fk_name:
            return owner_model, f"{relation.m2m_field_name()}_id"
    return None


def _record_links_changed(model, pks, outcome, reason):
    """A version of each record whose links a merge changed (simple-history keeps the links
    each version had; see core/history.py)."""
    for record in model._base_manager.filter(pk__in=pks).order_by("pk"):
        record._change_reason = reason
        record._history_user = outcome.user
        record.save()


def _move_relations(keep, other, outcome, reason):
    for label, row_model, fk_name in relations_of(type(keep)):
        step = outcome.relation(label)
        owner = _link_owner(row_model, fk_name)
        owners = set()
        for row in row_model._base_manager.filter(**{fk_name: other.pk}).order_by("pk"):
            if owner:
                owners.add(getattr(row, owner[1]))
            if row_model is type(keep) and row.pk == keep.pk:
                # The kept record was a part of the other one: it cannot be a part of itself.
                # (Cleared in the database now, so that the other can be deleted; the kept
                # record's history entry at the end of the merge shows the change.)
                setattr(keep, row_model._meta.get_field(fk_name).attname, None)
                row_model._base_manager.filter(pk=keep.pk).update(**{fk_name: None})
                step.dropped.append(str(keep))
                continue
            setattr(row, row_model._meta.get_field(fk_name).attname, keep.pk)
            if _points_at_itself(row, fk_name, keep):
                step.dropped.append(str(row))
                row.delete()
                continue
            clashes = _clashes(row)
            if clashes:
                kept_row = clashes[0]
                step.combined.append(
                    _("%(other)s combined with %(kept)s") % {"other": row, "kept": kept_row}
                )
                _combine(kept_row, row, outcome, reason, skip={fk_name})
                continue
            row._change_reason = reason
            row._history_user = outcome.user
            row.save()
            step.moved += 1
        if owners:
            _record_links_changed(owner[0], owners, outcome, reason)


def _combine(kept_row, other_row, outcome, reason, skip=()):
    """Two rows that may exist only once become one (recursively, with their own rows)."""
    _complete(kept_row, other_row, skip=skip)
    nested = MergeOutcome(kept_row, str(other_row), outcome.user)
    _move_relations(kept_row, other_row, nested, reason)
    if hasattr(kept_row, "history"):
        kept_row._change_reason = reason
        kept_row._history_user = outcome.user
    kept_row.save()
    if hasattr(other_row, "history"):
        other_row._change_reason = reason
        other_row._history_user = outcome.user
    other_row.delete()


def _check(keep, other):
    if type(keep) is not type(other):
        raise MergeError(_("Only two records of the same kind can be merged."))
    if keep.pk == other.pk:
        raise MergeError(_("A record cannot be merged into itself."))


def _merge(keep, other, user, extra=None):
    _check(keep, other)
    model = type(keep)
    keep = model._base_manager.select_for_update().get(pk=keep.pk)
    other = model._base_manager.select_for_update().get(pk=other.pk)
    other_id = other.pk
    outcome = MergeOutcome(keep, str(other), user)
    moved_reason = _(
        "Moved from %(other)s (#%(other_id)s) when merged into %(keep)s (#%(keep_id)s)"
    ) % {
        "other": other,
        "other_id": other.pk,
        "keep": keep,
        "keep_id": keep.pk,
    }
    # A field of the other pointing at the kept record (its parent) is not copied over.
    skip = {
        f.name
        for f in model._meta.concrete_fields
        if f.is_relation and f.related_model is model and getattr(other, f.attname) == keep.pk
    }
    outcome.completed_fields = _complete(keep, other, skip=skip)
    _move_relations(keep, other, outcome, moved_reason)
    other._change_reason = _("Merged into %(keep)s (#%(keep_id)s)") % {
        "keep": keep,
        "keep_id": keep.pk,
    }
    other._history_user = user
    other.delete()
    if extra:
        extra(keep, other, outcome)
    keep._change_reason = _("Merged %(other)s (#%(other_id)s) into this record") % {
        "other": other,
        "other_id": other_id,
    }
    keep._history_user = user
    keep.save()
    return outcome


def merge(keep, other, *, user=None, extra=None):
    """Merge `other` into `keep`, in one transaction; returns what was done."""
    with transaction.atomic():
        return _merge(keep, other, user, extra)


def preview(keep, other, *, extra=None):
    """What `merge(keep, other)` would do, without keeping any of it."""
    with transaction.atomic():
        outcome = _merge(keep, other, None, extra)
        transaction.set_rollback(True)
    return outcome


def _organisation_names(keep, other, outcome):
    """The other's name and short name become aliases of the kept organisation (its own
    aliases came over as a relation), and a placeholder kind gives way to a real one."""
    from core.search import search_key
    from partners.models import Organisation, OrganisationAlias

    if keep.kind == Organisation.Kind.OTHER:
        keep.kind = other.kind
    known = {search_key(keep.name), search_key(keep.short_name)}
    known |= {search_key(name) for name in keep.aliases.values_list("name", flat=True)}
    for spelling in (other.name, other.short_name):
        if spelling and search_key(spelling) not in known:
            alias = OrganisationAlias(organisation=keep, name=spelling)
            alias._history_user = outcome.user
            alias._change_reason = keep._change_reason if hasattr(keep, "_change_reason") else ""
            alias.save()
            known.add(search_key(spelling))
            outcome.new_aliases.append(spelling)


def merge_organisations(keep, other, *, user=None):
    return merge(keep, other, user=user, extra=_organisation_names)


def preview_organisations(keep, other):
    return preview(keep, other, extra=_organisation_names)


def merge_people(keep, other, *, user=None):
    return merge(keep, other, user=user)


def preview_people(keep, other):
    return preview(keep, other)


def describe(outcome):
    """The outcome as lines of text (the commands' output)."""
    lines = [
        _("Merged %(other)s into %(keep)s.") % {"other": outcome.other_label, "keep": outcome.keep}
    ]
    if outcome.completed_fields:
        lines.append(_("Completed: %(fields)s") % {"fields": ", ".join(outcome.completed_fields)})
    if outcome.new_aliases:
        lines.append(_("New aliases: %(aliases)s") % {"aliases": ", ".join(outcome.new_aliases)})
    for step in outcome.changes:
        lines.append(
            _("%(relation)s: %(moved)s moved") % {"relation": step.label, "moved": step.moved}
        )
        lines.extend(f"  {text}" for text in step.combined)
        lines.extend("  " + _("dropped: %(link)s") % {"link": text} for text in step.dropped)
    return lines
