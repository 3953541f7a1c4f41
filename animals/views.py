"""The customer's catalogue: home, list, species and detail pages.

For anonymous visitors the expensive part of each page (the rendered HTML of the listing or of the
animal) is cached for CATALOGUE_CACHE_SECONDS, keyed on the catalogue version, so any staff change
shows at once. The add-to-cart form (which carries a CSRF token) is never inside a cached fragment.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.http import Http404
from django.shortcuts import render
from django.template.loader import render_to_string

from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Animal, Species, gallery
from animals.services import catalogue_version
from petshop.links import nav_urls

PAGE_SIZE = 24
MAX_PAGE_NUMBER = 1_000_000  # see _card_page
HOME_NEWEST = 8
OTHERS_ON_DETAIL = 4
# Species, breeds and counts (of the home page and of each list selection) are kept this long in the cache (_kept).
SPECIES_CACHE_SECONDS = 60


def _versioned_key(key):
    """`key` in the catalogue cache, under the current catalogue version (a change makes every key new)."""
    return f"catalogue:{catalogue_version()}:{key}"


def _versioned(key, build, seconds):
    """`build()`'s value from the cache under the current catalogue version, built and kept when missing."""
    full_key = _versioned_key(key)
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, seconds)
    return value


def _cached(request, key, build):
    """`build()` for anonymous visitors from the catalogue cache when it is on; always fresh otherwise."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if seconds <= 0 or request.user.is_authenticated:
        return build()
    return _versioned(hashlib.sha256(key.encode()).hexdigest(), build, seconds)


_kept_in_process = {}  # name: (catalogue version, expiry time, value)


def _kept(name, build):
    """`build()`, kept in this process's memory for SPECIES_CACHE_SECONDS under the catalogue version: for data
    that changes rarely (species, breeds, counts). Not the page cache: it is on whatever CATALOGUE_CACHE_SECONDS says.
    The value is shared by the requests that follow: read it, never change it.

    In memory rather than in Django's cache, which would unpickle the species and their breeds on every page.
    A change made through `catalogue_changed()` shows at once with a shared cache (Redis, which holds the
    version); with a cache per process (local memory, several gunicorn workers) the other workers show it
    within SPECIES_CACHE_SECONDS.
    """
    version = catalogue_version()
    now = time.time()
    kept = _kept_in_process.get(name)
    if kept is not None and kept[0] == version and kept[1] > now:
        return kept[2]
    value = build()
    _kept_in_process[name] = (version, now + SPECIES_CACHE_SECONDS, value)
    return value


def _species_with_breeds():
    return _kept("species_with_breeds", Species.objects.with_breeds)


def _species_with_counts():
    return _kept(
        "species_with_counts",
        lambda: list(Species.objects.with_available_count().values("slug", "plural", "available_count")),
    )


def _card_page(animals, number, *, count_key, species_list):
    """Page `number` of `animals` as cards, as `Paginator.get_page()` picks it (not a number: the first page;
    below 1 or past the end: the last), in one query where Paginator makes two (the count, then the page).

    The count is kept like the species (`_kept`), under `count_key` (what selects the animals): counting
    thousands of rows is most of the database's work for a page, and it changes only with the catalogue.
    """
    try:
        number = int(number)
    except (TypeError, ValueError):
        number = 1
    # No catalogue has this many pages; a larger number would overflow the database's OFFSET (a 500) before
    # the count shows it is past the end. Capped, it is past the end like any other: the last page.
    number = min(number, MAX_PAGE_NUMBER)
    key = _versioned_key(f"count:{hashlib.sha256(count_key.encode()).hexdigest()}")
    total = cache.get(key)
    cards = None
    if total is None:
        if number >= 1:
            cards, total = animals.cards_page((number - 1) * PAGE_SIZE, number * PAGE_SIZE, species_list=species_list)
        if total is None:  # an empty slice: no animals at all (page 1), or a page out of range
            cards = [] if number == 1 else None
            total = 0 if number == 1 else animals.count()
        cache.set(key, total, SPECIES_CACHE_SECONDS)
    paginator = Paginator(animals, PAGE_SIZE)
    paginator.count = total  # known: Paginator would count again
    if not 1 <= number <= paginator.num_pages:
        number, cards = paginator.num_pages, None
    if cards is None:
        page_slice = animals[(number - 1) * PAGE_SIZE : number * PAGE_SIZE]
        cards = page_slice.cards(species_list=species_list) if total else []
    return Page(cards, number, paginator)


def _page_query(params):
    """The start of a page link's href ("?species=dogs&page="), keeping every other filter: the page number
    goes last. One urlencode per page instead of a {% querystring %} per link."""
    others = params.copy()
    others.pop("page", None)
    return f"?{others.urlencode()}&page=" if others else "?page="


def _page_links(page, page_query):
    """The pagination's items as (kind, label, href): kind "link", "current" (no href) or "gap" (an ellipsis)."""
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.number:
            links.append(("current", str(number), None))
        elif number == page.paginator.ELLIPSIS:
            links.append(("gap", number, None))
        else:
            links.append(("link", str(number), f"{page_query}{number}"))
    return links


def _fragment_context(**context):
    """Fragments are rendered without the request (they are shared), so they get the few settings and links
    they need."""
    return {"SHOP_CURRENCY": settings.SHOP_CURRENCY.upper(), "nav": nav_urls(), **context}


def home(request):
    def build():
        species_list = _species_with_counts()
        newest = Animal.objects.available().order_by("-created_at", "-pk")[:HOME_NEWEST]
        newest = newest.cards(species_list=_species_with_breeds())
        return render_to_string("animals/_home.html", _fragment_context(species_list=species_list, newest=newest))

    return render(request, "animals/home.html", {"content": _cached(request, "home", build)})


def _listing(request, species_slug=None):
    def build():
        species_list = _species_with_breeds()
        species = None
        if species_slug is not None:
            species = next((s for s in species_list if s.slug == species_slug), None)
            if species is None:
                raise Http404("No such species.")
        choices = _kept(f"filter_choices:{species.pk if species else ''}", lambda: FilterChoices(species_list, species))
        form = AnimalFilterForm(request.GET, choices=choices)
        animals = Animal.objects.published()
        if species is not None:
            animals = animals.filter(species=species)
        # What selects the animals (not the sort or the page): the key of their kept count.
        selection = sorted((name, str(value)) for name, value in form.valid_data().items() if name != "sort")
        count_key = f"{species.pk if species else ''}:{selection}"
        page = _card_page(form.filter(animals), request.GET.get("page"), count_key=count_key, species_list=species_list)
        title = f"{species.plural} for sale" if species else "All our animals"
        if page.number > 1:
            title = f"{title} (page {page.number})"
        if species:
            description = f"{species.plural} for sale at {settings.SHOP_NAME}: {page.paginator.count} listed."
        else:
            description = f"Every animal for sale at {settings.SHOP_NAME}: dogs, cats, small pets, birds and fish."
        page_query = _page_query(request.GET)
        html = render_to_string(
            "animals/_listing.html",
            _fragment_context(
                form=form,
                species=species,
                page_obj=page,
                page_query=page_query,
                page_links=_page_links(page, page_query),
                action=request.path,
                title=title,
            ),
        )
        return {"title": title, "description": description, "html": html}

    content = _cached(request, f"list:{species_slug}:{request.get_full_path()}", build)
    return render(request, "animals/animal_list.html", content)


def animal_list(request):
    return _listing(request)


def species_detail(request, species_slug):
    return _listing(request, species_slug)


def _published_animal(species_list, species_slug, animal_slug):
    """The published animal of the page with its photos (`with_photos()`), or None, in one query; its species and
    breed taken from `species_list` (the kept species list). A species or breed missing from it (added in the
    last SPECIES_CACHE_SECONDS) is read from the database instead.
    """
    species = next((s for s in species_list if s.slug == species_slug), None)
    # The slug is unique: no ORDER BY (first() would add one).
    if species is None:
        animals = Animal.objects.filter(is_published=True, slug=animal_slug, species__slug=species_slug)
        animals = animals.with_reservation().with_photos().select_related("species", "breed")
        return next(iter(animals.order_by()[:1]), None)
    animals = Animal.objects.filter(is_published=True, slug=animal_slug, species_id=species.pk)
    animal = next(iter(animals.with_reservation().with_photos().order_by()[:1]), None)
    if animal is not None:
        animal.species = species
        breed = next((b for b in species.breed_list if b.pk == animal.breed_id), None)
        if breed is not None:
            animal.breed = breed
    return animal


def animal_detail(request, species_slug, animal_slug):
    def build():
        species_list = _species_with_breeds()
        animal = _published_animal(species_list, species_slug, animal_slug)
        if animal is None:
            raise Http404("No such animal.")
        photos = gallery(animal)
        # One more than shown, the animal itself dropped here: cheaper, in SQL and in Python, than an exclude().
        others = Animal.objects.available().filter(species_id=animal.species_id)
        others = others.order_by("-created_at", "-pk")[: OTHERS_ON_DETAIL + 1].cards(species_list=species_list)
        others = [card for card in others if card.pk != animal.pk][:OTHERS_ON_DETAIL]
        context = _fragment_context(
            animal=animal, main_photo=photos[0] if photos else None, more_photos=photos[1:], others=others
        )
        breed = f" ({animal.breed.name})" if animal.breed else ""
        return {
            "title": f"{animal.name}, {animal.species.name.lower()}{breed}",
            "description": (
                f"{animal.name}: {animal.get_sex_display().lower()} {animal.species.name.lower()}{breed}, "
                f"{animal.age_display} old, {animal.price} {settings.SHOP_CURRENCY.upper()} at {settings.SHOP_NAME}."
            ),
            "gallery": render_to_string("animals/_detail_gallery.html", context),
            "summary": render_to_string("animals/_detail_summary.html", context),
            "more": render_to_string("animals/_detail_more.html", context),
            # Just what the add-to-cart form needs; the form itself is rendered fresh for each visitor.
            "buy": {"pk": animal.pk, "stock": animal.stock, "is_available": animal.is_available},
        }

    content = _cached(request, f"detail:{species_slug}:{animal_slug}", build)
    return render(request, "animals/animal_detail.html", content)
