"""The catalogue search (animals/search.py) through the list page: species words as data, full-text and
trigram matching on PostgreSQL, relevance order, other filters, and the suggestions of an empty result."""

from datetime import date, timedelta

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from animals import search
from animals.models import Animal, Species
from animals.tests.factories import AnimalFactory, BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db

LIST = reverse("animals:list")
TODAY = date.today()


def names(response):
    return sorted(animal.name for animal in response.context["page_obj"])


def ordered_names(response):
    return [animal.name for animal in response.context["page_obj"]]


def found(client, **params):
    return names(client.get(LIST, params))


def born(days_ago):
    return TODAY - timedelta(days=days_ago)


@pytest.fixture
def shop():
    """Dogs, cats, rabbits and guinea pigs with their search words (as the data migration and seed_demo set
    them), a few breeds, and animals young and grown."""
    dogs = SpeciesFactory(
        name="Dog", slug="dogs", plural="Dogs", search_terms="doggy, hound", young_word="puppy",
        young_word_plural="puppies",
    )  # fmt: skip
    cats = SpeciesFactory(
        name="Cat", slug="cats", plural="Cats", search_terms="kitty", young_word="kitten", young_word_plural="kittens"
    )
    rabbits = SpeciesFactory(
        name="Rabbit", slug="rabbits", plural="Rabbits", search_terms="bunny, bunnies", young_word="kit",
        young_word_plural="kits",
    )  # fmt: skip
    guinea_pigs = SpeciesFactory(
        name="Guinea pig", slug="guinea-pigs", plural="Guinea pigs", search_terms="cavy, cavies", young_word="pup",
        young_word_plural="pups",
    )  # fmt: skip
    labrador = BreedFactory(species=dogs, name="Labrador Retriever", slug="labrador-retriever")
    beagle = BreedFactory(species=dogs, name="Beagle", slug="beagle")
    persian = BreedFactory(species=cats, name="Persian", slug="persian")
    lop = BreedFactory(species=rabbits, name="Holland Lop", slug="holland-lop")
    teddy = BreedFactory(species=guinea_pigs, name="Teddy", slug="teddy")
    AnimalFactory(name="Bella", breed=labrador, date_of_birth=born(90), colour="Golden", sex=Animal.Sex.FEMALE)
    AnimalFactory(name="Max", breed=labrador, date_of_birth=born(900), colour="Black", sex=Animal.Sex.MALE)
    AnimalFactory(name="Daisy", breed=beagle, date_of_birth=born(200), sex=Animal.Sex.MALE)
    AnimalFactory(name="Misty", breed=persian, date_of_birth=born(60), colour="White")
    AnimalFactory(name="Tom", breed=persian, date_of_birth=born(800), colour="Grey")
    AnimalFactory(name="Clover", breed=lop, date_of_birth=born(1000))
    AnimalFactory(name="Fudge", breed=teddy, date_of_birth=born(400))
    return {"dogs": dogs, "cats": cats, "rabbits": rabbits, "guinea_pigs": guinea_pigs}


# The words people use (species' data), on every database.


@pytest.mark.parametrize("word", ["puppy", "Puppies", "puppy dog", "PUPPIES!"])
def test_puppy_is_a_dog_under_12_months(client, shop, word):
    assert found(client, q=word) == ["Bella", "Daisy"]  # not Max (2 years), nor the kitten


@pytest.mark.parametrize("word", ["kitten", "kittens", "kitens"])
def test_kitten_is_a_cat_under_12_months(client, shop, word):
    assert found(client, q=word) == ["Misty"]


@pytest.mark.parametrize(("word", "expected"), [("bunny", ["Clover"]), ("bunnies", ["Clover"]), ("cavy", ["Fudge"])])
def test_a_synonym_finds_the_species_at_any_age(client, shop, word, expected):
    assert found(client, q=word) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("dog", ["Bella", "Daisy", "Max"]),
        ("dogs", ["Bella", "Daisy", "Max"]),
        ("cats", ["Misty", "Tom"]),
        ("guinea pigs", ["Fudge"]),
        ("guinea pig", ["Fudge"]),
    ],
)
def test_species_singular_and_plural(client, shop, word, expected):
    assert found(client, q=word) == expected


def test_the_young_animal_s_age_limit_is_12_months_to_the_day():
    assert search.young_cutoff(date(2026, 12, 3)) == date(2025, 12, 3)
    assert search.young_cutoff(date(2028, 2, 29)) == date(2027, 2, 28)
    assert search.young_cutoff(date(2026, 1, 15)) == date(2025, 1, 15)


def test_the_words_are_data_staff_edit(client, shop):
    Species.objects.filter(pk=shop["dogs"].pk).update(young_word="pupper", search_terms="woofer")
    assert found(client, q="pupper") == ["Bella", "Daisy"]
    assert found(client, q="woofer") == ["Bella", "Daisy", "Max"]


def test_breed_and_species_words_together_and_other_filters(client, shop):
    assert found(client, q="labrador puppy") == ["Bella"]
    assert found(client, q="puppy", sex="male") == ["Daisy"]
    assert found(client, q="dogs", breed="beagle") == ["Daisy"]


def test_name_and_colour(client, shop):
    assert found(client, q="misty") == ["Misty"]
    assert found(client, q="golden") == ["Bella"]
    assert found(client, q="black labrador") == ["Max"]


def test_a_breed_name_in_part_or_misspelt(client, shop):
    assert found(client, q="labra") == ["Bella", "Max"]
    assert found(client, q="labradr") == ["Bella", "Max"]
    assert found(client, q="labradors") == ["Bella", "Max"]
    assert found(client, q="beagel") == ["Daisy"]


def test_a_search_page_makes_at_most_three_queries(client, shop, django_assert_max_num_queries):
    client.get(LIST)  # the species and breeds are kept from now on
    with django_assert_max_num_queries(3):  # the count, the page (the species words need none)
        response = client.get(LIST, {"q": "labradr puppy", "sort": "price_asc"})
    assert names(response) == ["Bella"]


def test_the_sort_select_says_best_match_with_a_search(client, shop):
    assert '<option value="relevance" selected>Best match</option>' in client.get(LIST, {"q": "dog"}).text
    assert '<option value="relevance" selected>' not in client.get(LIST).text


# PostgreSQL: full-text search, trigram similarity and relevance.


def test_full_text_search_matches_word_forms(client, shop, require_postgres):
    AnimalFactory(name="Pepper", description="Raised with a family and two children.")
    # "families" is neither contained in the text nor a close spelling: only the English stems match.
    assert found(client, q="families") == ["Pepper"]
    assert found(client, q="child") == ["Pepper"]


def test_full_text_search_uses_its_index(shop, require_postgres):
    animals = Animal.objects.filter(search_document=SearchQuery("family", config=search.FULL_TEXT_CONFIG))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: make the planner show what it can use
    assert "animal_search_document_idx" in animals.explain()


def test_the_stored_document_follows_the_animal(shop, require_postgres):
    animal = AnimalFactory(name="Pepper", colour="Tabby", description="Raised with a family.")
    animal.refresh_from_db()
    assert "'pepper':1A" in animal.search_document and "'tabbi':2B" in animal.search_document
    Animal.objects.filter(pk=animal.pk).update(description="Calm and quiet.")
    assert Animal.objects.filter(pk=animal.pk, search_document=SearchQuery("quiet", config="english")).exists()


def test_a_typo_in_a_name_or_description_by_trigram_similarity(client, shop, require_postgres):
    AnimalFactory(name="Maximilian", description="Very playful with other dogs.")
    assert found(client, q="maximillian") == ["Maximilian"]
    assert found(client, q="playfull") == ["Maximilian"]
    assert found(client, q="maxi") == ["Max", "Maximilian"]  # a part of a word


def test_labradr_finds_labradors_described_as_such_without_a_breed(client, shop, require_postgres):
    AnimalFactory(name="Sunny", breed=None, species=shop["dogs"], description="A Labrador cross.")
    assert found(client, q="labradr") == ["Bella", "Max", "Sunny"]


def test_only_a_word_that_is_no_breed_s_is_searched_by_trigram_similarity(shop, require_postgres):
    """The trigram search reads every animal's whole text: a breed's word, or a close spelling of one, does
    without it (the misspelt breed is searched by its right spelling instead)."""
    vocabulary = search.Vocabulary(Species.objects.with_breeds())

    def sql(text):
        animals = search.matching(Animal.objects.all(), text=text, vocabulary=vocabulary, today=TODAY)
        return str(animals.order_by("-search_rank").query).lower()

    assert "word_similarity" not in sql("labrador") and "%>" not in sql("labrador")
    assert "word_similarity" not in sql("labradr") and "labrador" in sql("labradr")
    assert "word_similarity" in sql("playfull") and "%>" in sql("playfull")


def test_results_with_a_search_are_ordered_by_relevance(client, shop, require_postgres):
    AnimalFactory(name="Biscuit", description="A quiet companion.")
    AnimalFactory(name="Rolo", description="Loves a biscuit after a walk.")  # newer, only in the description
    response = client.get(LIST, {"q": "biscuit"})
    assert ordered_names(response) == ["Biscuit", "Rolo"]
    assert ordered_names(client.get(LIST, {"q": "biscuit", "sort": "newest"})) == ["Rolo", "Biscuit"]
    # A breed named in the search ranks its animals above one whose description mentions it.
    AnimalFactory(name="Sunny", breed=None, species=shop["dogs"], description="Her mother was a labrador.")
    assert ordered_names(client.get(LIST, {"q": "labrador"}))[-1] == "Sunny"


# SQLite's simpler match (run here on PostgreSQL, where its lookups work the same).


def test_the_simple_match_of_sqlite(shop):
    vocabulary = search.Vocabulary(Species.objects.with_breeds())
    animals = Animal.objects.all()
    simple = search._simple_matching(animals, ["golden"], {"golden": []})
    assert sorted(simple.values_list("name", flat=True)) == ["Bella"]
    words = ["labradr", "bella"]
    simple = search._simple_matching(animals, words, {word: vocabulary.breed_ids(word) for word in words})
    assert list(simple.values_list("name", flat=True)) == ["Bella"]
    ranked = search._simple_matching(animals, ["labrador"], {"labrador": vocabulary.breed_ids("labrador")})
    assert set(ranked.order_by("-search_rank").values_list("name", flat=True)) == {"Bella", "Max"}


def test_the_words_of_a_search_are_parsed_without_a_query(shop, django_assert_num_queries):
    vocabulary = search.Vocabulary(Species.objects.with_breeds())
    with django_assert_num_queries(0):
        terms = vocabulary.parse("Black labrador puppies for sale")
    assert terms.species == {shop["dogs"].pk: True}
    assert terms.words == ["black", "labrador"]


# An empty result: what to try instead.


def test_an_empty_result_suggests_a_spelling_and_removing_each_filter(client, shop, django_assert_max_num_queries):
    client.get(LIST)  # the species and breeds are kept from now on
    with django_assert_max_num_queries(2):  # the count, the close spelling (no page to load)
        response = client.get(LIST, {"q": "labradr", "species": "cats", "sex": "female", "price_max": "100"})
    text = response.text
    assert "0 animals found." in text
    assert "Did you mean" in text and "<strong>labrador</strong>" in text
    assert 'href="/animals/?q=labrador&amp;species=cats&amp;sex=female&amp;price_max=100"' in text
    assert 'href="/animals/?species=cats&amp;sex=female&amp;price_max=100"' in text  # without the search
    assert 'href="/animals/?q=labradr&amp;sex=female&amp;price_max=100"' in text  # without the species
    assert "Remove “Species: Cat”" in text and "Remove “Sex: Female”" in text and "Remove “Max price: $100.00”" in text
    assert '<a class="btn btn-success" href="/animals/">Clear filters</a>' in text


def test_an_empty_result_on_a_species_page_offers_all_species(client, shop):
    text = client.get(reverse("animals:species", kwargs={"species_slug": "cats"}), {"q": "labrador"}).text
    assert "Remove “Species: Cat”" in text and 'href="/animals/?q=labrador"' in text


def test_a_close_name_is_suggested_by_trigram_similarity(client, shop, require_postgres):
    AnimalFactory(name="Pumpernickel", breed=None, species=shop["cats"])
    text = client.get(LIST, {"q": "pumpernikel", "species": "dogs"}).text
    assert "<strong>pumpernickel</strong>" in text


def test_no_spelling_is_suggested_for_known_words(client, shop):
    response = client.get(LIST, {"q": "kitten", "sex": "male"})
    assert "0 animals found." in response.text and "Did you mean" not in response.text
    assert "Remove “Search: kitten”" in response.text


def test_a_page_with_animals_asks_for_no_suggestions(client, shop):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "labrador"})
    assert response.context["suggestions"] is None
    assert not any("similarity" in query["sql"] for query in queries.captured_queries)
