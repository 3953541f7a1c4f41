"""The search reads one stored, upper-cased column (`search_text`) instead of upper-casing name and description.

On PostgreSQL one trigram index of `search_text` replaces the two of 0004 (of `UPPER(name)` and
`UPPER(description)`), which the search no longer uses. SQLite gets the column and no index, as in 0004.
"""

import django.db.models.functions.text
from django.db import migrations, models

OLD_INDEXES = {
    "animal_name_trgm_idx": "(UPPER(name::text))",
    "animal_description_trgm_idx": "(UPPER(description::text))",
}


def swap_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS animal_search_trgm_idx ON animals_animal USING gin (search_text gin_trgm_ops)"
    )
    for name in OLD_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in OLD_INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON animals_animal USING gin ({expression} gin_trgm_ops)")
    schema_editor.execute("DROP INDEX IF EXISTS animal_search_trgm_idx")


class Migration(migrations.Migration):
    dependencies = [
        ("animals", "0005_catalogue_order_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="animal",
            name="search_text",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.db.models.functions.text.Upper(
                    django.db.models.functions.text.Concat(
                        "name", models.Value("\n"), "description", output_field=models.TextField()
                    )
                ),
                output_field=models.TextField(),
            ),
        ),
        migrations.RunPython(swap_indexes, restore_indexes, elidable=False),
    ]
