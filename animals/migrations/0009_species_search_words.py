"""The words customers search with, per species (animals/search.py): synonyms and the young animal's word, as
data staff edit. The demo species (seed_demo's slugs) get theirs; other species are left for staff."""

from django.db import migrations, models

# slug: (search_terms, young_word, young_word_plural); the same as seed_demo's SPECIES.
WORDS = {
    "dogs": ("doggy, doggie, doggies, hound, hounds, pooch", "puppy", "puppies"),
    "cats": ("kitty, kitties, moggy, feline, felines", "kitten", "kittens"),
    "rabbits": ("bunny, bunnies", "kit", "kits"),
    "guinea-pigs": ("cavy, cavies", "pup", "pups"),
    "birds": ("birdie, birdies", "chick", "chicks"),
    "fish": ("fishes", "fry", "fry"),
    "reptiles": ("lizard, lizards, snake, snakes, tortoise, tortoises", "hatchling", "hatchlings"),
}


def fill_words(apps, schema_editor):
    Species = apps.get_model("animals", "Species")
    for slug, (terms, young, young_plural) in WORDS.items():
        Species.objects.filter(slug=slug, search_terms="", young_word="").update(
            search_terms=terms, young_word=young, young_word_plural=young_plural
        )


class Migration(migrations.Migration):
    dependencies = [
        ("animals", "0008_animal_facts_species_care"),
    ]

    operations = [
        migrations.AddField(
            model_name="species",
            name="search_terms",
            field=models.CharField(
                blank=True,
                help_text="Other words customers use for this species, separated by commas (e.g. “bunny, bunnies”). "
                "The name and plural are always understood.",
                max_length=200,
            ),
        ),
        migrations.AddField(
            model_name="species",
            name="young_word",
            field=models.CharField(
                blank=True,
                help_text="What customers call one under 12 months old (e.g. “puppy”): searching it finds those.",
                max_length=40,
                verbose_name="word for a young one",
            ),
        ),
        migrations.AddField(
            model_name="species",
            name="young_word_plural",
            field=models.CharField(
                blank=True, help_text="e.g. “puppies”.", max_length=40, verbose_name="plural of the word for a young one"
            ),
        ),
        migrations.RunPython(fill_words, migrations.RunPython.noop),
    ]
