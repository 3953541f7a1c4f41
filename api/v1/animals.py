"""The catalogue: animals with the HTML catalogue's filters, one animal, and the species with their breeds.

Answers carry an ETag from the catalogue version (every staff or stock change makes a new one), and a request
whose If-None-Match still matches gets a 304 without reading the catalogue.
"""

import hashlib
from typing import Literal

from django.core.cache import cache
from django.http import HttpResponse
from ninja import Field as F
from ninja import Query, Router, Schema

from animals import views as catalogue
from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Animal, gallery
from animals.services import catalogue_version
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import NO_NUL, PK, AnimalOut, AnimalPageOut, SpeciesOut

router = Router(tags=["catalogue"], auth=None)

PAGE_SIZE = catalogue.PAGE_SIZE
MAX_LIMIT = 100
MAX_OFFSET = 100_000


# The catalogue's reads, in one place: the same kept species list, filter form and card query as the HTML
# catalogue (animals.views). To be pointed at animals.selectors once the catalogue's reads move there.
def read_species():
    return catalogue._species_with_breeds()


def read_page(params: dict, *, offset: int, limit: int):
    """(cards of the animals the filters select, from `offset`, at most `limit`; how many in all) or the form
    with its errors (an invalid filter)."""
    species_list = read_species()
    choices = catalogue._kept("filter_choices:", lambda: FilterChoices(species_list))
    form = AnimalFilterForm(params, choices=choices)
    if not form.is_valid():
        return form, None, 0
    animals = form.filter(Animal.objects.published())
    # The total is kept as the HTML list keeps it, under the same key (what selects the animals, not the sort):
    # counting thousands of rows is most of the database's work for a page.
    selection = sorted((name, str(value)) for name, value in form.valid_data().items() if name != "sort")
    key = catalogue._versioned_key(f"count:{hashlib.sha256(f':{selection}'.encode()).hexdigest()}")
    total = cache.get(key)
    if total is not None:
        return None, animals[offset : offset + limit].cards(species_list=species_list) if total else [], total
    cards, total = animals.cards_page(offset, offset + limit, species_list=species_list)
    if total is None:  # past the end, or nothing selected
        cards, total = [], animals.count()
    cache.set(key, total, catalogue.SPECIES_CACHE_SECONDS)
    return None, cards, total


def read_animal(animal_id: int):
    animals = Animal.objects.filter(is_published=True, pk=animal_id).with_reservation().with_photos()
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
    etag = f'"catalogue-{catalogue_version()}"'
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
                "facts": card.facts,
                "url": request.build_absolute_uri(card.url),
                "image": request.build_absolute_uri(card.image),
                "alt_text": card.alt_text,
            }
            for card in cards
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
            {"url": request.build_absolute_uri(photo["url"]), "alt_text": photo["alt_text"]}
            for photo in gallery(animal)
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
