from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache

from animals.caching import catalogue_changed
from animals.tests.factories import AnimalFactory, BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    dogs = SpeciesFactory(name="Dog", slug="dogs", plural="Dogs")
    cats = SpeciesFactory(name="Cat", slug="cats", plural="Cats")
    beagle = BreedFactory(species=dogs, name="Beagle", slug="beagle")
    AnimalFactory(name="Rex", breed=beagle, price=Decimal("500.00"), sex="male")
    AnimalFactory(name="Tom", breed=BreedFactory(species=cats), price=Decimal("150.00"), sex="male")
    AnimalFactory(name="Gone", breed=beagle, price=Decimal("300.00"), stock=0)
    AnimalFactory(name="Hidden", breed=beagle, is_published=False)
    return dogs


def names(response):
    return [card["name"] for card in response.json()["results"]]


def test_the_list_filters_and_sorts_like_the_html_catalogue(api, catalogue):
    assert sorted(names(api.get("/animals"))) == ["Rex", "Tom"]  # sold animals left out, as on the web
    assert sorted(names(api.get("/animals", sold="true"))) == ["Gone", "Rex", "Tom"]
    assert names(api.get("/animals", species="dogs", sold="true", sort="price_asc")) == ["Gone", "Rex"]
    assert names(api.get("/animals", available="true", sort="price_desc")) == ["Rex", "Tom"]
    assert names(api.get("/animals", q="rex")) == ["Rex"]
    assert names(api.get("/animals", price_min="200", price_max="400", sold="true")) == ["Gone"]
    assert names(api.get("/animals", breed="beagle", sex="male")) == ["Rex"]


def test_a_card_s_facts_read_as_on_the_web_card(api, catalogue, client):
    """The same words as the HTML card: species, breed, sex (never "Unknown") and age."""
    AnimalFactory(name="Shoal", breed=None, species=catalogue, sex="unknown", stock=10)
    cards = {card["name"]: card["facts"] for card in api.get("/animals").json()["results"]}
    assert cards["Rex"].startswith("Dog · Beagle · Male · ") and "Unknown" not in cards["Shoal"]
    page = client.get("/animals/").text
    assert all(f">{facts}</p>" in page for facts in cards.values())


def test_an_unknown_species_is_a_422_not_an_empty_list(api, catalogue):
    refused = api.get("/animals", species="dragons")
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"


def test_pages_by_limit_and_offset_with_a_total_and_links(api, catalogue):
    first = api.get("/animals", limit=2, sold="true", sort="price_asc").json()
    assert first["count"] == 3 and [card["name"] for card in first["results"]] == ["Tom", "Gone"]
    assert first["previous"] is None and "offset=2" in first["next"]
    second = api.get("/animals", limit=2, offset=2, sold="true", sort="price_asc").json()
    assert [card["name"] for card in second["results"]] == ["Rex"] and second["next"] is None
    beyond = api.get("/animals", offset=50, sold="true").json()
    assert beyond["results"] == [] and beyond["count"] == 3


def test_24_cards_a_page_in_at_most_3_queries(api, catalogue, django_assert_max_num_queries):
    for index in range(30):
        AnimalFactory(name=f"Pup {index}", breed=catalogue.breeds.first())
    with django_assert_max_num_queries(3):
        page = api.get("/animals")
    assert len(page.json()["results"]) == 24 and page.json()["count"] == 32  # the sold one left out


def test_etag_and_if_none_match(api, catalogue):
    first = api.get("/animals")
    etag = first["ETag"]
    assert api.call("get", "/animals", headers={"If-None-Match": etag}).status_code == 304
    catalogue_changed()
    changed = api.call("get", "/animals", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_one_animal_and_a_hidden_one(api, catalogue):
    rex = api.get("/animals", q="rex").json()["results"][0]
    detail = api.get(f"/animals/{rex['id']}").json()
    assert detail["species"] == "Dog" and detail["breed"] == "Beagle" and detail["price"] == "500.00"
    hidden = api.get("/animals", q="hidden").json()["results"]
    assert hidden == []
    from animals.models import Animal

    assert api.get(f"/animals/{Animal.objects.get(name='Hidden').pk}").status_code == 404


def test_species_with_their_breeds(api, catalogue):
    species = {entry["slug"]: entry for entry in api.get("/species").json()}
    assert [breed["slug"] for breed in species["dogs"]["breeds"]] == ["beagle"]


def test_the_total_is_kept_with_the_html_lists_and_a_page_then_takes_one_query(
    api, client, catalogue, django_assert_num_queries
):
    client.get("/animals/?species=dogs&sold=on")  # the HTML list keeps the count of this selection
    api.get("/animals", species="dogs", sold="true")
    with django_assert_num_queries(1):
        page = api.get("/animals", species="dogs", sold="true", sort="price_desc")
    assert page.json()["count"] == 2 and [card["name"] for card in page.json()["results"]] == ["Rex", "Gone"]


def test_a_cold_count_comes_with_the_page_and_past_the_end_on_its_own(api, catalogue):
    beyond = api.get("/animals", sex="male", offset=10).json()  # nothing kept for this selection yet
    assert beyond["count"] == 2 and beyond["results"] == []
    first = api.get("/animals", available="true", limit=1).json()  # counted with its page, in one query
    assert first["count"] == 2 and len(first["results"]) == 1


def test_the_filters_are_the_html_filter_forms_fields():
    from animals.forms import FilterChoices
    from api.v1 import api as api_v1

    schema = api_v1.get_openapi_schema()
    parameters = {parameter["name"] for parameter in schema["paths"]["/api/v1/animals"]["get"]["parameters"]}
    assert set(FilterChoices([]).fields) <= parameters
    assert parameters - set(FilterChoices([]).fields) == {"limit", "offset"}


def test_a_list_answer_is_kept_like_the_pages_until_the_catalogue_changes(
    api, catalogue, settings, django_assert_num_queries
):
    settings.CATALOGUE_CACHE_SECONDS = 60
    assert names(api.get("/animals", species="dogs")) == ["Rex"]
    AnimalFactory(name="Fido", breed=catalogue.breeds.first())  # made behind the shop's back
    with django_assert_num_queries(0):
        assert names(api.get("/animals", species="dogs")) == ["Rex"]
    catalogue_changed()
    assert sorted(names(api.get("/animals", species="dogs"))) == ["Fido", "Rex"]


def test_with_the_cache_off_every_list_answer_is_read_anew(api, catalogue, settings):
    settings.CATALOGUE_CACHE_SECONDS = 0
    assert names(api.get("/animals", species="dogs")) == ["Rex"]
    AnimalFactory(name="Fido", breed=catalogue.breeds.first())
    assert sorted(names(api.get("/animals", species="dogs"))) == ["Fido", "Rex"]


def test_junk_parameters_neither_fill_the_cache_nor_reach_the_page_links(api, catalogue, settings):
    """A list answer is kept under its validated parameters, as the HTML pages are: junk finds the same entry."""
    settings.CATALOGUE_CACHE_SECONDS = 60

    def kept_answers():
        return sum(":answer:" in key for key in cache._cache)  # the test run's cache is local memory

    api.get("/animals", species="dogs", sold="true", limit=1)
    assert kept_answers() == 1
    for n in range(60):
        page = api.get("/animals", species="dogs", sold="true", limit=1, **{f"junk{n}": n, "utm_source": n})
        assert page.status_code == 200
    assert kept_answers() == 1
    links = page.json()
    assert parse_qs(urlsplit(links["next"]).query) == {
        "species": ["dogs"],
        "sold": ["true"],
        "offset": ["1"],
        "limit": ["1"],
    }
    assert api.get("/animals", species="dogs", sold="true", limit=1, offset=1).json()["previous"] == (
        "http://testserver/api/v1/animals?species=dogs&sold=true&offset=0&limit=1"
    )
