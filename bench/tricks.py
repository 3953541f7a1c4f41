"""Each kept catalogue trick against its idiomatic form, timed in one process, request by request.

The shop's views are called through Django's RequestFactory against the benchmark database (seeded by
bench/catalogue.sh), the page cache off. For each page, 80 pairs of requests alternate the trick and the
idiomatic form, and the median of the pairs' time ratios is printed: alternating cancels most of a shared
machine's drift. Usage (after bench/catalogue.sh has seeded the database; BENCH_TRICKS=newest,other runs only
the tricks whose names hold one of those words):

    .venv/bin/python bench/tricks.py
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.update(
    DJANGO_SETTINGS_MODULE="petshop.settings",
    DEBUG="false",
    SECRET_KEY="bench-only-" + "x" * 40,
    PAYMENTS_ALLOW_DEMO="true",
    SITE_URL_ALLOW_LOCAL="true",
    ALLOWED_HOSTS="testserver",
    CATALOGUE_CACHE_SECONDS="0",
    STATIC_MANIFEST="false",
    DATABASE_URL=os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench"),
)

import django  # noqa: E402

django.setup()

from babel.numbers import format_currency  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from animals import selectors  # noqa: E402
from animals.models import Animal, Species  # noqa: E402
from petshop import money  # noqa: E402

PAIRS = int(os.environ.get("BENCH_PAIRS", "80"))
FACTORY = RequestFactory()


def seconds(path: str) -> float:
    match = resolve(path.split("?")[0])
    request = FACTORY.get(path)
    request.user, request.session = AnonymousUser(), {}
    started = time.perf_counter()
    match.func(request, **match.kwargs).content  # noqa: B018 - the rendered page
    return time.perf_counter() - started


def paired(path: str, idiomatic, trick) -> float:
    """Median over PAIRS of (time with the idiomatic form / time with the trick)."""
    for _ in range(5):
        idiomatic(), seconds(path), trick(), seconds(path)
    ratios = []
    for _ in range(PAIRS):
        idiomatic()
        slow = seconds(path)
        trick()
        ratios.append(slow / seconds(path))
    return statistics.median(ratios)


def orm_cards(animals):
    return animals.select_related("species", "breed").with_main_thumbnail().with_reservation()


def queried_newest():
    newest = Animal.objects.available().order_by("-created_at", "-pk")
    return list(selectors.card_animals(newest)[: selectors.HOME_NEWEST])


def queried_others(*, animal):
    others = Animal.objects.available().filter(species_id=animal.species_id).exclude(pk=animal.pk)
    return list(selectors.card_animals(others.order_by("-created_at", "-pk"))[: selectors.OTHERS_ON_DETAIL])


def main() -> None:
    animal = Animal.objects.available().select_related("species").order_by("pk").first()
    pages = {
        "home": "/",
        "list": "/animals/",
        "filtered list": f"/animals/?species={animal.species.slug}&sort=price_asc",
        "search": "/animals/?q=a",
    }
    raw_cards, counts, kept_prices = selectors.card_animals, selectors.species_with_counts, money._formatted
    kept_newest, kept_others = selectors.newest_animals, selectors.other_animals

    def set_cards(function):
        return lambda: setattr(selectors, "card_animals", function)

    tricks = [
        ("card SQL vs ORM Subquery/Exists", set_cards(orm_cards), set_cards(raw_cards), pages),
        (
            "species counts kept vs counted",
            lambda: setattr(selectors, "species_with_counts", lambda: list(Species.objects.with_available_count())),
            lambda: setattr(selectors, "species_with_counts", counts),
            {"home": "/"},
        ),
        (
            "prices kept vs written by Babel",
            lambda: setattr(
                money, "_formatted", lambda amount, currency, locale: format_currency(amount, currency, locale=locale)
            ),
            lambda: setattr(money, "_formatted", kept_prices),
            {"home": "/", "list": "/animals/"},
        ),
    ]
    tricks += [
        (
            "newest animals kept vs queried",
            lambda: setattr(selectors, "newest_animals", queried_newest),
            lambda: setattr(selectors, "newest_animals", kept_newest),
            {"home": "/"},
        ),
        (
            "other animals kept vs queried",
            lambda: setattr(selectors, "other_animals", queried_others),
            lambda: setattr(selectors, "other_animals", kept_others),
            {"animal page": animal.get_absolute_url()},
        ),
    ]
    print(f"{PAIRS} pairs per page; ratio = idiomatic time / trick time (1.10 = the trick saves 10%)")
    only = [part for part in os.environ.get("BENCH_TRICKS", "").split(",") if part]
    for name, idiomatic, trick, trick_pages in tricks:
        if only and not any(part in name for part in only):
            continue
        for label, path in trick_pages.items():
            print(f"{name:<34} {label:<14} {paired(path, idiomatic, trick):5.2f}")


if __name__ == "__main__":
    main()
