"""The catalogue: animals with the HTML catalogue's filters, one animal, and the species with their breeds.

Answers carry an ETag from the catalogue version (every staff or stock change makes a new one), and a request
whose If-None-Match still matches gets a 304 without reading the catalogue.
"""

from typing import Literal

from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.templatetags.static import static
from ninja import Field as F
from ninja import Query, Router, Schema

from animals import caching, selectors
from animals.forms import AnimalFilterForm
from animals.models import Animal
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import NO_NUL, PK, AnimalOut, AnimalPageOut, SpeciesOut

router = Router(tags=["catalogue"], auth=None)

PAGE_SIZE = selectors.PAGE_SIZE
MAX_LIMIT = 100
MAX_OFFSET = 100_000


# The catalogue's reads, in one place: the same kept species list, filter form, card query and kept count as
# the HTML catalogue (animals.selectors).
def read_species():
    return selectors.species_list()


def read_page(params: dict, *, offset: int, limit: int):
    """(cards of the animals the filters select, from `offset`, at most `limit`; how many in all) or the form
    with its errors (an invalid filter)."""
    form = AnimalFilterForm(params, choices=selectors.filter_choices())
    if not form.is_valid():
        return form, None, 0
    animals = form.filter(Animal.objects.published())
    total = caching.selection_count(form.cache_key(with_sort=False), animals.count)
    cards = list(selectors.card_animals(animals)[offset : offset + limit]) if offset < total else []
    return None, cards, total


def card_facts(animal: Animal) -> str:
    """Species, breed, sex and age, as the catalogue card shows them."""
    facts = [animal.species.name, animal.breed.name if animal.breed else "", animal.get_sex_display()]
    return " · ".join(fact for fact in [*facts, animal.age_display] if fact)


def card_image(animal: Animal) -> tuple[str, str]:
    if animal.main_thumbnail:
        return default_storage.url(animal.main_thumbnail), animal.main_alt_text
    return static("animals/no-photo.svg"), f"No photo of {animal.name} yet"


def read_animal(animal_id: int):
    animals = Animal.objects.published().filter(pk=animal_id).with_reservation().with_gallery()
    return next(iter(animals.select_related("species", "breed").order_by()[:1]), None)


class AnimalFilters(Schema):
    q: str | None = F(None, max_length=100, pattern=NO_NUL, description="Search the name, breed and description.")
    species: str | None = F(None, max_length=100, pattern=NO_NUL, description="A species' slug (see /species).")
    breed: str | None = F(None, max_length=100, pattern=NO_NUL, description="A breed's slug.")
    sex: Literal["female", "male", "unknown"] | None = None
    age: Literal["baby", "young", "adult", "senior"] | None = None
    price_min: str | None = F(None, max_length=20, pattern=r"^\d{1,8}(\.\d{1,2})?$")
    price_max: str | None = F(None, max_length=20, pattern=r"^\d{1,8}(\.\d{1,2})?$")
    available: bool = F(False, description="Only animals in stock.")
    sort: Literal["newest", "price_asc", "price_desc", "youngest", "oldest"] = "newest"


def _not_modified(request):
    """(the ETag of the catalogue now, a 304 answer when the client's copy is current, else None)."""
    etag = f'"catalogue-{caching.catalogue_version()}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return etag, response
    return etag, None


def _page_link(request, offset: int, limit: int) -> str:
    query = request.GET.copy()
    query["offset"], query["limit"] = str(offset), str(limit)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")


@router.get("/animals", response=answers({200: AnimalPageOut, 304: None}))
def animal_list(
    request,
    response: HttpResponse,
    filters: Query[AnimalFilters],
    limit: int = Query(PAGE_SIZE, ge=1, le=MAX_LIMIT),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Published animals, as the HTML catalogue lists them (its filters and sorts), `limit` from `offset`."""
    etag, not_modified = _not_modified(request)
    if not_modified:
        return not_modified
    params = {name: value for name, value in filters.dict().items() if value not in (None, False)}
    if params.get("available"):
        params["available"] = "on"
    form, cards, total = read_page(params, offset=offset, limit=limit)
    if form is not None:
        raise form_errors(form)
    response["ETag"] = etag
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "next": _page_link(request, offset + limit, limit) if offset + limit < total else None,
        "previous": _page_link(request, max(offset - limit, 0), limit) if offset > 0 else None,
        "results": [
            {
                "id": card.pk,
                "name": card.name,
                "slug": card.slug,
                "price": str(card.price),
                "stock": card.stock,
                "status": card.status,
                "facts": card_facts(card),
                "url": request.build_absolute_uri(card.get_absolute_url()),
                "image": request.build_absolute_uri(image),
                "alt_text": alt_text,
            }
            for card in cards
            for image, alt_text in [card_image(card)]
        ],
    }


@router.get("/animals/{animal_id}", response=answers({200: AnimalOut, 304: None}))
def animal_detail(request, response: HttpResponse, animal_id: int = PK):
    etag, not_modified = _not_modified(request)
    if not_modified:
        return not_modified
    animal = read_animal(animal_id)
    if animal is None:
        raise ApiError(404, "No such animal.", "animal_not_found")
    response["ETag"] = etag
    return {
        "id": animal.pk,
        "name": animal.name,
        "slug": animal.slug,
        "species": animal.species.name,
        "breed": animal.breed.name if animal.breed else None,
        "sex": animal.sex,
        "date_of_birth": animal.date_of_birth,
        "age": animal.age_display,
        "colour": animal.colour,
        "price": str(animal.price),
        "stock": animal.stock,
        "status": animal.status,
        "description": animal.description,
        "url": request.build_absolute_uri(animal.get_absolute_url()),
        "photos": [
            {"url": request.build_absolute_uri(photo.display.url), "alt_text": photo.alt_text}
            for photo in animal.gallery
        ],
    }


@router.get("/species", response=answers({200: list[SpeciesOut], 304: None}))
def species_list(request, response: HttpResponse):
    """Every species with its breeds (for the `species` and `breed` filters)."""
    etag, not_modified = _not_modified(request)
    if not_modified:
        return not_modified
    response["ETag"] = etag
    return [
        {
            "id": species.pk,
            "name": species.name,
            "slug": species.slug,
            "plural": species.plural,
            "description": species.description,
            "breeds": [{"id": breed.pk, "name": breed.name, "slug": breed.slug} for breed in species.breed_list],
        }
        for species in read_species()
    ]
