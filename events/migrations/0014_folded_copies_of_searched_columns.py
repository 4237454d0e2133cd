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
    ("event_name_folded_trgm_idx", None, "events_event", "name"),
    ("event_alias_name_folded_trgm_idx", None, "events_eventalias", "name"),
    ("meeting_topic_folded_trgm_idx", "meeting_topic_trgm_idx", "events_meeting", "topic"),
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
        ("events", "0013_meeting_follow_ups_only_as_tasks"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="city_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("city"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.AddField(
            model_name="event",
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
            model_name="eventalias",
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
            model_name="meeting",
            name="topic_folded",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.Func(
                    models.F("topic"), function="CRM_FOLD", output_field=models.TextField()
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(use_stored_copies, fold_again),
    ]
