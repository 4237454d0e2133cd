from django.db import migrations

from partners.roles import sync_roles


class Migration(migrations.Migration):
    """Give the roles the import records' permissions: every role may view them (Importer
    included), only Administrator may undo an import."""

    dependencies = [
        ("events", "0003_import_records"),
        ("partners", "0003_roles"),
        ("projects", "0002_export_and_import_permissions"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
