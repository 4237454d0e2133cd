"""The four roles staff are given, as auth groups, and the permissions each carries.

A `post_migrate` receiver (`sync_roles_after_migrate`, connected by `core.apps`) recreates
them after every `migrate` and `flush`, after Django has created the permissions, so a
fresh database, an upgraded one and a flushed test database end with the same groups.
"""

from django.apps import apps as global_apps
from django.contrib.auth.models import Group
from django.db import router
from django.db.models import Q

DOMAIN_APPS = ("partners", "events", "projects")
# Reference data, and the audit trail of imports, that only administrators change.
ADMINISTRATOR_ONLY_MODELS = ("report", "importrecord", "subscriber")
# The kernel's own models (saved views): no role but Administrator has permissions on them
# (their pages need none; their admin is the administrators'); the roles are synced after
# their permissions are created too.
ADMINISTRATOR_ONLY_APPS = ("core",)

VIEWER, EDITOR, IMPORTER, ADMINISTRATOR = "Viewer", "Editor", "Importer", "Administrator"


def _role_permission_filters():
    domain = Q(content_type__app_label__in=DOMAIN_APPS)
    reading = domain & (Q(codename__startswith="view_") | Q(codename__startswith="export_"))
    editing = (
        domain
        & (Q(codename__startswith="add_") | Q(codename__startswith="change_"))
        & ~Q(content_type__model__startswith="historical")
        & ~Q(content_type__model__in=ADMINISTRATOR_ONLY_MODELS)
    )
    importing = domain & Q(codename__startswith="import_")
    return {
        VIEWER: reading,
        EDITOR: reading | editing,
        IMPORTER: reading | importing,
        ADMINISTRATOR: Q(),  # every permission, users and groups included
    }


def sync_roles(apps):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, condition in _role_permission_filters().items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(condition))


def sync_roles_after_migrate(sender, using="default", apps=global_apps, **kwargs):
    """After each domain app's permissions are created (Django's own post_migrate receiver
    runs first): cheap, and the last call sees every permission. `flush` sends no `apps`."""
    synced = sender.label in DOMAIN_APPS or sender.label in ADMINISTRATOR_ONLY_APPS
    if synced and router.allow_migrate_model(using, Group):
        sync_roles(apps)
