"""The customer's catalogue: home, list, species and detail pages.

For anonymous visitors the expensive part of each page (the rendered HTML of the listing or of the animal)
is kept in the page cache (`caching.anonymous_page()`). The add-to-cart form, which carries a CSRF token, is
never inside a cached fragment.
"""

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string

from animals import caching, selectors
from animals.forms import AnimalFilterForm
from cart.cart import Cart
from petshop.money import format_money


def _fragment_context(**context):
    """Fragments are rendered without the request (they are shared), so they get the setting they need."""
    return {"SHOP_CURRENCY": settings.SHOP_CURRENCY.upper(), **context}


def home(request):
    def build():
        context = _fragment_context(species_list=selectors.species_with_counts(), newest=selectors.newest_animals())
        return render_to_string("animals/_home.html", context)

    return render(request, "animals/home.html", {"content": caching.anonymous_page(request, "home", build)})


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

    def build():
        page = selectors.animal_list(filters=filters, page=number)
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
        context = _fragment_context(
            form=filters,
            species=species,
            page_obj=page,
            page_query=page_query,
            page_links=_page_links(page, page_query),
            action=request.path,
            title=title,
            # Only a page with no animals asks what to suggest instead.
            suggestions=None
            if page.paginator.count
            else selectors.empty_result_suggestions(filters=filters, path=request.path),
        )
        html = render_to_string("animals/_listing.html", context)
        return {"title": title, "description": description, "html": html}

    if filters.errors:
        # An invalid value is shown back to its visitor with its error: such a page is never shared.
        content = build()
    else:
        content = caching.anonymous_page(request, f"list:{filters.cache_key()}:{number}", build)
    # What "Tell me when a new one arrives" (alerts/_alert_link.html) offers to watch: this page's selection.
    selection = {"species": species.slug if species else "", "query": filters.query_string()}
    return render(request, "animals/animal_list.html", {**content, "selection": selection})


def animal_list(request):
    return _listing(request)


def species_detail(request, species_slug):
    return _listing(request, species_slug)


def animal_detail(request, species_slug, animal_slug):
    def build():
        animal = selectors.animal_detail(species_slug=species_slug, animal_slug=animal_slug)
        photos = animal.gallery
        context = _fragment_context(
            animal=animal,
            main_photo=photos[0] if photos else None,
            more_photos=photos[1:],
            others=selectors.other_animals(animal=animal),
        )
        breed = f" ({animal.breed.name})" if animal.breed else ""
        return {
            "title": f"{animal.display_name}, {animal.species.name.lower()}{breed}",
            "description": (
                f"{animal.name}: {animal.get_sex_display().lower()} {animal.species.name.lower()}{breed}, "
                f"{animal.age_display} old, {format_money(animal.price)} at {settings.SHOP_NAME}."
            ),
            "gallery": render_to_string("animals/_detail_gallery.html", context),
            "summary": render_to_string("animals/_detail_summary.html", context),
            "more": render_to_string("animals/_detail_more.html", context),
            # Just what the add-to-cart form needs; the form itself is rendered fresh for each visitor.
            "buy": {"pk": animal.pk, "name": animal.name, "stock": animal.stock, "is_available": animal.is_available},
        }

    content = caching.anonymous_page(request, f"detail:{species_slug}:{animal_slug}", build)
    # Whether this visitor's cart holds the animal: read from their session, outside the shared fragments.
    in_cart = content["buy"]["pk"] in Cart(request.session)
    return render(request, "animals/animal_detail.html", {**content, "in_cart": in_cart})
