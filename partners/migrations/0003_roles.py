from django.db import migrations

from partners.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0002_export_and_import_permissions"),
        ("events", "0002_export_and_import_permissions"),
        ("projects", "0002_export_and_import_permissions"),
    ]

    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
