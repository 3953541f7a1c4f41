import pytest

from animals.tests.factories import AnimalFactory
from cart.cart import MAX_DISTINCT_LINES, Cart
from cart.services import CartError, cart_add, cart_remove, cart_update


@pytest.fixture
def cart(session):
    return Cart(session)


def test_add_an_individual_animal(cart):
    puppy = AnimalFactory(name="Rex", stock=1)
    assert cart_add(cart=cart, animal_id=puppy.pk, quantity=1) == "Rex was added to your cart."
    assert cart.quantities() == {puppy.pk: 1}


def test_an_individual_animal_is_in_the_cart_once(cart):
    puppy = AnimalFactory(name="Rex", stock=1)
    cart_add(cart=cart, animal_id=puppy.pk, quantity=1)
    with pytest.raises(CartError, match="Rex is already in your cart"):
        cart_add(cart=cart, animal_id=puppy.pk, quantity=1)
    assert cart.quantities() == {puppy.pk: 1}


def test_asking_for_more_of_an_individual_animal_caps_at_one(cart):
    puppy = AnimalFactory(name="Rex", stock=1)
    message = cart_add(cart=cart, animal_id=puppy.pk, quantity=3)
    assert message == "Only 1 of Rex available: your cart now holds 1."
    assert cart.quantities() == {puppy.pk: 1}


def test_adding_to_a_batch_adds_up(cart):
    fish = AnimalFactory(name="Guppies", stock=10)
    cart_add(cart=cart, animal_id=fish.pk, quantity=3)
    message = cart_add(cart=cart, animal_id=fish.pk, quantity=4)
    assert message == "4 × Guppies added to your cart (now 7)."
    assert cart.quantity_of(fish.pk) == 7


def test_adding_more_than_the_stock_caps_and_says_so(cart):
    fish = AnimalFactory(name="Guppies", stock=5)
    cart_add(cart=cart, animal_id=fish.pk, quantity=3)
    message = cart_add(cart=cart, animal_id=fish.pk, quantity=4)
    assert message == "Only 5 of Guppies available: your cart now holds 5."
    assert cart.quantity_of(fish.pk) == 5
    with pytest.raises(CartError, match="already holds all 5 of Guppies"):
        cart_add(cart=cart, animal_id=fish.pk, quantity=1)
    assert cart.quantity_of(fish.pk) == 5


@pytest.mark.parametrize("attrs", [{"stock": 0}, {"is_published": False}])
def test_an_unavailable_animal_cannot_be_added(cart, attrs):
    animal = AnimalFactory(**attrs)
    with pytest.raises(CartError, match="not available"):
        cart_add(cart=cart, animal_id=animal.pk, quantity=1)
    assert cart.quantities() == {}


def test_an_unknown_animal_cannot_be_added(cart, db):
    with pytest.raises(CartError, match="not available"):
        cart_add(cart=cart, animal_id=987654, quantity=1)
    assert cart.quantities() == {}


def test_a_full_cart_takes_no_new_animal_but_more_of_one_it_holds(cart):
    fish = AnimalFactory(stock=5)
    cart_add(cart=cart, animal_id=fish.pk, quantity=1)
    for pk in range(10**6, 10**6 + MAX_DISTINCT_LINES - 1):
        cart.set(pk, 1)
    newcomer = AnimalFactory()
    with pytest.raises(CartError, match=f"at most {MAX_DISTINCT_LINES}"):
        cart_add(cart=cart, animal_id=newcomer.pk, quantity=1)
    assert newcomer.pk not in cart
    cart_add(cart=cart, animal_id=fish.pk, quantity=1)
    assert cart.quantity_of(fish.pk) == 2


def test_update_sets_the_quantity(cart):
    fish = AnimalFactory(name="Guppies", stock=10)
    cart.set(fish.pk, 6)
    assert cart_update(cart=cart, animal_id=fish.pk, quantity=2) == "Guppies: quantity updated to 2."
    assert cart.quantity_of(fish.pk) == 2


def test_update_caps_at_the_stock(cart):
    fish = AnimalFactory(name="Guppies", stock=4)
    cart.set(fish.pk, 1)
    message = cart_update(cart=cart, animal_id=fish.pk, quantity=9)
    assert message == "Only 4 of Guppies available: the quantity was set to 4."
    assert cart.quantity_of(fish.pk) == 4


def test_update_of_an_animal_not_in_the_cart_changes_nothing(cart):
    fish = AnimalFactory(stock=4)
    with pytest.raises(CartError, match="not in your cart"):
        cart_update(cart=cart, animal_id=fish.pk, quantity=2)
    assert cart.quantities() == {}


def test_update_of_an_animal_sold_meanwhile_changes_nothing(cart):
    fish = AnimalFactory(stock=4)
    cart.set(fish.pk, 2)
    fish.stock = 0
    fish.save()
    with pytest.raises(CartError, match="not available"):
        cart_update(cart=cart, animal_id=fish.pk, quantity=1)
    assert cart.quantity_of(fish.pk) == 2


def test_remove(cart):
    rex = AnimalFactory(name="Rex")
    other = AnimalFactory()
    cart.set(rex.pk, 1)
    cart.set(other.pk, 1)
    assert cart_remove(cart=cart, animal_id=rex.pk) == "Rex was removed from your cart."
    assert cart.quantities() == {other.pk: 1}


def test_remove_of_a_deleted_animal(cart):
    rex = AnimalFactory()
    rex_id = rex.pk
    cart.set(rex_id, 1)
    rex.delete()
    assert cart_remove(cart=cart, animal_id=rex_id) == "The animal was removed from your cart."
    assert cart.quantities() == {}


def test_remove_of_an_animal_not_in_the_cart(cart):
    rex = AnimalFactory()
    with pytest.raises(CartError, match="not in your cart"):
        cart_remove(cart=cart, animal_id=rex.pk)
