"""The catalogue's reads: what the home, list, species and animal pages show.

Views call these; none of them builds its own query for the same thing.
"""

from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Window
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property

from animals import caching, search
from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Animal, Species
from orders.models import Order
from petshop.money import format_money

PAGE_SIZE = 24
HOME_NEWEST = 8
OTHERS_ON_DETAIL = 4


class CataloguePaginator(Paginator):
    """A Paginator whose count is kept in the cache under `count_key` (what selects the animals), and whose
    pages are lists (loaded when the page is made, in one query).

    Counting thousands of rows is most of the database's work for a list page, and it changes only with the
    catalogue (`caching.catalogue_changed()`).
    """

    def __init__(self, object_list, per_page, *, count_key, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_key = count_key

    @cached_property
    def count(self):
        return caching.selection_count(self.count_key, self.object_list.count)

    def _get_page(self, object_list, number, paginator):
        return super()._get_page(list(object_list), number, paginator)


def species_list() -> list[Species]:
    """Every species with its `breed_list`, kept in this process (the filter and its choices read it)."""
    return caching.catalogue_data_in_process("species_list", lambda: list(Species.objects.with_breeds()))


def species_with_counts() -> list[Species]:
    """Every species with `available_count`, for the home page, kept in this process: counting thousands of
    animals was measured to cost the home page more than everything else on it (bench/README.md)."""
    return caching.catalogue_data_in_process(
        "species_with_counts", lambda: list(Species.objects.with_available_count())
    )


def filter_choices(*, species_slug: str | None = None) -> FilterChoices:
    """The filter's fields for the whole catalogue, or for one species' page (404 for an unknown species)."""
    all_species = species_list()
    species = None
    if species_slug is not None:
        species = next((s for s in all_species if s.slug == species_slug), None)
        if species is None:
            species = get_object_or_404(Species.objects.with_breeds(), slug=species_slug)  # newer than the kept list
            all_species = list(Species.objects.with_breeds())
    key = f"filter_choices:{species.pk if species else ''}"
    return caching.catalogue_data_in_process(key, lambda: FilterChoices(all_species, species))


# A card's photo and reservation as SQL, the one raw SQL of the catalogue. The same as the ORM's Subquery and
# Exists (`with_main_thumbnail()`, `with_reservation()`), which Django builds, resolves and compiles anew on
# every page: measured per request, those made every catalogue page slower by more than 10% (bench/README.md).
# They rely on Django naming the outer query's base table "animals_animal" (no alias): true for a top-level
# query, which is the only place card_animals() is used; test_selectors checks it.
_PHOTO_SQL = (
    'SELECT "photo"."{column}" FROM "animals_animalphoto" "photo" WHERE "photo"."animal_id" = "animals_animal"."id" '
    'ORDER BY "photo"."is_main" DESC, "photo"."position", "photo"."id" LIMIT 1'  # AnimalPhoto.Meta.ordering
)
# Only a sold-out animal can be reserved: CASE runs the EXISTS for those rows alone.
_RESERVED_SQL = (
    'CASE WHEN "animals_animal"."stock" > 0 THEN false ELSE EXISTS (SELECT 1 FROM "orders_orderitem" "item" '
    'INNER JOIN "orders_order" "ord" ON "ord"."id" = "item"."order_id" '
    'WHERE "item"."animal_id" = "animals_animal"."id" AND "ord"."status" = %s) END'
)


def card_animals(animals):
    """`animals` with what a card shows (`rendering.animal_cards()`): species and breed, `main_thumbnail` and
    `main_alt_text` (the main photo, else the first), `is_reserved`; in one query."""
    # Constant SQL (above), the status bound as a parameter: bandit's B611 reviewed and silenced.
    return animals.select_related("species", "breed").annotate(
        main_thumbnail=RawSQL(_PHOTO_SQL.format(column="thumbnail"), (), output_field=models.CharField()),  # noqa: S611 # nosec B611
        main_alt_text=RawSQL(_PHOTO_SQL.format(column="alt_text"), (), output_field=models.CharField()),  # noqa: S611 # nosec B611
        is_reserved=RawSQL(_RESERVED_SQL, (Order.Status.PENDING_PAYMENT,), output_field=models.BooleanField()),  # noqa: S611 # nosec B611
    )


def _count_key(filters: AnimalFilterForm) -> str:
    return filters.cache_key(with_sort=False)


def animal_count(*, filters: AnimalFilterForm) -> int:
    """How many published animals pass `filters`, kept in the cache under what selects them."""
    return caching.selection_count(_count_key(filters), lambda: filters.filter(Animal.objects.published()).count())


def animal_list_page_number(*, filters: AnimalFilterForm, page) -> int:
    """The number of the page `animal_list()` gives for `page` (the first for junk, the last past the end), from
    the kept count alone: a page served from the page cache builds no query."""
    return Paginator(range(animal_count(filters=filters)), PAGE_SIZE).get_page(page).number


def animal_list(*, filters: AnimalFilterForm, page):
    """A page of published animals (as cards) that pass `filters`, in their order: the first page for a page
    number that is not one, the last for one past the end."""
    animals = card_animals(filters.filter(Animal.objects.published()))
    return CataloguePaginator(animals, PAGE_SIZE, count_key=_count_key(filters)).get_page(page)


def empty_result_suggestions(*, filters: AnimalFilterForm, path: str) -> dict:
    """What to try when `filters` select no animal (asked only then): `remove`, (label, link) for each active
    filter (the page without it; on a species page, all species), and `spelling`, (text, link) for a close
    spelling of the search or None (on PostgreSQL, by trigram similarity: a query per unknown word, two at most)."""
    data = filters.valid_data()
    labels = {name: label for name, _kind, label in filters.controls}
    remove = []
    for name, value in data.items():
        if name == "sort":
            continue
        if name in ("price_min", "price_max"):
            shown = format_money(value)
        elif name == "available":
            shown = ""
        else:
            choices = dict(_flat_choices(filters.fields[name].choices)) if name in filters.option_items else {}
            shown = str(choices.get(value, value))
        label = f"{labels[name]}: {shown}" if shown else labels[name]
        query = filters.query_string(without=name)
        remove.append((label, f"{path}?{query}" if query else path))
    if filters.species is not None:
        query = filters.query_string()
        remove.append((f"Species: {filters.species.name}", f"{reverse('animals:list')}?{query}".rstrip("?")))
    spelling = None
    if "q" in data:
        better = search.close_spelling(data["q"], vocabulary=filters.vocabulary)
        if better:
            spelling = (better, f"{path}?{filters.query_string(q=better)}")
    return {"remove": remove, "spelling": spelling}


def _flat_choices(choices):
    for value, label in choices:
        if isinstance(label, list | tuple):
            yield from label
        else:
            yield value, label


def newest_animals() -> list[Animal]:
    """The home page's newest available animals (as cards), kept in this process like the species counts:
    building and running their query was measured to be a large share of the home page (bench/README.md)."""
    newest = Animal.objects.available().order_by("-created_at", "-pk")
    return caching.catalogue_data_in_process("newest", lambda: list(card_animals(newest)[:HOME_NEWEST]))


def animal_detail(*, species_slug: str, animal_slug: str) -> Animal:
    """The published animal of the page with its species, breed, reservation and `gallery`; or 404."""
    animals = Animal.objects.published().select_related("species", "breed").with_reservation().with_gallery()
    return get_object_or_404(animals, slug=animal_slug, species__slug=species_slug)


def other_animals(*, animal: Animal) -> list[Animal]:
    """The newest other available animals of `animal`'s species (as cards).

    One more than are shown is kept per species in this process (so that the animal itself can be left out):
    per species, not per animal, so that thousands of animal pages share a handful of lists.
    """
    newest = Animal.objects.available().filter(species_id=animal.species_id).order_by("-created_at", "-pk")
    kept = caching.catalogue_data_in_process(
        f"newest_of_species:{animal.species_id}", lambda: list(card_animals(newest)[: OTHERS_ON_DETAIL + 1])
    )
    return [other for other in kept if other.pk != animal.pk][:OTHERS_ON_DETAIL]


def animal_slice(*, filters: AnimalFilterForm, offset: int, limit: int) -> tuple[list[Animal], int]:
    """(the published animals (as cards) that pass `filters`, `limit` of them from `offset`; how many pass in
    all): `animal_list()` by offset instead of page number, for the JSON API, with the same kept count."""
    animals = card_animals(filters.filter(Animal.objects.published()))
    page = None

    def count_with_page() -> int:
        # The count is not kept yet: the page and the count in one query (COUNT(*) OVER () is computed before
        # the LIMIT), so that a cold API page costs the species list and this query, within the API's budget of
        # 3 queries (api/tests/test_animals.py); only an offset past the end counts apart.
        nonlocal page
        page = list(animals.annotate(selection_total=Window(Count("pk")))[offset : offset + limit])
        return page[0].selection_total if page else animals.count()

    total = caching.selection_count(_count_key(filters), count_with_page)
    if page is None:
        page = list(animals[offset : offset + limit]) if offset < total else []
    return page, total


def published_animal(*, animal_id: int) -> Animal | None:
    """The published animal with this id, as `animal_detail()` loads it (for the JSON API), or None."""
    animals = Animal.objects.published().select_related("species", "breed").with_reservation().with_gallery()
    return animals.filter(pk=animal_id).order_by().first()
