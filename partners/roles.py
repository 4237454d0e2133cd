"""The four roles staff are given, as auth groups, and the permissions each carries.

Data migrations call `sync_roles` (with the migration's historical `apps`) whenever models or
permissions change, so a fresh database and an upgraded one end with the same groups.
"""

from django.contrib.auth.management import create_permissions
from django.db.models import Q

DOMAIN_APPS = ("partners", "events", "projects", "followups")
# Reference data, and the audit trail of imports, that only administrators change.
ADMINISTRATOR_ONLY_MODELS = ("report", "importrecord", "subscriber")

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


def sync_roles(apps, schema_editor=None):
    # Permissions are normally created after `migrate` finishes; roles need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, condition in _role_permission_filters().items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(Permission.objects.filter(condition))
