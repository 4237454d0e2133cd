"""The key-name indexes (0011) on the stored folded copies instead of CRM_FOLD(column), as
partners 0009 does for organisations: the meeting-log import compares
`replace(name_folded, ' ', '')` (events.importing.names)."""

from django.db import migrations

INDEXES = {
    "event_name_key_idx": ("events_event", "name"),
    "event_alias_name_key_idx": ("events_eventalias", "name"),
}


def on_folded_copies(apps, schema_editor):
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(
            f"CREATE INDEX {index} ON {table} ((replace({column}_folded, ' ', '')))"
        )


def on_folding(apps, schema_editor):
    for index, (table, column) in INDEXES.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"CREATE INDEX {index} ON {table} ((replace(crm_fold({column}), ' ', '')))"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0016_meeting_event_index_with_organisations"),
    ]

    operations = [migrations.RunPython(on_folded_copies, on_folding)]
