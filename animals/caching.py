"""The catalogue's caches, and the version that every one of them is kept under.

- `catalogue_version()` / `catalogue_changed()`: any staff change (or stock change) bumps the version, so
  every cached page, count and species list built before it is no longer found.
- `catalogue_page()`: a whole catalogue page, for visitors who see it as any newcomer does (no session), for
  CATALOGUE_CACHE_SECONDS (0 switches it off). Keyed on what the page shows, never on the raw URL.
- `catalogue_data_in_process()`: the species with their breeds or counts, the filter's choices, and the
  newest animals of the home page and of each species, kept in this process's memory for CATALOGUE_DATA_SECONDS,
  so that pages with the page cache off do not read them each time.
- `selection_count()`: how many animals a selection has, kept in the shared cache for SELECTION_COUNT_SECONDS.
- `catalogue_answer()`: a JSON API answer about the catalogue (the same for every client), kept in the shared
  cache as the pages are.
"""

import hashlib
import secrets
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.template.loader import render_to_string

CATALOGUE_VERSION_KEY = "catalogue:version"
# How long the species list and the newest animals (in each process) and the counts of the list pages are kept.
# Another worker's change reaches a process with a cache of its own (local memory) within this time; with Redis,
# at once.
CATALOGUE_DATA_SECONDS = 60
SELECTION_COUNT_SECONDS = 60


def catalogue_version() -> int:
    """The catalogue's version, which every cached catalogue page and datum is kept under.

    It starts at a random number, so that a new or cleared cache never brings a version back: data kept in
    each process's memory is kept under it too.
    """
    return cache.get_or_set(CATALOGUE_VERSION_KEY, _new_version, timeout=None)


def _new_version() -> int:
    return secrets.randbits(62)


def catalogue_changed() -> None:
    """Invalidate every cached catalogue page at once (call after any change to animals, photos or stock)."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:  # no version in the cache (cleared, or evicted)
        cache.set(CATALOGUE_VERSION_KEY, _new_version(), timeout=None)


def _versioned_key(kind: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"catalogue:{catalogue_version()}:{kind}:{digest}"


def is_newcomer(request) -> bool:
    """Whether this visitor sees a catalogue page as any new visitor does: no session (so not logged in, an empty
    cart, no saved favourites) and no message waiting to be shown."""
    return settings.SESSION_COOKIE_NAME not in request.COOKIES and CookieStorage.cookie_name not in request.COOKIES


# Stands for the visitor's CSRF token in a cached page: every visitor gets their own in its place.
CSRF_TOKEN_PLACEHOLDER = "csrf-token-of-the-visitor"  # noqa: S105 # nosec B105 - not a secret: replaced before sending


def catalogue_page(request, key: str | None, template_name: str, context) -> HttpResponse:
    """`template_name` rendered with `context()`; for a newcomer (`is_newcomer()`), from the page cache when it is
    on (CATALOGUE_CACHE_SECONDS).

    `key` must say everything the page shows (validated filter values, the page number), so that junk in the URL
    finds the same entry instead of making a new one; None for a page that is never shared (one that shows a
    visitor's invalid filter back with its error). The cached page holds a placeholder where its forms carry the
    CSRF token, replaced by the visitor's own on every answer.
    """
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if key is None or seconds <= 0 or not is_newcomer(request):
        return render(request, template_name, context())
    full_key = _versioned_key("page", key)
    html = cache.get(full_key)
    if html is None:
        html = render_to_string(template_name, {**context(), "csrf_token": CSRF_TOKEN_PLACEHOLDER}, request)
        cache.set(full_key, html, seconds)
    return HttpResponse(html.replace(CSRF_TOKEN_PLACEHOLDER, get_token(request)))


def _shared(kind: str, key: str, build, seconds: int):
    full_key = _versioned_key(kind, key)
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, seconds)
    return value


def selection_count(key: str, count) -> int:
    """`count()`, kept in the shared cache under `key` (what selects the rows) and the catalogue version."""
    return _shared("count", key, count, SELECTION_COUNT_SECONDS)


def catalogue_answer(key: str, build):
    """`build()`, an answer of the JSON API's catalogue that is the same for every client, kept in the shared cache
    under `key` (what the answer shows: validated parameters, never the raw URL) and the catalogue version, for
    CATALOGUE_CACHE_SECONDS like the pages (0: built for every request)."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if seconds <= 0:
        return build()
    return _shared("answer", key, build, seconds)


_in_process = {}  # name: (catalogue version, expiry time, value)


def catalogue_data_in_process(name: str, build):
    """`build()`, kept in this process's memory under `name` and the catalogue version.

    For small data that every page of a kind shows, and that changes only with the catalogue. In memory rather
    than in the shared cache, which would unpickle it on every page. The value is shared by the requests that
    follow: read it, never change it.
    """
    version = catalogue_version()
    now = time.time()
    kept = _in_process.get(name)
    if kept is not None and kept[0] == version and kept[1] > now:
        return kept[2]
    value = build()
    _in_process[name] = (version, now + CATALOGUE_DATA_SECONDS, value)
    return value
