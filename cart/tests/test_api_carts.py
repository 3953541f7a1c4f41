"""Carts kept for API clients: the web Cart over a session store keyed by an opaque id (cart.services)."""

import pytest

from animals.tests.factories import AnimalFactory
from cart.services import CartNotFound, cart_add, cart_keep, cart_load, cart_open

pytestmark = pytest.mark.django_db


def test_an_opened_cart_keeps_its_lines_under_its_id():
    puppy = AnimalFactory(stock=2)
    cart_id, cart = cart_open()
    cart_add(cart=cart, animal_id=puppy.pk, quantity=2)
    cart_keep(cart=cart)
    assert cart_load(cart_id=cart_id).quantities() == {puppy.pk: 2}


def test_a_change_not_kept_is_not_stored():
    cart_id, cart = cart_open()
    cart_add(cart=cart, animal_id=AnimalFactory().pk, quantity=1)
    assert cart_load(cart_id=cart_id).quantities() == {}


def test_a_users_cart_opens_for_that_user_only():
    cart_id, _ = cart_open(user_id=7)
    assert cart_load(cart_id=cart_id, user_id=7) is not None
    for other in (None, 8):
        with pytest.raises(CartNotFound):
            cart_load(cart_id=cart_id, user_id=other)


def test_a_guest_cart_opens_for_anyone_with_its_id():
    cart_id, _ = cart_open()
    assert cart_load(cart_id=cart_id, user_id=3) is not None


@pytest.mark.parametrize("cart_id", ["", "nosuchcartatall1", "a/b", "x" * 65, "é" * 10, "\x00" * 10, None])
def test_unknown_or_junk_ids_are_not_carts(cart_id):
    with pytest.raises(CartNotFound):
        cart_load(cart_id=cart_id)


def test_a_web_session_is_never_an_api_cart(client):
    from importlib import import_module

    from django.conf import settings

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session["cart"] = {"1": 1}
    session.create()
    with pytest.raises(CartNotFound):
        cart_load(cart_id=session.session_key)
