"""The catalogue: animals with the HTML catalogue's filters, one animal, and the species with their breeds.

Answers carry an ETag from the catalogue version (every staff or stock change makes a new one), and a request
whose If-None-Match still matches gets a 304 without reading the catalogue.
"""

from decimal import Decimal
from typing import Literal
from urllib.parse import urlencode

from django import forms
from django.core.files.storage import default_storage
from django.forms.utils import pretty_name
from django.http import HttpResponse
from django.templatetags.static import static
from ninja import Field as F
from ninja import Query, Router, Schema
from pydantic import create_model

from animals import rendering, selectors
from animals.caching import catalogue_answer, catalogue_version
from animals.forms import AnimalFilterForm, FilterChoices
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import NO_NUL, PK, AnimalOut, AnimalPageOut, SpeciesOut

router = Router(tags=["catalogue"], auth=None)

PAGE_SIZE = selectors.PAGE_SIZE
MAX_LIMIT = 100
MAX_OFFSET = 100_000


def _query_field(name: str, field: forms.Field):
    """The query parameter for one field of the HTML catalogue's filter form (its type, limits and label)."""
    label = str(field.label) if field.label else pretty_name(name)
    if isinstance(field, forms.BooleanField):
        return bool, F(False, description=label)
    if isinstance(field, forms.ChoiceField):
        values = tuple(str(value) for value, _ in field.choices if value != "")
        if values:  # fixed choices (sex, age, sort...)
            return Literal[values] | None, F(None, description=label)
        # choices read from the catalogue (species, breed): the form checks them, an unknown one is a 422
        return str | None, F(None, max_length=100, pattern=NO_NUL, description=f"{label}: a slug (see /species).")
    if isinstance(field, forms.DecimalField):
        digits = len(str(int(field.max_value or Decimal("99999999"))))
        pattern = rf"^\d{{1,{digits}}}(\.\d{{1,{field.decimal_places or 2}}})?$"
        return str | None, F(None, max_length=20, pattern=pattern, description=label)
    return str | None, F(None, max_length=getattr(field, "max_length", None) or 100, pattern=NO_NUL, description=label)


# The API's filters are the HTML catalogue filter form's fields (animals.forms), so that a filter added there
# is offered here too; the form validates them as on the web.
AnimalFilters = create_model(
    "AnimalFilters",
    __base__=Schema,
    **{name: _query_field(name, field) for name, field in FilterChoices([]).fields.items()},
)


def _filter_form(filters) -> AnimalFilterForm:
    params = {}
    for name, value in filters.dict().items():
        if value is True:
            params[name] = "on"
        elif value not in (None, False):
            params[name] = value
    return AnimalFilterForm(params, choices=selectors.filter_choices())


def _not_modified(request):
    """(the ETag of the catalogue now, a 304 answer when the client's copy is current, else None)."""
    etag = f'"catalogue-{catalogue_version()}"'
    if etag in [tag.strip() for tag in request.headers.get("If-None-Match", "").split(",")]:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return etag, response
    return etag, None


def _query(filters, **more) -> str:
    """The validated filters that are set (none of the URL's junk), then `more`, as a query string."""
    values = {**filters.dict(exclude_defaults=True), **more}
    return urlencode({name: "true" if value is True else value for name, value in values.items()})


def _page_link(request, filters, offset: int, limit: int) -> str:
    return request.build_absolute_uri(f"{request.path}?{_query(filters, offset=offset, limit=limit)}")


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
    form = _filter_form(filters)
    if not form.is_valid():
        raise form_errors(form)
    response["ETag"] = etag
    # The same for every client: kept as the catalogue's pages are (its links are absolute: per host).
    key = f"animals:{request.build_absolute_uri('/')}:{_query(filters, offset=offset, limit=limit)}"
    return catalogue_answer(key, lambda: _animal_page(request, filters, form, offset, limit))


def _animal_page(request, filters, form: AnimalFilterForm, offset: int, limit: int) -> dict:
    no_photo = static("animals/no-photo.svg")
    animals, total = selectors.animal_slice(filters=form, offset=offset, limit=limit)
    return {
        "count": total,
        "limit": limit,
        "offset": offset,
        "next": _page_link(request, filters, offset + limit, limit) if offset + limit < total else None,
        "previous": _page_link(request, filters, max(offset - limit, 0), limit) if offset > 0 else None,
        "results": [
            {
                "id": animal.pk,
                "name": animal.name,
                "slug": animal.slug,
                "price": str(animal.price),
                "stock": animal.stock,
                "status": animal.status,
                "facts": rendering.card_facts(animal),
                "url": request.build_absolute_uri(animal.get_absolute_url()),
                "image": request.build_absolute_uri(
                    default_storage.url(animal.main_thumbnail) if animal.main_thumbnail else no_photo
                ),
                "alt_text": animal.main_alt_text if animal.main_thumbnail else f"No photo of {animal.name} yet",
            }
            for animal in animals
        ],
    }


@router.get("/animals/{animal_id}", response=answers({200: AnimalOut, 304: None}))
def animal_detail(request, response: HttpResponse, animal_id: int = PK):
    etag, not_modified = _not_modified(request)
    if not_modified:
        return not_modified
    animal = selectors.published_animal(animal_id=animal_id)
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
        for species in selectors.species_list()
    ]
