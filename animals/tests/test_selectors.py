import pytest
from django.core.cache import cache
from django.http import Http404
from django.urls import reverse

from animals import selectors
from animals.caching import catalogue_changed
from animals.forms import AnimalFilterForm
from animals.models import Animal
from animals.tests.factories import AnimalFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


def filters(query="", species_slug=None):
    from django.http import QueryDict

    return AnimalFilterForm(QueryDict(query), choices=selectors.filter_choices(species_slug=species_slug))


def test_animal_list_gives_the_page_and_keeps_the_count(django_assert_num_queries):
    AnimalFactory.create_batch(30, sex=Animal.Sex.MALE)
    AnimalFactory(sex=Animal.Sex.FEMALE)
    males = filters("sex=male")
    with django_assert_num_queries(2):  # the count, then the page
        page = selectors.animal_list(filters=males, page="2")
    assert (page.number, len(page.object_list), page.paginator.count) == (2, 6, 30)
    with django_assert_num_queries(1):  # the count is kept under the selection, whatever the sort
        page = selectors.animal_list(filters=filters("sex=male&sort=price_asc"), page="1")
    assert isinstance(page.object_list, list) and len(page.object_list) == 24
    AnimalFactory(sex=Animal.Sex.MALE)
    catalogue_changed()
    assert selectors.animal_list(filters=males, page="1").paginator.count == 31


@pytest.mark.parametrize(("page", "number"), [("abc", 1), (None, 1), ("0", 2), ("-3", 2), ("99", 2), ("2", 2)])
def test_the_page_number_is_the_one_get_page_gives(page, number):
    AnimalFactory.create_batch(25)
    assert selectors.animal_list_page_number(filters=filters(), page=page) == number
    assert selectors.animal_list(filters=filters(), page=page).number == number


def test_a_species_page_lists_only_its_species_and_an_unknown_one_is_a_404():
    dogs = SpeciesFactory(slug="dogs")
    rex = AnimalFactory(species=dogs, breed=None)
    AnimalFactory()
    assert [a.pk for a in selectors.animal_list(filters=filters(species_slug="dogs"), page=1)] == [rex.pk]
    with pytest.raises(Http404):
        selectors.filter_choices(species_slug="unicorns")


def test_a_species_newer_than_the_kept_list_has_its_page():
    selectors.species_list()  # kept from now on
    newts = SpeciesFactory(slug="newts")
    newt = AnimalFactory(species=newts, breed=None)
    assert [a.pk for a in selectors.animal_list(filters=filters(species_slug="newts"), page=1)] == [newt.pk]


def test_animal_detail_is_the_published_animal_of_its_species_or_a_404():
    rex = AnimalFactory()
    assert selectors.animal_detail(species_slug=rex.species.slug, animal_slug=rex.slug) == rex
    hidden = AnimalFactory(is_published=False)
    for species_slug, animal_slug in [(hidden.species.slug, hidden.slug), (SpeciesFactory().slug, rex.slug)]:
        with pytest.raises(Http404):
            selectors.animal_detail(species_slug=species_slug, animal_slug=animal_slug)


def test_other_animals_are_the_newest_available_of_the_species_without_the_animal_itself():
    dogs = SpeciesFactory()
    older = AnimalFactory.create_batch(5, species=dogs, breed=None)
    AnimalFactory(species=dogs, breed=None, stock=0)
    AnimalFactory()  # another species
    rex = older[2]
    assert selectors.other_animals(animal=rex) == [older[4], older[3], older[1], older[0]]


def test_junk_parameters_make_no_more_page_cache_entries_than_one_request(client, settings):
    """The page cache is keyed on the validated filters: junk in the URL cannot fill the cache."""
    settings.CATALOGUE_CACHE_SECONDS = 60
    AnimalFactory.create_batch(3)
    url = reverse("animals:list")
    client.get(url, {"sex": "male"})
    entries = len(cache._cache)  # the test run's cache is local memory
    for n in range(1000):
        response = client.get(url, {"sex": "male", f"junk{n}": n, "utm_source": n, "page": f"x{n}"})
        assert response.status_code == 200
    assert len(cache._cache) == entries
    text = client.get(url, {"sex": "male", "junk": "<b>"}).text
    assert "junk" not in text


def test_a_page_with_an_invalid_filter_value_is_never_cached(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 60
    url = reverse("animals:list")
    client.get(url)
    entries = len(cache._cache)
    for n in range(50):
        assert f'value="{n}x"' in client.get(url, {"price_min": f"{n}x"}).text  # shown back to its visitor
    assert len(cache._cache) == entries


def test_the_card_sql_finds_the_outer_animal_under_djangos_table_name():
    """The card's raw SQL names the outer animal "animals_animal": Django must still call the base table so."""
    from animals.selectors import card_animals

    animals = Animal.objects.published().filter(species__slug="dogs", breed__name="Beagle").order_by("price")
    sql = str(animals.select_related("species", "breed").query)
    assert ' FROM "animals_animal" INNER JOIN ' in sql
    assert '"animals_animal"."id"' in sql
    dogs = SpeciesFactory(slug="dogs")
    rex = AnimalFactory(species=dogs, breed__species=dogs, breed__name="Beagle", stock=0)
    from animals.tests.factories import AnimalPhotoFactory
    from orders.tests.factories import OrderFactory, OrderItemFactory

    photo = AnimalPhotoFactory(animal=rex, is_main=True, alt_text="Rex")
    OrderItemFactory(animal=rex, order=OrderFactory())
    [card] = card_animals(animals)
    assert (card.main_thumbnail, card.main_alt_text, card.is_reserved) == (photo.thumbnail.name, "Rex", True)
