"""State changes of the catalogue: photo processing and the catalogue cache version."""

from django.core.cache import cache

CATALOGUE_VERSION_KEY = "catalogue:version"


def catalogue_version() -> int:
    return cache.get_or_set(CATALOGUE_VERSION_KEY, 1, timeout=None)


def catalogue_changed() -> None:
    """Invalidate every cached catalogue page at once (call after any change to animals, photos or stock)."""
    try:
        cache.incr(CATALOGUE_VERSION_KEY)
    except ValueError:
        cache.set(CATALOGUE_VERSION_KEY, 2, timeout=None)
