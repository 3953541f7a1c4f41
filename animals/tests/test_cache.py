import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from animals.caching import CATALOGUE_DATA_SECONDS, CSRF_TOKEN_PLACEHOLDER, catalogue_changed, catalogue_version
from animals.models import Animal
from animals.tests.factories import AnimalFactory, BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_on(settings):
    settings.CATALOGUE_CACHE_SECONDS = 60


@pytest.fixture
def admin_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser(email="boss@example.com", password="x"))
    return client


def test_anonymous_catalogue_pages_are_served_from_the_cache(client, cache_on, django_assert_num_queries):
    animal = AnimalFactory()
    urls = [reverse("animals:home"), reverse("animals:list"), animal.species.get_absolute_url()]
    urls.append(animal.get_absolute_url())
    for url in urls:
        client.get(url)
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200


def test_cache_off_means_fresh_pages(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    animal = AnimalFactory(name="Rex")
    client.get(reverse("animals:list"))
    Animal.objects.filter(pk=animal.pk).update(name="Renamed")
    assert "Renamed" in client.get(reverse("animals:list")).text


def test_a_staff_change_shows_at_once_on_cached_pages(admin_client, cache_on, django_capture_on_commit_callbacks):
    visitor = Client()
    animal = AnimalFactory(name="Rex", is_published=True)
    assert "Rex" in visitor.get(reverse("animals:list")).text
    assert visitor.get(animal.get_absolute_url()).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(
            reverse("admin:animals_animal_changelist"), {"action": "unpublish", "_selected_action": [animal.pk]}
        )
    assert "Rex" not in visitor.get(reverse("animals:list")).text
    assert visitor.get(animal.get_absolute_url()).status_code == 404


def test_the_add_to_cart_form_gets_each_visitors_own_csrf_token(cache_on):
    animal = AnimalFactory()
    tokens = []
    for _ in range(2):
        visitor = Client(enforce_csrf_checks=True)
        text = visitor.get(animal.get_absolute_url()).text
        token = text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        tokens.append((token, visitor.cookies["csrftoken"].value))
    assert tokens[0][0] != tokens[1][0]
    assert tokens[0][1] != tokens[1][1]


def test_a_cached_page_carries_a_token_that_works_for_its_visitor(cache_on):
    """The cached page holds a placeholder for the CSRF token: each visitor's answer carries their own, which
    their cookie accepts, and the placeholder itself never reaches anyone."""
    animal = AnimalFactory()
    Client().get(animal.get_absolute_url())  # cached by a first visitor
    visitor = Client(enforce_csrf_checks=True)
    text = visitor.get(animal.get_absolute_url()).text
    assert CSRF_TOKEN_PLACEHOLDER not in text
    token = text.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = visitor.post(reverse("cart:add"), {"animal_id": animal.pk, "quantity": 1, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert 'data-cart-count aria-label="1 item in cart">1<' in visitor.get(reverse("animals:list")).text


def test_a_visitor_with_a_session_gets_their_own_page_not_the_shared_one(cache_on, django_assert_num_queries):
    animal = AnimalFactory(name="Pip")
    newcomer = Client()
    newcomer.get(animal.get_absolute_url())
    with django_assert_num_queries(0):
        assert "In your cart" not in newcomer.get(animal.get_absolute_url()).text
    customer = Client()
    customer.post(reverse("cart:add"), {"animal_id": animal.pk, "quantity": 1})
    text = customer.get(animal.get_absolute_url()).text
    assert "In your cart" in text and ">1</span></a>" in text
    assert "In your cart" not in newcomer.get(animal.get_absolute_url()).text


def test_species_and_breeds_are_kept_apart_from_the_page_cache(client, settings, django_assert_num_queries):
    """With the page cache off, the filter's species and breeds still come from the cache (one query less)."""
    settings.CATALOGUE_CACHE_SECONDS = 0
    AnimalFactory(name="Rex")
    assert client.get(reverse("animals:list")).status_code == 200
    with django_assert_num_queries(1):  # just the page of cards
        assert "Rex" in client.get(reverse("animals:list")).text


def test_a_new_species_or_breed_shows_after_catalogue_changed(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    AnimalFactory()
    client.get(reverse("animals:list"))
    client.get(reverse("animals:home"))
    species = SpeciesFactory(name="Axolotl", plural="Axolotls")
    BreedFactory(species=species, name="Leucistic")
    assert "Leucistic" not in client.get(reverse("animals:list")).text  # still the kept list
    catalogue_changed()
    list_text = client.get(reverse("animals:list")).text
    assert f'<option value="{species.slug}">Axolotl</option>' in list_text
    assert "Leucistic</option>" in list_text
    assert "Axolotls" in client.get(reverse("animals:home")).text
    assert client.get(species.get_absolute_url()).status_code == 200


def test_a_cleared_cache_starts_a_new_version_so_kept_species_are_built_again(client, settings):
    """The species are kept in each process under the version; a flushed or restarted Redis must not bring
    an old version back (it would serve species from before the flush)."""
    settings.CATALOGUE_CACHE_SECONDS = 0
    client.get(reverse("animals:list"))
    version = catalogue_version()
    BreedFactory(name="Leucistic")
    cache.clear()
    assert catalogue_version() != version
    assert "Leucistic</option>" in client.get(reverse("animals:list")).text


def test_animal_pages_of_a_species_or_breed_newer_than_the_kept_list_show(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    dogs = SpeciesFactory(name="Dog", slug="dogs")
    client.get(reverse("animals:list"))  # keeps the species list: dogs, no breeds
    rex = AnimalFactory(name="Rex", breed=BreedFactory(name="Leucistic", species=SpeciesFactory(name="Axolotl")))
    response = client.get(rex.get_absolute_url())  # a species not in the kept list
    assert response.status_code == 200
    assert "<td>Axolotl</td>" in response.text and "<td>Leucistic</td>" in response.text
    tom = AnimalFactory(name="Tom", breed=BreedFactory(name="Beagle", species=dogs))
    response = client.get(tom.get_absolute_url())  # a kept species, a breed not in the kept list
    assert response.status_code == 200
    assert "<td>Dog</td>" in response.text and "<td>Beagle</td>" in response.text


def test_kept_species_expire_without_catalogue_changed(client, settings, monkeypatch):
    """Another worker's change reaches this worker's local-memory cache once the short timeout has passed."""
    settings.CATALOGUE_CACHE_SECONDS = 0
    client.get(reverse("animals:list"))
    BreedFactory(name="Leucistic")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + CATALOGUE_DATA_SECONDS - 1)
    assert "Leucistic" not in client.get(reverse("animals:list")).text
    monkeypatch.setattr(time, "time", lambda: real_time() + CATALOGUE_DATA_SECONDS + 1)
    assert "Leucistic</option>" in client.get(reverse("animals:list")).text


def test_home_counts_follow_stock_changes(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    animal = AnimalFactory()
    assert "1 available" in client.get(reverse("animals:home")).text
    Animal.objects.filter(pk=animal.pk).update(stock=0)
    catalogue_changed()
    assert "1 available" not in client.get(reverse("animals:home")).text


def test_the_newest_animals_of_the_home_page_are_kept_until_the_catalogue_changes(
    client, settings, django_assert_num_queries
):
    settings.CATALOGUE_CACHE_SECONDS = 0
    AnimalFactory(name="Rex")
    assert "Rex" in client.get(reverse("animals:home")).text
    AnimalFactory(name="Fido")  # made behind the shop's back: no catalogue_changed()
    with django_assert_num_queries(0):  # the species counts and the newest animals are kept
        response = client.get(reverse("animals:home"))
    assert "Rex" in response.text and "Fido" not in response.text
    catalogue_changed()
    assert "Fido" in client.get(reverse("animals:home")).text


def test_the_other_animals_of_an_animal_page_are_kept_per_species(client, settings, django_assert_num_queries):
    settings.CATALOGUE_CACHE_SECONDS = 0
    dogs = SpeciesFactory(name="Dog", slug="dogs")
    rex, fido, bella = (AnimalFactory(name=name, species=dogs, breed=None) for name in ("Rex", "Fido", "Bella"))
    response = client.get(rex.get_absolute_url())
    assert "Fido" in response.text and "Bella" in response.text
    with django_assert_num_queries(2):  # the animal and its photos; the others of its species are kept
        response = client.get(fido.get_absolute_url())
    others = response.text.split("others-heading", 1)[-1]
    assert "Rex" in others and "Bella" in others and "Fido" not in others
    Animal.objects.filter(pk=bella.pk).update(stock=0)
    catalogue_changed()
    assert "Bella" not in client.get(fido.get_absolute_url()).text.split("others-heading", 1)[-1]


def test_list_counts_are_kept_per_selection_and_follow_catalogue_changed(client, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    AnimalFactory(sex=Animal.Sex.MALE)
    AnimalFactory.create_batch(2, sex=Animal.Sex.FEMALE)
    url = reverse("animals:list")
    assert "3 animals found." in client.get(url).text
    assert "1 animal found." in client.get(url, {"sex": "male", "sort": "price_asc"}).text
    assert "2 animals found." in client.get(url, {"sex": "female"}).text
    assert "1 animal found." in client.get(url, {"sex": "male", "sort": "oldest"}).text  # same selection
    AnimalFactory(sex=Animal.Sex.MALE)
    catalogue_changed()
    assert "2 animals found." in client.get(url, {"sex": "male"}).text
    assert "4 animals found." in client.get(url).text


def test_a_selection_count_still_gives_the_right_page(client, settings, django_assert_num_queries):
    settings.CATALOGUE_CACHE_SECONDS = 0
    AnimalFactory.create_batch(30)
    url = reverse("animals:list")
    client.get(url)
    for page, number, size in [("2", 2, 6), ("9", 2, 6), ("0", 2, 6), ("x", 1, 24)]:
        with django_assert_num_queries(1):
            response = client.get(url, {"page": page})
        assert (response.context["page_obj"].number, len(response.context["page_obj"])) == (number, size)
        assert "30 animals found, page" in response.text
