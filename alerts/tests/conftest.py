from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from alerts.models import Alert
from animals.models import Animal
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory


@pytest.fixture
def rabbits(db):
    return SpeciesFactory(name="Rabbit", slug="rabbits", plural="Rabbits", display_order=3)


@pytest.fixture
def dogs(db):
    return SpeciesFactory(name="Dog", slug="dogs", plural="Dogs", display_order=1)


@pytest.fixture
def new_rabbit(rabbits):
    """A female rabbit staff have not published yet (with a photo), made by calling it."""

    def make(name="Clover", sex=Animal.Sex.FEMALE, **kwargs):
        breed = BreedFactory(species=rabbits, name=f"Lop {name}", slug=f"lop-{name.lower()}")
        animal = AnimalFactory(
            name=name,
            slug=name.lower(),
            species=rabbits,
            breed=breed,
            sex=sex,
            price=Decimal("1450.00"),
            date_of_birth=date.today() - timedelta(days=90),
            is_published=False,
            **kwargs,
        )
        AnimalPhotoFactory(animal=animal, alt_text=f"{name} in the hay")
        return animal

    return make


@pytest.fixture
def confirmed_alert(rabbits):
    def make(email="watcher@example.com", query="species=rabbits&sex=female"):
        return Alert.objects.create(
            email=email, query=query, description="Rabbit · Female", confirmed_at=timezone.now()
        )

    return make
