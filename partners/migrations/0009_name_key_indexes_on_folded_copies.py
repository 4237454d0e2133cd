"""The key-name indexes (0006) on the stored folded copies instead of CRM_FOLD(column): the
meeting-log import now compares `replace(name_folded, ' ', '')` (events.importing.names).
A file naming 60,000 organisations is then answered by reading the organisations once,
without folding each name again (1.3 s of unaccent and regular expressions on 100,000
organisations; 0.2 s on the stored copy); a file naming a few by the index. Both databases:
on SQLite the copy also spares a call of the Python CRM_FOLD per row."""

from django.db import migrations

INDEXES = {
    "organisation_name_key_idx": ("partners_organisation", "name"),
    "organisation_short_name_key_idx": ("partners_organisation", "short_name"),
    "organisation_alias_name_key_idx": ("partners_organisationalias", "name"),
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
        ("partners", "0008_folded_copies_of_searched_columns"),
    ]

    operations = [migrations.RunPython(on_folded_copies, on_folding)]
