"""order_place_from_cart and order_cancel_by_customer: the checkout from a cart, and a customer's own cancel."""

import pytest

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from cart.cart import Cart
from orders.models import Order
from orders.services import (
    CheckoutError,
    TransitionNotAllowed,
    order_cancel_by_customer,
    order_mark_paid,
    order_place_from_cart,
)
from orders.tests.conftest import buyer_details

pytestmark = pytest.mark.django_db


class Session(dict):
    modified = False


def cart_with(**quantities):
    cart = Cart(Session())
    for animal_id, quantity in quantities.items():
        cart.set(int(animal_id), quantity)
    return cart


def test_places_the_carts_order_and_empties_the_cart():
    puppy = AnimalFactory(stock=2)
    cart = cart_with(**{str(puppy.pk): 2})
    order, placed_now = order_place_from_cart(cart=cart, details=buyer_details(), checkout_token="tok-1")
    assert placed_now and order.items.get().quantity == 2
    assert not cart


def test_the_same_token_gives_back_the_same_order():
    puppy = AnimalFactory(stock=1)
    first, _ = order_place_from_cart(cart=cart_with(**{str(puppy.pk): 1}), details=buyer_details(), checkout_token="t")
    again, placed_now = order_place_from_cart(cart=Cart(Session()), details=buyer_details(), checkout_token="t")
    assert again == first and not placed_now
    assert Order.objects.count() == 1


def test_a_cart_corrected_against_stock_is_refused_with_the_correction_made():
    litter = AnimalFactory(name="Kits", stock=1)
    cart = cart_with(**{str(litter.pk): 3})
    with pytest.raises(CheckoutError, match="Only 1 of Kits left"):
        order_place_from_cart(cart=cart, details=buyer_details(), checkout_token="t2")
    assert cart.quantities() == {litter.pk: 1}
    assert Order.objects.count() == 0


def test_an_empty_cart_is_refused():
    with pytest.raises(CheckoutError, match="empty"):
        order_place_from_cart(cart=Cart(Session()), details=buyer_details(), checkout_token="t3")


def test_a_pending_order_is_cancelled_and_its_stock_returned():
    puppy = AnimalFactory(stock=1)
    order, _ = order_place_from_cart(cart=cart_with(**{str(puppy.pk): 1}), details=buyer_details(), checkout_token="c")
    order_cancel_by_customer(order_id=order.pk)
    assert Order.objects.get(pk=order.pk).status == Order.Status.CANCELLED
    assert Animal.objects.get(pk=puppy.pk).stock == 1


def test_a_paid_order_cannot_be_cancelled_by_the_customer():
    puppy = AnimalFactory(stock=1)
    order, _ = order_place_from_cart(cart=cart_with(**{str(puppy.pk): 1}), details=buyer_details(), checkout_token="p")
    order_mark_paid(order_id=order.pk)
    with pytest.raises(TransitionNotAllowed):
        order_cancel_by_customer(order_id=order.pk)
    assert Animal.objects.get(pk=puppy.pk).stock == 0
