"""The SQL side of core.search on PostgreSQL: CRM_FOLD and the crm_natural collation.

SQLite registers both from Python on each connection (core.search.register_sqlite_functions).
"""

from django.contrib.postgres.operations import TrigramExtension, UnaccentExtension
from django.db import migrations

# PostgreSQL only (SQLite registers CRM_FOLD and crm_natural from Python on each connection,
# see core.search). CRM_FOLD is core.search.search_key() in SQL: unaccent, lower case,
# punctuation dropped, spaces collapsed. `unaccent()` alone is only STABLE; naming its
# dictionary makes the wrapper IMMUTABLE, which an index needs.
FOLD_FUNCTION = r"""
CREATE OR REPLACE FUNCTION crm_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT btrim(regexp_replace(
        regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, $1)),
                       '[^[:alnum:][:space:]]', '', 'g'),
        '\s+', ' ', 'g'))
$$
"""
# The ICU root collation: case and accents ignored when sorting, equality still exact.
NATURAL_COLLATION = (
    "CREATE COLLATION IF NOT EXISTS crm_natural (provider = icu, locale = 'und')"
)


def on_postgresql(*statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = []

    operations = [
        UnaccentExtension(),
        TrigramExtension(),
        migrations.RunPython(
            on_postgresql(FOLD_FUNCTION, NATURAL_COLLATION),
            on_postgresql("DROP FUNCTION IF EXISTS crm_fold(text)"),
        ),
    ]
