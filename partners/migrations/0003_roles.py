from django.db import migrations



class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0002_export_and_import_permissions"),
        ("events", "0002_export_and_import_permissions"),
        ("projects", "0002_export_and_import_permissions"),
    ]

    # Roles used to be created here; they now come from a post_migrate receiver
    # (core.roles), which also runs on databases that already applied this migration.
    operations = []
