"""A guest's cart survives a server restart: sessions in the database, or cached in Redis (cached_db)."""

import contextlib

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.test import Client
from django.urls import reverse

from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db

CACHED_DB_PREFIX = "django.contrib.sessions.cached_db"


def fill_a_cart_then_restart():
    """Fill a cart in one client; return a brand-new client carrying only the session cookie."""
    litter = AnimalFactory(name="Guppies", stock=9)
    puppy = AnimalFactory(name="Bella")
    first = Client()
    first.post(reverse("cart:add"), {"animal_id": litter.pk, "quantity": 3})
    first.post(reverse("cart:add"), {"animal_id": puppy.pk, "quantity": 1})
    first.post(reverse("cart:update"), {"animal_id": litter.pk, "quantity": 4})
    session_key = first.cookies[settings.SESSION_COOKIE_NAME].value
    # a "restart": no in-process state survives, only what the session store holds
    caches.close_all()
    for cache in caches.all(initialized_only=True):
        if isinstance(cache, LocMemCache):
            cache.clear()  # process memory does not survive a restart
    for alias in caches:
        with contextlib.suppress(AttributeError):
            del caches[alias]  # drop the connection objects: the next use opens new ones
    second = Client()
    second.cookies[settings.SESSION_COOKIE_NAME] = session_key
    return second, session_key, {litter.pk: 4, puppy.pk: 1}


def lines_of(client):
    response = client.get(reverse("cart:detail"))
    assert response.status_code == 200
    return {line.animal.pk: line.quantity for line in response.context["lines"]}


def test_cart_survives_a_restart_with_sessions_in_the_database(settings):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client, session_key, expected = fill_a_cart_then_restart()
    from django.contrib.sessions.models import Session

    assert Session.objects.filter(session_key=session_key).exists()
    assert lines_of(client) == expected


@pytest.fixture
def cached_sessions(redis_cache, settings):
    """Sessions cached in Redis (SESSION_CACHED=true), as on several app servers."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    return redis_cache


def test_cart_survives_a_restart_with_sessions_cached_in_redis(cached_sessions):
    client, session_key, expected = fill_a_cart_then_restart()
    cached = caches["default"].get(f"{CACHED_DB_PREFIX}{session_key}")
    assert cached["cart"] == {str(pk): quantity for pk, quantity in expected.items()}
    assert lines_of(client) == expected


def test_with_cached_sessions_the_cart_is_read_from_redis(cached_sessions):
    from django.contrib.sessions.models import Session

    client, session_key, expected = fill_a_cart_then_restart()
    Session.objects.filter(session_key=session_key).delete()  # only Redis still holds it
    assert lines_of(client) == expected
