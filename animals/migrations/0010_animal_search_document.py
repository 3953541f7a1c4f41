"""The animals' full-text document (animals.search.SearchDocument) as a stored generated column, with a GIN
index on PostgreSQL. SQLite stores an empty value and gets no index (no full-text search there)."""

import django.contrib.postgres.search
from django.db import migrations, models

import animals.search

INDEX_NAME = "animal_search_document_idx"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON animals_animal USING gin (search_document)")


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("animals", "0009_species_search_words"),
    ]

    operations = [
        migrations.AddField(
            model_name="animal",
            name="search_document",
            field=models.GeneratedField(
                db_persist=True,
                expression=animals.search.SearchDocument(),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
