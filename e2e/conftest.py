"""Journeys through the whole shop in a real browser (the launch settings are in the root conftest.py)."""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import expect

# The fake Stripe server and its settings, for the Stripe journey (defined beside the payments tests).
from payments.tests.conftest import fake_stripe  # noqa: F401


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing after 10 s instead of 30 s when something is not there."""
    page.set_default_timeout(10_000)
    expect.set_options(timeout=10_000)
    return page


@pytest.fixture
def shop(db):
    """A small catalogue: three dogs, a litter of beagle puppies sold in batches and a cat."""
    from animals.models import Animal
    from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory

    dogs = SpeciesFactory(name="Dog", slug="dogs", plural="Dogs", display_order=1)
    cats = SpeciesFactory(name="Cat", slug="cats", plural="Cats", display_order=2)
    beagle = BreedFactory(species=dogs, name="Beagle", slug="beagle")
    labrador = BreedFactory(species=dogs, name="Labrador Retriever", slug="labrador-retriever")
    born = date.today() - timedelta(days=120)
    animals = {
        "bella": AnimalFactory(
            name="Bella", slug="bella", breed=beagle, sex=Animal.Sex.FEMALE, price=Decimal("450.00"), date_of_birth=born
        ),
        "daisy": AnimalFactory(
            name="Daisy", slug="daisy", breed=labrador, sex=Animal.Sex.FEMALE, price=Decimal("480.00")
        ),
        "max": AnimalFactory(name="Max", slug="max", breed=labrador, sex=Animal.Sex.MALE, price=Decimal("900.00")),
        "litter": AnimalFactory(
            name="Beagle litter",
            slug="beagle-litter",
            breed=beagle,
            sex=Animal.Sex.UNKNOWN,
            price=Decimal("300.00"),
            stock=5,
        ),
        "tom": AnimalFactory(name="Tom", slug="tom", breed=BreedFactory(species=cats, name="Siamese", slug="siamese")),
    }
    for animal in animals.values():
        AnimalPhotoFactory(animal=animal, alt_text=f"{animal.name}, a {animal.breed.name.lower()}, at the shop")
    return animals
