"""Stored folded copies of the searched columns (core.search.folded_copy), with their
trigram indexes in place of those on `crm_fold(column)` (PostgreSQL only).

Adding a generated column fills it for every existing row. Searches then compare the
stored text, where each candidate row of the old indexes was folded again (unaccent and
two regular expressions): a second for a word as common as "bio" at 100× the data.
"""

from django.db import migrations, models

# (index on the stored copy, the index on crm_fold() it replaces, table, column). None: the
# crm_fold() index stays, for the meeting-log import's suggestions of a close name
# (events.importing.names).
TRIGRAM_INDEXES = [
    (
        "organisation_name_folded_trgm_idx",
        None,
        "partners_organisation",
        "name",
    ),
    (
        "organisation_short_name_folded_trgm_idx",
        "organisation_short_name_trgm_idx",
        "partners_organisation",
        "short_name",
    ),
    (
        "organisation_alias_name_folded_trgm_idx",
        None,
        "partners_organisationalias",
        "name",
    ),
    (
        "person_first_name_folded_trgm_idx",
        "person_first_name_trgm_idx",
        "partners_person",
        "first_name",
    ),
    (
        "person_last_name_folded_trgm_idx",
        "person_last_name_trgm_idx",
        "partners_person",
        "last_name",
    ),
    ("person_role_folded_trgm_idx", "person_role_trgm_idx", "partners_person", "role"),
    (
        "partnership_title_folded_trgm_idx",
        "partnership_title_trgm_idx",
        "partners_partnership",
        "title",
    ),
]


def use_stored_copies(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, old, table, column in TRIGRAM_INDEXES:
            if old:
                schema_editor.execute(f"DROP INDEX IF EXISTS {old}")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ({column}_folded gin_trgm_ops)"
            )


def fold_again(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, old, table, column in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
            if old:
                schema_editor.execute(
                    f"CREATE INDEX IF NOT EXISTS {old} ON {table} "
                    f"USING gin (crm_fold({column}) gin_trgm_ops)"
                )


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0007_merge_history_links_and_name_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="organisation",
            name="name_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("name"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="organisation",
            name="short_name_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("short_name"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="organisationalias",
            name="name_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("name"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="partnership",
            name="title_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("title"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="first_name_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("first_name"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="last_name_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("last_name"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="role_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("role"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(use_stored_copies, fold_again),
    ]
