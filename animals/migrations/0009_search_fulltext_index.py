"""A GIN index of the animals' full-text search vector (name, colour, description), on PostgreSQL only.

The expression is animals.search.SEARCH_VECTOR, written out here as it is today (a migration must not change
with the code); test_search checks that the search's query uses this index. SQLite (`make run`) has no
full-text search: there the migration does nothing, and the search matches contained words.
"""

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import migrations

INDEX_NAME = "animal_search_vector_idx"


def search_index():
    vector = (
        SearchVector("name", weight="A", config="english")
        + SearchVector("colour", weight="B", config="english")
        + SearchVector("description", weight="C", config="english")
    )
    return GinIndex(vector, name=INDEX_NAME)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.add_index(apps.get_model("animals", "Animal"), search_index())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX_NAME}")


class Migration(migrations.Migration):
    dependencies = [
        ("animals", "0008_species_search_words"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
