import pytest

from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Species
from animals.tests.factories import BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def species_list():
    dogs = SpeciesFactory(name="Dog", slug="dogs")
    BreedFactory(species=dogs, name="Beagle", slug="beagle")
    BreedFactory(species=SpeciesFactory(name="Cat", slug="cats"), name="Siamese", slug="siamese")
    return list(Species.objects.with_breeds())


def test_forms_made_with_the_same_choices_share_their_fields_and_validation_leaves_them_unchanged(species_list):
    choices = FilterChoices(species_list)
    fields = dict(choices.fields)
    breed_choices = list(choices.fields["breed"].choices)
    bad = AnimalFilterForm({"price_min": "-1", "breed": "nope", "q": "x" * 200}, choices=choices)
    good = AnimalFilterForm({"price_min": "5", "breed": "beagle"}, choices=choices)
    assert bad.fields is good.fields is choices.fields
    assert set(bad.errors) == {"price_min", "breed", "q"}
    assert good.valid_data() == {"price_min": 5, "breed": "beagle"}
    assert not good.errors
    assert choices.fields == fields
    assert list(choices.fields["breed"].choices) == breed_choices


def test_a_species_page_offers_only_its_breeds_and_no_species_choice(species_list):
    dogs = next(s for s in species_list if s.slug == "dogs")
    choices = FilterChoices(species_list, dogs)
    assert "species" not in choices.fields
    assert list(choices.fields["breed"].choices) == [("", "Any breed"), ("Dog", [("beagle", "Beagle")])]
    assert not AnimalFilterForm({"breed": "siamese"}, choices=choices).is_valid()
    # The search still matches every breed's name (the species filter narrows the results anyway).
    assert [b.name for b in choices.breeds] == ["Beagle", "Siamese"]


def test_the_cache_key_and_the_page_links_come_from_the_valid_values_only(species_list):
    from django.http import QueryDict

    choices = FilterChoices(species_list)
    plain = AnimalFilterForm(QueryDict("sex=male&sort=oldest"), choices=choices)
    junk = AnimalFilterForm(QueryDict("sort=oldest&utm_source=x&sex=male&page=3&price_min=abc"), choices=choices)
    assert plain.cache_key() == junk.cache_key()
    assert plain.cache_key(with_sort=False) == AnimalFilterForm(QueryDict("sex=male"), choices=choices).cache_key()
    assert junk.query_string() == "sex=male&sort=oldest"
    assert AnimalFilterForm(QueryDict("available=on&q=a b"), choices=choices).query_string() == "q=a+b&available=on"
    dogs = next(s for s in species_list if s.slug == "dogs")
    on_dogs_page = AnimalFilterForm(QueryDict("sex=male&sort=oldest"), choices=FilterChoices(species_list, dogs))
    assert on_dogs_page.cache_key() != plain.cache_key()
