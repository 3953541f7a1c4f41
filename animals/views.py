"""The customer's catalogue: home, list, species and detail pages.

Each view builds its page's context from the selectors and renders it through `caching.catalogue_page()`, which
serves a newcomer (no session) the cached page when the page cache is on.
"""

from django.conf import settings

from animals import caching, selectors
from animals.forms import AnimalFilterForm
from cart.cart import Cart
from petshop.money import format_money


def home(request):
    def context():
        return {"species_list": selectors.species_with_counts(), "newest": selectors.newest_animals()}

    return caching.catalogue_page(request, "home", "animals/home.html", context)


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


def _listing(request, species_slug=None):
    filters = AnimalFilterForm(request.GET, choices=selectors.filter_choices(species_slug=species_slug))
    species = filters.species
    number = selectors.animal_list_page_number(filters=filters, page=request.GET.get("page"))

    def context():
        page = selectors.animal_list(filters=filters, page=number)
        searched = filters.valid_data().get("q")
        if searched:
            title = f"{species.plural if species else 'Animals'} matching “{searched}”"
        else:
            title = f"{species.plural} for sale" if species else "All our animals"
        if page.number > 1:
            title = f"{title} (page {page.number})"
        if species:
            description = f"{species.plural} for sale at {settings.SHOP_NAME}: {page.paginator.count} listed."
        else:
            description = f"Every animal for sale at {settings.SHOP_NAME}: dogs, cats, small pets, birds and fish."
        # Page links keep the valid filters (the page number goes last); anything else in the URL is dropped.
        query = filters.query_string()
        page_query = f"?{query}&page=" if query else "?page="
        return {
            "form": filters,
            "species": species,
            "page_obj": page,
            "page_query": page_query,
            "page_links": _page_links(page, page_query),
            "action": request.path,
            "title": title,
            "description": description,
            # Only a page with no animals asks what to suggest instead.
            "suggestions": None
            if page.paginator.count
            else selectors.empty_result_suggestions(filters=filters, path=request.path),
            # What "Tell me when a new one arrives" (alerts/_alert_link.html) offers to watch: this selection.
            "selection": {"species": species.slug if species else "", "query": query},
        }

    # An invalid value is shown back to its visitor with its error: such a page is never shared.
    key = None if filters.errors else f"list:{filters.cache_key()}:{number}"
    return caching.catalogue_page(request, key, "animals/animal_list.html", context)


def animal_list(request):
    return _listing(request)


def species_detail(request, species_slug):
    return _listing(request, species_slug)


def animal_detail(request, species_slug, animal_slug):
    def context():
        animal = selectors.animal_detail(species_slug=species_slug, animal_slug=animal_slug)
        photos = animal.gallery
        breed = f" ({animal.breed.name})" if animal.breed else ""
        return {
            "animal": animal,
            "main_photo": photos[0] if photos else None,
            "more_photos": photos[1:],
            "others": selectors.other_animals(animal=animal),
            "title": f"{animal.display_name}, {animal.species.name.lower()}{breed}",
            "description": (
                f"{animal.name}: {animal.get_sex_display().lower()} {animal.species.name.lower()}{breed}, "
                f"{animal.age_display} old, {format_money(animal.price)} at {settings.SHOP_NAME}."
            ),
            # Whether this visitor's cart holds the animal (never, for a newcomer served from the page cache).
            "in_cart": animal.pk in Cart(request.session),
        }

    return caching.catalogue_page(
        request, f"detail:{species_slug}:{animal_slug}", "animals/animal_detail.html", context
    )
