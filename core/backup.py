"""Backups that restore whatever has been deleted, merged or undone (`manage.py backup`/`restore`).

`dumpdata --natural-foreign` fails once a record has been deleted: its audit history still
points at it, and a natural key cannot be written for a record that no longer exists. So:

- records keep their ids (no natural primary keys), so history rows, which refer to records
  by id, find them again, or keep pointing at a deleted one as they did before;
- audit-history rows are written with plain ids, never natural keys;
- every other reference is written as a natural key where one exists, which matters for
  permissions and content types: a fresh database numbers them in its own way.

Content types, permissions (both made by `migrate`), sessions and lock-out attempts are left
out. A restore goes into a freshly migrated database and replaces the roles `migrate` made.
"""

import datetime
import json

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from simple_history.models import HistoricalChanges

LEFT_OUT = {"contenttypes", "sessions", "axes", "auth.permission"}


def backed_up_models():
    """Every model whose rows a backup holds, ordered so that a restore can load them."""
    chosen = {
        app_config: [
            model
            for model in app_config.get_models()
            if model._meta.label_lower not in LEFT_OUT and not model._meta.proxy
        ]
        for app_config in apps.get_app_configs()
        if app_config.label not in LEFT_OUT
    }
    app_list = [(config, models) for config, models in chosen.items() if models]
    return serializers.sort_dependencies(app_list, allow_cycles=True)


class ExactJSONEncoder(DjangoJSONEncoder):
    """Writes date-times to the microsecond: Django's encoder cuts them to the millisecond, so
    a restored audit history would not be quite the one backed up."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        return super().default(o)


def is_history(model):
    return issubclass(model, HistoricalChanges) or getattr(model, "_history_m2m", False)


def write_backup(stream):
    """Writes every backed-up row to `stream` as one JSON list (loaddata's format)."""
    stream.write("[")
    first = True
    for model in backed_up_models():
        rows = model._base_manager.order_by("pk").iterator(chunk_size=2000)
        text = serializers.serialize(
            "json",
            rows,
            use_natural_foreign_keys=not is_history(model),
            use_natural_primary_keys=False,
            cls=ExactJSONEncoder,
        )
        body = text.strip()[1:-1].strip()
        if body:
            stream.write("" if first else ",\n")
            stream.write(body)
            first = False
    stream.write("]\n")


def domain_rows():
    return sum(
        model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in ("partners", "events", "projects")
        or model._meta.label_lower == "auth.user"
    )


class NotEmpty(Exception):
    pass


def restore_backup(path):
    """Loads a backup into a migrated database holding no records or users yet."""
    with open(path, encoding="utf-8") as handle:
        json.load(handle)  # refuse a truncated or foreign file before touching anything
    if domain_rows():
        raise NotEmpty
    Group = apps.get_model("auth", "Group")
    with transaction.atomic():
        Group.objects.all().delete()  # the roles `migrate` made; the backup has them
        call_command("loaddata", str(path), verbosity=0)
