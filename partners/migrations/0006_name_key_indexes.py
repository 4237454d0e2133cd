"""Indexes on the key names are matched by (PostgreSQL only): the meeting-log import looks
up a file's names with `replace(crm_fold(name), ' ', '')` (events.importing.names), which
without them reads every organisation and alias for each batch of names."""

from django.db import migrations

INDEXES = {
    "organisation_name_key_idx": ("partners_organisation", "name"),
    "organisation_short_name_key_idx": ("partners_organisation", "short_name"),
    "organisation_alias_name_key_idx": ("partners_organisationalias", "name"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index, (table, column) in INDEXES.items():
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {index} ON {table} "
                f"((replace(crm_fold({column}), ' ', '')))"
            )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for index in INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {index}")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_folding_and_natural_order"),
        ("partners", "0005_merge_natural_order_and_report_title"),
    ]

    operations = [migrations.RunPython(create, drop)]
