from importlib import import_module

import pytest
from django.conf import settings

from cart.cart import SESSION_KEY


@pytest.fixture
def session(db):
    """A real session store of the configured engine."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store.create()
    return store


def put_in_cart(client, quantities):
    """Write `{animal_id: quantity}` straight into the client's session, as an earlier request would have."""
    store = client.session
    store[SESSION_KEY] = {str(animal_id): quantity for animal_id, quantity in quantities.items()}
    store.save()
    return store


def cart_of(client):
    return client.session.get(SESSION_KEY, {})
