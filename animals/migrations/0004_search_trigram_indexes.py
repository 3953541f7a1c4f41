"""Trigram indexes for the catalogue search, on PostgreSQL only.

The search is a case-insensitive substring match (`icontains`, which Django writes as
`UPPER(column::text) LIKE UPPER('%text%')` on PostgreSQL). Without an index every search reads every
animal and its description; a GIN index of the trigrams of `UPPER(column)` answers the same LIKE from
the index. SQLite (the zero-setup database of `make run`) has no such index type: there the migration
does nothing and the search keeps working, just without the index.
"""

from django.db import migrations

INDEXES = {
    "animal_name_trgm_idx": "name",
    "animal_description_trgm_idx": "description",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON animals_animal USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("animals", "0003_available_species_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
