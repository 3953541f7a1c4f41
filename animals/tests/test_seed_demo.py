import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count

from animals.management.commands import seed_demo
from animals.models import Animal, AnimalPhoto, Breed, Species
from animals.tests.factories import AnimalFactory, BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _shared_demo_pictures(settings, tmp_path_factory):
    """The demo drawings are the same in every test: they are drawn once for all these tests (drawing them all
    takes seconds), in a media folder of the test session."""
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "seed-demo-media"


def seed(*args):
    out = io.StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def demo(species_slug, breed_name):
    spec = next(spec for spec in seed_demo.SPECIES if spec.slug == species_slug)
    return spec, next(breed for breed in spec.breeds if breed.name == breed_name)


def test_seed_creates_species_animals_photos_and_users():
    output = seed("--animals", "40")
    assert Species.objects.count() == 7
    assert Breed.objects.count() >= 30
    assert Species.objects.exclude(care_guide="").count() == 7
    animals = Animal.objects.filter(is_demo=True)
    assert animals.count() == 40
    assert AnimalPhoto.objects.filter(is_main=True).count() == 40
    assert not AnimalPhoto.objects.filter(alt_text="").exists()
    assert animals.values("species").distinct().count() >= 4
    assert "40/40 animals" in output  # the progress bar
    User = get_user_model()
    staff = User.objects.get(email="staff@petshop.example")
    assert staff.is_staff and not staff.is_superuser
    assert staff.has_perm("animals.change_animal") and staff.has_perm("orders.change_order")
    assert staff.has_perm("notifications.view_notification")  # the outbox in the admin
    assert not staff.has_perm("accounts.change_user")
    assert User.objects.get(email="admin@petshop.example").is_superuser
    customer = User.objects.get(email="customer@petshop.example")
    assert not customer.is_staff
    assert customer.check_password("petshop-customer-demo")
    assert "staff@petshop.example / petshop-staff-demo" in output


def test_seed_varies_the_data():
    seed("--animals", "200")
    animals = Animal.objects.all()
    assert animals.filter(stock=0).exists()  # some sold
    assert animals.filter(is_published=False).exists()  # some hidden
    assert animals.filter(stock__gt=2, species__slug__in=["fish", "birds"]).exists()  # batches
    assert animals.values("sex").distinct().count() >= 2
    assert animals.values("species").distinct().count() == 7
    assert animals.values("price").distinct().count() > 40


def test_each_animal_has_a_colour_and_breed_of_its_species_table():
    seed("--animals", "150")
    for animal in Animal.objects.select_related("species", "breed"):
        spec, breed = demo(animal.species.slug, animal.breed.name)
        assert animal.colour in breed.colours


def test_prices_are_round_retail_prices_by_species_and_breed():
    seed("--animals", "300")
    animals = list(Animal.objects.select_related("species", "breed"))
    for animal in animals:
        spec, breed = demo(animal.species.slug, animal.breed.name)
        low, high = breed.prices
        if spec.slug == "fish":
            assert animal.price % 1 == Decimal("0.99"), animal.price  # 4.99
            assert low - 1 < animal.price < high
        else:
            assert animal.price % spec.price_step == 0, animal.price
            assert low <= animal.price <= high
        if spec.slug in ("dogs", "cats"):
            assert animal.price % 50 == 0
            assert Decimal("100") <= animal.price <= Decimal("3000")
    dogs = [animal.price for animal in animals if animal.species.slug == "dogs"]
    assert min(dogs) < 1000 < max(dogs)  # a few hundred to a few thousand
    # A French Bulldog costs more than a mixed-breed puppy.
    assert min(demo("dogs", "French Bulldog")[1].prices) > max(demo("dogs", "Mixed breed")[1].prices)


def test_fish_prices_end_in_99_and_others_in_whole_amounts():
    spec, breed = demo("fish", "Neon Tetra")
    assert spec.prices(breed) == [Decimal("1.99"), Decimal("2.99"), Decimal("3.99")]
    spec, breed = demo("dogs", "Beagle")
    assert spec.prices(breed)[:3] == [Decimal("700"), Decimal("750"), Decimal("800")]


def test_names_are_unique_within_a_species_also_after_a_top_up():
    dogs = SpeciesFactory(slug="dogs", name="Dog", plural="Dogs")
    AnimalFactory(name="Bella", breed=BreedFactory(species=dogs))  # a staff member's dog
    seed("--animals", "250")
    seed("--animals", "400")
    repeated = Animal.objects.values("species", "name").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(repeated) == []


def test_names_run_on_to_second_names_and_numbers_when_first_names_are_used_up():
    import random

    spec, breed = demo("dogs", "Beagle")
    names = seed_demo.Names({spec.slug: set(seed_demo.NAMES)})
    rng = random.Random(1)
    made = [names.individual(rng, spec) for _ in range(len(seed_demo.NAMES) * len(seed_demo.SECOND_NAMES) + 50)]
    assert len(set(made)) == len(made)
    assert not set(made) & set(seed_demo.NAMES)
    assert all(" " in name for name in made)


def test_batches_are_named_as_groups_and_individuals_are_not():
    seed("--animals", "300")
    fish_and_birds = 0
    for animal in Animal.objects.select_related("species", "breed"):
        spec, breed = demo(animal.species.slug, animal.breed.name)
        if animal.stock > 1:
            match = re.fullmatch(rf"{re.escape(breed.group)}, group of (\d+)( \({spec.place} \d+\))?", animal.name)
            assert match, animal.name
            assert int(match[1]) == animal.stock
            assert animal.description.startswith(f"{spec.group_note}: {animal.stock} ")
            fish_and_birds += spec.slug in ("fish", "birds")
        elif animal.stock == 1:
            assert "group of" not in animal.name
    assert fish_and_birds
    assert Animal.objects.filter(name__regex=r"^Neon tetras, group of \d+$").exists()


def test_group_names_stay_unique_with_the_place_number():
    spec, breed = demo("fish", "Neon Tetra")
    names = seed_demo.Names({spec.slug: set()})
    assert [names.group(spec, breed, 10) for _ in range(3)] == [
        "Neon tetras, group of 10",
        "Neon tetras, group of 10 (tank 2)",
        "Neon tetras, group of 10 (tank 3)",
    ]


def test_facts_fit_the_species():
    seed("--animals", "200")
    others = Animal.objects.filter(species__slug__in=["fish", "birds", "reptiles", "guinea-pigs"])
    assert others.exists()
    assert not others.filter(vaccinated=True).exists()
    assert not others.filter(neutered=True).exists()
    assert not others.filter(microchipped=True).exists()
    assert Animal.objects.filter(species__slug="dogs", vaccinated=True).exists()
    assert not Animal.objects.filter(stock__gt=1).exclude(sex=Animal.Sex.UNKNOWN).exists()  # a mixed group


def test_an_animals_photos_are_different_drawings_and_of_its_breed_and_colour():
    seed("--animals", "120")
    several = 0
    for animal in Animal.objects.prefetch_related("photos").select_related("species", "breed"):
        photos = list(animal.photos.all())
        files = [photo.display.name for photo in photos]
        assert len(set(files)) == len(files)  # each photo another pose
        several += len(photos) > 1
        for name in files:
            assert name.startswith(f"animals/demo/{animal.species.slug}-{animal.breed.slug}-")
            assert f"-{animal.colour.lower().replace(' ', '-')}-" in name
    assert several


def test_neighbouring_animals_of_the_same_breed_and_colour_have_different_main_photos():
    seed("--animals", "300")
    main = {}
    for photo in AnimalPhoto.objects.filter(is_main=True).select_related("animal").order_by("animal__pk"):
        main.setdefault((photo.animal.breed_id, photo.animal.colour), []).append(photo.display.name)
    repeated_kinds = [files for files in main.values() if len(files) > 1]
    assert repeated_kinds
    for files in repeated_kinds:
        assert all(a != b for a, b in zip(files, files[1:], strict=False))


def test_seed_is_idempotent_and_tops_up(settings):
    seed("--animals", "10")
    photos = AnimalPhoto.objects.count()
    pictures = sorted((settings.MEDIA_ROOT / "animals" / "demo").iterdir())
    output = seed("--animals", "10")
    assert "Created 0 animals" in output
    assert Animal.objects.count() == 10
    assert AnimalPhoto.objects.count() == photos
    assert sorted((settings.MEDIA_ROOT / "animals" / "demo").iterdir()) == pictures
    assert get_user_model().objects.count() == 3
    assert Breed.objects.count() == sum(len(spec.breeds) for spec in seed_demo.SPECIES)
    seed("--animals", "15")
    assert Animal.objects.count() == 15
    assert Species.objects.count() == 7


def test_reset_deletes_only_the_demo_animals():
    own = AnimalFactory(name="Staff's own")
    seed("--animals", "5")
    first = set(Animal.objects.filter(is_demo=True).values_list("pk", flat=True))
    seed("--animals", "5", "--reset")
    second = set(Animal.objects.filter(is_demo=True).values_list("pk", flat=True))
    assert len(second) == 5
    assert not first & second
    assert Animal.objects.filter(pk=own.pk).exists()


def test_negative_count_is_refused():
    with pytest.raises(CommandError):
        seed("--animals", "-1")


def test_seed_gives_the_planner_statistics_on_postgresql(require_postgres):
    from django.db import connection

    seed("--animals", "40")
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'animals_animal'")
        assert cursor.fetchone()[0] == 40


def test_species_get_their_facts_care_guides_per_life_stage_and_the_sex_rule():
    seed("--animals", "0")
    fish = Species.objects.get(slug="fish")
    assert "vaccinated" not in fish.facts and "neutered" not in fish.facts and "house_trained" not in fish.facts
    assert "coat_length" not in Species.objects.get(slug="birds").facts
    dogs = Species.objects.get(slug="dogs")
    assert "vaccinated" in dogs.facts and "good_with_children" in dogs.facts and dogs.sex_required
    assert "puppy" in dogs.care_guide_young and "puppy" not in dogs.care_guide
    assert not Species.objects.filter(care_guide_young="").exists()
    assert set(Species.objects.filter(sex_required=True).values_list("slug", flat=True)) == {
        "dogs",
        "cats",
        "rabbits",
        "guinea-pigs",
    }


def test_an_earlier_seed_gets_the_life_stage_guides_once_and_staff_text_stays():
    seed("--animals", "0")
    Species.objects.filter(slug="dogs").update(care_guide="Old puppy text.", care_guide_young="")
    Species.objects.filter(slug="cats").update(care_guide="Staff wrote this.")
    seed("--animals", "0")
    dogs, cats = Species.objects.get(slug="dogs"), Species.objects.get(slug="cats")
    assert dogs.care_guide_young and dogs.care_guide != "Old puppy text."
    assert cats.care_guide == "Staff wrote this."


def test_demo_facts_are_consistent_with_the_species_and_breed():
    seed("--animals", "300")
    animals = list(Animal.objects.select_related("species", "breed").prefetch_related("vaccinations"))
    for animal in animals:
        animal.full_clean(exclude=["slug"])  # breed of its species, a known sex for an individual mammal...
        size, coat, energy, _ = seed_demo.BREED_FACTS[animal.breed.name]
        assert animal.adult_size == (size if "adult_size" in animal.species.facts else "")
        assert animal.coat_length == (coat if "coat_length" in animal.species.facts else "")
        assert animal.energy_level == (energy if "energy_level" in animal.species.facts else "")
        for name in ["vaccinated", "neutered", "microchipped", "house_trained"]:
            if name not in animal.species.facts:
                assert getattr(animal, name) is False, (animal, name)
        assert bool(animal.vaccinations.all()) == animal.vaccinated
        assert all(shot.given_on <= date.today() for shot in animal.vaccinations.all())
        if animal.microchip_number:
            assert animal.microchipped and animal.species.slug in {"dogs", "cats"}
    assert any(animal.good_with_children == Animal.Answer.YES for animal in animals)
    chipped = [animal for animal in animals if animal.microchipped]
    assert chipped and all(animal.microchip_number for animal in chipped)
    mammals = [a for a in animals if a.species.sex_required and a.stock == 1]
    assert mammals and all(a.sex != Animal.Sex.UNKNOWN for a in mammals)
