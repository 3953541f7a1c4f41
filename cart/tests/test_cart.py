from decimal import Decimal

import pytest

from animals.tests.factories import AnimalFactory, AnimalPhotoFactory
from cart.cart import MAX_DISTINCT_LINES, SESSION_KEY, Cart


@pytest.mark.parametrize(
    "junk",
    [
        "not a dict",
        ["1", 2],
        42,
        None,
        {"1": -1},
        {"1": 0},
        {"1": 1.5},
        {"1": "2"},
        {"1": True},
        {"1": 10**12},
        {"abc": 1},
        {"-3": 1},
        {"0": 1},
        {"²": 1},
        {"1.5": 1},
        {"9" * 40: 1},
    ],
)
def test_junk_in_the_session_is_ignored(session, junk):
    session[SESSION_KEY] = junk
    cart = Cart(session)
    assert cart.quantities() == {}
    assert len(cart) == 0
    assert cart.lines() == ([], [])


def test_good_entries_survive_next_to_junk(session):
    session[SESSION_KEY] = {"7": 2, "x": 1, "8": -1, "007": 1}
    assert Cart(session).quantities() == {7: 2}


def test_a_huge_session_cart_is_cut_to_the_line_limit(session):
    session[SESSION_KEY] = {str(pk): 1 for pk in range(1, 500)}
    assert len(Cart(session).quantities()) == MAX_DISTINCT_LINES


def test_set_remove_clear_and_len_write_the_session(session):
    cart = Cart(session)
    cart.set(3, 2)
    cart.set(4, 1)
    assert len(cart) == 3
    assert session[SESSION_KEY] == {"3": 2, "4": 1}
    assert session.modified
    cart.remove(3)
    assert Cart(session).quantities() == {4: 1}
    assert cart.quantity_of(4) == 1
    assert cart.quantity_of(3) == 0
    cart.clear()
    assert SESSION_KEY not in session
    assert len(Cart(session)) == 0


def test_lines_read_names_and_prices_from_the_database(session):
    animal = AnimalFactory(stock=5, price=Decimal("100.00"))
    cart = Cart(session)
    cart.set(animal.pk, 2)
    animal.price = Decimal("120.50")
    animal.name = "Renamed"
    animal.save()
    lines, notes = Cart(session).lines()
    assert notes == []
    assert [(line.animal.name, line.unit_price, line.quantity, line.line_total) for line in lines] == [
        ("Renamed", Decimal("120.50"), 2, Decimal("241.00"))
    ]
    assert Cart.subtotal(lines) == Decimal("241.00")


def test_subtotal_of_nothing_is_zero_decimal():
    assert Cart.subtotal([]) == Decimal("0.00")


def test_lines_drop_sold_unpublished_and_deleted_animals_with_a_note(session):
    kept = AnimalFactory(name="Kept")
    sold = AnimalFactory(name="Sold", stock=0)
    hidden = AnimalFactory(name="Hidden", is_published=False)
    deleted = AnimalFactory(name="Deleted")
    cart = Cart(session)
    for animal in (kept, sold, hidden, deleted):
        cart._data[str(animal.pk)] = 1
    cart._save()
    deleted.delete()

    lines, notes = Cart(session).lines()

    assert [line.animal for line in lines] == [kept]
    assert "Sold is no longer available and was removed from your cart." in notes
    assert "Hidden is no longer available and was removed from your cart." in notes
    assert "An animal in your cart is no longer listed and was removed." in notes
    assert Cart(session).quantities() == {kept.pk: 1}


def test_lines_reduce_a_quantity_when_stock_shrank(session):
    litter = AnimalFactory(name="Kittens", stock=5)
    Cart(session).set(litter.pk, 4)
    litter.stock = 2
    litter.save()
    lines, notes = Cart(session).lines()
    assert lines[0].quantity == 2
    assert notes == ["Only 2 of Kittens left: your cart was reduced to 2."]
    assert Cart(session).quantity_of(litter.pk) == 2


def test_line_photo_is_the_main_one_without_a_query_per_line(session, django_assert_num_queries):
    animal = AnimalFactory()
    AnimalPhotoFactory(animal=animal, is_main=False, position=0, alt_text="Side")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=5, alt_text="Main")
    bare = AnimalFactory()
    cart = Cart(session)
    cart.set(animal.pk, 1)
    cart.set(bare.pk, 1)
    with django_assert_num_queries(2):
        lines, _ = cart.lines()
        photos = {line.animal.pk: line.photo for line in lines}
    assert photos == {animal.pk: main, bare.pk: None}
