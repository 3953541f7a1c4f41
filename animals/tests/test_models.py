from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError

from animals.models import Animal, Species
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory


def born(days_ago):
    return Animal(date_of_birth=date.today() - timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("days", "expected"),
    [(10, "1 week"), (21, "3 weeks"), (95, "3 months"), (40, "1 month"), (400, "13 months"), (800, "2 years")],
)
def test_age_display(days, expected):
    assert born(days).age_display == expected


@pytest.mark.django_db
def test_status_is_derived_from_stock_and_unpaid_orders():
    available = AnimalFactory(stock=1)
    sold = AnimalFactory(stock=0)
    reserved = AnimalFactory(stock=0)
    OrderItemFactory(animal=reserved, order=OrderFactory(status=Order.Status.PENDING_PAYMENT))
    OrderItemFactory(animal=sold, order=OrderFactory(status=Order.Status.PAID))
    statuses = {a.pk: a.status for a in Animal.objects.with_reservation()}
    assert statuses == {
        available.pk: Animal.Status.AVAILABLE,
        sold.pk: Animal.Status.SOLD,
        reserved.pk: Animal.Status.RESERVED,
    }


@pytest.mark.django_db
def test_stock_cannot_go_below_zero_in_the_database():
    animal = AnimalFactory()
    with pytest.raises(IntegrityError):
        Animal.objects.filter(pk=animal.pk).update(stock=-1)


@pytest.mark.django_db
def test_price_cannot_be_negative_in_the_database():
    animal = AnimalFactory()
    with pytest.raises(IntegrityError):
        Animal.objects.filter(pk=animal.pk).update(price=-1)


@pytest.mark.django_db
def test_with_main_thumbnail_gives_the_main_photo_thumbnail():
    animal = AnimalFactory()
    AnimalPhotoFactory(animal=animal, is_main=False, position=0, alt_text="side")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=5, alt_text="main one")
    row = Animal.objects.with_main_thumbnail().get()
    assert row.main_alt_text == "main one"
    assert row.main_thumbnail_url == main.thumbnail.url


@pytest.mark.django_db
def test_search_with_breed_ids_matches_like_the_join():
    lab = BreedFactory(name="Labrador")
    AnimalFactory(name="Bella", breed=lab)
    AnimalFactory(name="Other", description="Quiet")
    AnimalFactory(name="Labrina")
    joined = sorted(a.name for a in Animal.objects.search("labr"))
    assert joined == ["Bella", "Labrina"]
    assert sorted(a.name for a in Animal.objects.search("labr", breed_ids=[lab.pk])) == joined
    assert [a.name for a in Animal.objects.search("labr", breed_ids=[])] == ["Labrina"]


@pytest.mark.django_db
def test_search_text_follows_edits_and_matches_wildcards_literally():
    rex = AnimalFactory(name="Rex", description="Calm")
    AnimalFactory(name="Other", description="Calm 100 percent")
    rex.description = "Loves the water, 100% calm_ish"
    rex.save()
    assert [a.name for a in Animal.objects.search("WATER")] == ["Rex"]
    assert [a.name for a in Animal.objects.search("100%")] == ["Rex"]
    assert [a.name for a in Animal.objects.search("calm_")] == ["Rex"]
    # The name and the description are two texts: a search does not match across the two.
    assert list(Animal.objects.search("rex loves")) == []
    Animal.objects.filter(pk=rex.pk).update(name="Max")
    assert [a.name for a in Animal.objects.search("max")] == ["Max"]
    assert list(Animal.objects.search("rex")) == []


@pytest.mark.django_db
def test_species_with_breeds_gives_each_its_breeds_by_name(django_assert_num_queries):
    dog, cat = SpeciesFactory(name="Dog", display_order=1), SpeciesFactory(name="Cat", display_order=2)
    SpeciesFactory(name="Fish", display_order=0)
    BreedFactory(species=dog, name="Pug")
    BreedFactory(species=dog, name="Beagle")
    BreedFactory(species=cat, name="Siamese")
    with django_assert_num_queries(2):  # the species, then all their breeds
        species_list = list(Species.objects.with_breeds())
    assert [s.name for s in species_list] == ["Fish", "Dog", "Cat"]
    assert [[b.name for b in s.breed_list] for s in species_list] == [[], ["Beagle", "Pug"], ["Siamese"]]
    assert species_list[1].breed_list[0].species_id == dog.pk


@pytest.mark.django_db
def test_species_available_count_counts_published_animals_in_stock():
    dog, cat = SpeciesFactory(slug="dogs"), SpeciesFactory(slug="cats")
    AnimalFactory.create_batch(2, species=dog, breed=None)
    AnimalFactory(species=dog, breed=None, stock=0)
    AnimalFactory(species=dog, breed=None, is_published=False)
    counts = {s.slug: s.available_count for s in Species.objects.with_available_count()}
    assert counts == {"dogs": 2, "cats": 0} | {s: 0 for s in counts if s not in ("dogs", "cats")}
    assert cat.slug in counts


@pytest.mark.django_db
def test_search_uses_the_trigram_index_on_postgresql(require_postgres):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'animals_animal'")
        names = {row[0] for row in cursor.fetchall()}
        assert "animal_search_trgm_idx" in names
        assert not {"animal_name_trgm_idx", "animal_description_trgm_idx"} & names
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = Animal.objects.search("beagle", breed_ids=[]).values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "animal_search_trgm_idx" in plan


@pytest.mark.django_db
def test_a_species_by_price_and_the_cards_photos_read_their_indexes_on_postgresql(require_postgres):
    """Cats are the dear ones: walking the price index of every species would pass all the dogs first."""
    from django.db import connection

    dog, cat = SpeciesFactory(slug="dogs"), SpeciesFactory(slug="cats")
    Animal.objects.bulk_create(
        AnimalFactory.build(species=dog, breed=None, price=Decimal(n % 500 + 1)) for n in range(3000)
    )
    Animal.objects.bulk_create(
        AnimalFactory.build(species=cat, breed=None, price=Decimal(1000 + n)) for n in range(1000)
    )
    page = Animal.objects.published().filter(species_id=cat.pk).order_by("price", "pk")[:24]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE animals_animal")
        cursor.execute("ANALYZE animals_animalphoto")
        sql, params = page.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "animal_species_price_idx" in plan, plan
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of photos: a sequential scan would do
        sql, params = page.with_main_thumbnail().values("main_thumbnail").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "photo_animal_order_idx" in plan, plan


@pytest.mark.django_db
def test_with_gallery_gives_the_photos_main_first_and_leaves_out_photos_without_a_display_size():
    animal = AnimalFactory()
    second = AnimalPhotoFactory(animal=animal, is_main=False, position=2, alt_text="Second")
    AnimalPhotoFactory(animal=animal, is_main=False, position=1, alt_text="Not resized yet", display="")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=3, alt_text="Main")
    AnimalPhotoFactory(is_main=True)  # another animal's
    assert Animal.objects.with_gallery().get(pk=animal.pk).gallery == [main, second]
    assert Animal.objects.with_gallery().get(pk=AnimalFactory().pk).gallery == []
