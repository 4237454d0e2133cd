from django.db import migrations



class Migration(migrations.Migration):
    """Give the roles the import records' permissions: every role may view them (Importer
    included), only Administrator may undo an import."""

    dependencies = [
        ("events", "0003_import_records"),
        ("partners", "0003_roles"),
        ("projects", "0002_export_and_import_permissions"),
    ]

    # Roles used to be created here; they now come from a post_migrate receiver
    # (core.roles), which also runs on databases that already applied this migration.
    operations = []
