"""Counts kept in Django's cache, shared by every app server when the cache is Redis (incremented atomically);
the default local-memory cache counts per process. The e-mail flood limits and the API's request rates count
with it, each in windows of the clock that it names in the key."""

from django.core.cache import cache as default_cache


def count_hit(key: str, timeout: int, *, cache=default_cache) -> int:
    """Count one more hit under `key` (kept `timeout` seconds from its first hit) and return the count."""
    try:
        return cache.incr(key)
    except ValueError:  # the key's first hit
        if cache.add(key, 1, timeout):
            return 1
        return cache.incr(key)  # another request made the key meanwhile
