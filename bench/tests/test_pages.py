"""The pages the benchmark and load scripts ask for are ones the shop serves as meant (no ignored filter)."""

import pytest
from catalogue import pages
from load import filter_queries

from animals.tests.factories import AnimalFactory, SpeciesFactory


@pytest.mark.django_db
def test_the_benchmarked_filter_and_search_apply(client):
    SpeciesFactory(slug="dogs")
    urls = {"list": "/animals/", "species_slug": "dogs", "search": "Rex", "detail": "/"}
    for label, path in pages(urls):
        response = client.get(path)
        assert response.status_code == 200, label
        assert "This filter was ignored" not in response.text, label


@pytest.mark.django_db
def test_the_load_scripts_filters_apply(client):
    AnimalFactory(species=SpeciesFactory(slug="dogs"))
    for query in filter_queries(["dogs"]):
        assert "This filter was ignored" not in client.get(f"/animals/?{query}").text, query
