from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db.models.expressions import RawSQL
from django.templatetags.static import static

from animals.models import _FIRST_PHOTO_SQL, Animal, Species, gallery
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


def test_age_in_months_counts_whole_months():
    animal = Animal(date_of_birth=date(2024, 1, 31))
    assert animal.age_in_months(today=date(2024, 3, 30)) == 1
    assert animal.age_in_months(today=date(2024, 3, 31)) == 2


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
def test_cards_show_the_main_photo_else_the_first_else_no_photo():
    with_main = AnimalFactory(name="Main")
    AnimalPhotoFactory(animal=with_main, is_main=False, position=0, alt_text="side")
    main = AnimalPhotoFactory(animal=with_main, is_main=True, position=5, alt_text="main one")
    without_main = AnimalFactory(name="First")
    AnimalPhotoFactory(animal=without_main, is_main=False, position=3, alt_text="later")
    first = AnimalPhotoFactory(animal=without_main, is_main=False, position=1, alt_text="first")
    AnimalFactory(name="Bare")
    cards = {card.name: card for card in Animal.objects.cards()}
    assert (cards["Main"].image, cards["Main"].alt_text) == (main.thumbnail.url, "main one")
    assert (cards["First"].image, cards["First"].alt_text) == (first.thumbnail.url, "first")
    assert cards["Bare"].image == static("animals/no-photo.svg")
    assert cards["Bare"].alt_text == "No photo of Bare yet"


@pytest.mark.django_db
def test_cards_give_url_facts_price_and_status(django_assert_max_num_queries):
    dog = SpeciesFactory(name="Dog", slug="dogs")
    today = date(2026, 6, 15)
    rex = AnimalFactory(
        name="Rex", breed=BreedFactory(species=dog, name="Beagle"), sex=Animal.Sex.MALE, date_of_birth=date(2026, 3, 1)
    )
    mix = AnimalFactory(name="Mix", breed=None, species=dog, stock=0, date_of_birth=date(2020, 1, 1))
    held = AnimalFactory(name="Held", species=dog, breed=None, stock=0, sex=Animal.Sex.UNKNOWN)
    OrderItemFactory(animal=held, order=OrderFactory(status=Order.Status.PENDING_PAYMENT))
    species_list = Species.objects.with_breeds()
    with django_assert_max_num_queries(1):  # names from species_list: no join, no query for them
        cards = Animal.objects.order_by("pk").cards(today=today, species_list=species_list)
    cards = {card.name: card for card in cards}
    assert cards["Rex"].url == rex.get_absolute_url()
    assert cards["Mix"].url == mix.get_absolute_url()
    assert cards["Rex"].facts == "Dog · Beagle · Male · 3 months"
    assert cards["Mix"].facts == "Dog · Female · 6 years"
    assert cards["Rex"].price == rex.price
    assert [cards[name].status for name in ("Rex", "Mix", "Held")] == ["available", "sold", "reserved"]


@pytest.mark.django_db
def test_cards_load_the_species_names_when_not_given_or_when_the_given_list_is_stale(django_assert_num_queries):
    dog = SpeciesFactory(name="Dog", slug="dogs")
    AnimalFactory(name="Rex", breed=BreedFactory(species=dog, name="Beagle"))
    with django_assert_num_queries(2):  # the cards, then the species and breeds
        assert [card.facts.split(" · ")[:2] for card in Animal.objects.cards()] == [["Dog", "Beagle"]]
    stale = Species.objects.with_breeds()  # kept from before a new breed and species
    cat = SpeciesFactory(name="Cat", slug="cats")
    AnimalFactory(name="Tom", breed=BreedFactory(species=cat, name="Persian"))
    AnimalFactory(name="Max", breed=BreedFactory(species=dog, name="Pug"))
    with django_assert_num_queries(2):
        cards = {card.name: card for card in Animal.objects.cards(species_list=stale)}
    assert cards["Tom"].facts.startswith("Cat · Persian · ") and cards["Tom"].url.startswith("/animals/cats/")
    assert cards["Max"].facts.startswith("Dog · Pug · ")


@pytest.mark.django_db
def test_cards_of_a_sliced_queryset_keep_its_order_and_slice():
    for n in range(5):
        AnimalFactory(name=f"A{n}", price=n + 1)
    assert [card.name for card in Animal.objects.order_by("-price")[1:3].cards()] == ["A3", "A2"]
    assert Animal.objects.none().cards() == []


@pytest.mark.django_db
def test_cards_page_gives_a_slice_and_the_total_in_one_query(django_assert_num_queries):
    for n in range(5):
        AnimalFactory(name=f"A{n}", price=n + 1, stock=n % 2)
    AnimalFactory(name="Hidden", is_published=False)
    animals = Animal.objects.published().filter(price__gte=2).order_by("-price")
    species_list = Species.objects.with_breeds()
    with django_assert_num_queries(1):
        cards, total = animals.cards_page(1, 3, species_list=species_list)
    assert ([card.name for card in cards], total) == (["A3", "A2"], 4)
    assert animals.cards_page(4, 6) == ([], None)
    assert Animal.objects.none().cards_page(0, 24) == ([], None)


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
def test_species_with_breeds_in_one_query(django_assert_num_queries):
    dog, cat = SpeciesFactory(name="Dog", display_order=1), SpeciesFactory(name="Cat", display_order=2)
    SpeciesFactory(name="Fish", display_order=0)
    BreedFactory(species=dog, name="Pug")
    BreedFactory(species=dog, name="Beagle")
    BreedFactory(species=cat, name="Siamese")
    with django_assert_num_queries(1):
        species_list = Species.objects.with_breeds()
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
        sql, params = (
            page.annotate(
                thumbnail=RawSQL(_FIRST_PHOTO_SQL.format(column="thumbnail"), ())  # noqa: S611 - the models' constant
            )
            .values("thumbnail")
            .query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "photo_animal_order_idx" in plan, plan


# Stored names never hold ".." (Django's storages refuse them), which urljoin would resolve.
@pytest.mark.parametrize("name", ["animals/thumbs/2026/11/rex.jpg", "animals/thumbs/a b/Rëx #1?.jpg", "x/y%20.png"])
def test_card_image_urls_are_what_the_storage_gives(name):
    from django.core.files.storage import default_storage

    from animals.models import _media_url

    assert _media_url()(name) == default_storage.url(name)


@pytest.mark.django_db
def test_with_photos_gives_the_gallery_main_photo_first_and_leaves_out_photos_without_a_display_size():
    animal = AnimalFactory()
    second = AnimalPhotoFactory(animal=animal, is_main=False, position=2, alt_text="Second")
    AnimalPhotoFactory(animal=animal, is_main=False, position=1, alt_text="Not resized yet", display="")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=3, alt_text="Main")
    AnimalPhotoFactory(is_main=True)  # another animal's
    assert gallery(Animal.objects.with_photos().get(pk=animal.pk)) == [
        {"url": main.display.url, "alt_text": "Main"},
        {"url": second.display.url, "alt_text": "Second"},
    ]


@pytest.mark.django_db
def test_with_photos_gives_an_empty_gallery_for_an_animal_without_photos():
    animal = AnimalFactory()
    AnimalPhotoFactory(is_main=True)  # another animal's
    assert gallery(Animal.objects.with_photos().get(pk=animal.pk)) == []
