"""Stored folded copies of the projects' searched columns (core.search.folded_copy), with
trigram indexes on them (PostgreSQL only), as partners and events have.

Without them every search folded each project's acronym and title again (unaccent and two
regular expressions): 20 to 30 ms for "bio" over 2,000 projects, in the global search too.
"""

from django.db import migrations, models

# (index, table, column)
TRIGRAM_INDEXES = [
    ("project_acronym_folded_trgm_idx", "projects_project", "acronym"),
    ("project_title_folded_trgm_idx", "projects_project", "title"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, table, column in TRIGRAM_INDEXES:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
                f"USING gin ({column}_folded gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for name, _table, _column in TRIGRAM_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def folded(column):
    return models.GeneratedField(
        db_persist=True,
        expression=models.Func(
            models.F(column), function="CRM_FOLD", output_field=models.TextField()
        ),
        output_field=models.TextField(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0004_history_records_links"),
    ]

    operations = [
        migrations.AddField(model_name="project", name="acronym_folded", field=folded("acronym")),
        migrations.AddField(model_name="project", name="title_folded", field=folded("title")),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
