from datetime import date, timedelta
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from animals.models import Animal, AnimalPhoto, Breed, Species


class SpeciesFactory(DjangoModelFactory):
    class Meta:
        model = Species
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Species {n}")
    slug = factory.Sequence(lambda n: f"species-{n}")
    plural = factory.LazyAttribute(lambda o: f"{o.name}s")
    care_guide = "Feed twice a day and give plenty of attention."


class BreedFactory(DjangoModelFactory):
    class Meta:
        model = Breed

    species = factory.SubFactory(SpeciesFactory)
    name = factory.Sequence(lambda n: f"Breed {n}")
    slug = factory.Sequence(lambda n: f"breed-{n}")


class AnimalFactory(DjangoModelFactory):
    class Meta:
        model = Animal

    name = factory.Sequence(lambda n: f"Pup {n}")
    slug = factory.Sequence(lambda n: f"pup-{n}")
    breed = factory.SubFactory(BreedFactory)
    species = factory.LazyAttribute(lambda o: o.breed.species if o.breed else SpeciesFactory())
    sex = Animal.Sex.FEMALE
    date_of_birth = factory.LazyFunction(lambda: date.today() - timedelta(days=100))
    colour = "Brown"
    description = "A friendly animal looking for a home."
    price = Decimal("350.00")
    stock = 1
    is_published = True


class AnimalPhotoFactory(DjangoModelFactory):
    class Meta:
        model = AnimalPhoto

    animal = factory.SubFactory(AnimalFactory)
    image = factory.django.ImageField(width=800, height=600, format="JPEG")
    thumbnail = factory.django.ImageField(width=400, height=300, format="JPEG")
    display = factory.django.ImageField(width=800, height=600, format="JPEG")
    alt_text = factory.LazyAttribute(lambda o: f"Photo of {o.animal.name}")
    is_main = True
