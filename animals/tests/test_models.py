from datetime import date, timedelta

import pytest
from django.db import IntegrityError

from animals.models import Animal
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory
from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory


def born(days_ago):
    return Animal(date_of_birth=date.today() - timedelta(days=days_ago))


@pytest.mark.parametrize(
    ("days", "expected"),
    [(10, "1 week"), (21, "3 weeks"), (95, "3 months"), (40, "1 month"), (400, "13 months"), (800, "2 years")],
)
def test_age_display(days, expected):
    assert born(days).age_display == expected


def test_age_in_months_counts_whole_months():
    animal = Animal(date_of_birth=date(2024, 1, 31))
    assert animal.age_in_months(today=date(2024, 3, 30)) == 1
    assert animal.age_in_months(today=date(2024, 3, 31)) == 2


@pytest.mark.django_db
def test_status_is_derived_from_stock_and_unpaid_orders():
    available = AnimalFactory(stock=1)
    sold = AnimalFactory(stock=0)
    reserved = AnimalFactory(stock=0)
    OrderItemFactory(animal=reserved, order=OrderFactory(status=Order.Status.PENDING_PAYMENT))
    OrderItemFactory(animal=sold, order=OrderFactory(status=Order.Status.PAID))
    statuses = {a.pk: a.status for a in Animal.objects.with_reservation()}
    assert statuses == {
        available.pk: Animal.Status.AVAILABLE,
        sold.pk: Animal.Status.SOLD,
        reserved.pk: Animal.Status.RESERVED,
    }


@pytest.mark.django_db
def test_stock_cannot_go_below_zero_in_the_database():
    animal = AnimalFactory()
    with pytest.raises(IntegrityError):
        Animal.objects.filter(pk=animal.pk).update(stock=-1)


@pytest.mark.django_db
def test_price_cannot_be_negative_in_the_database():
    animal = AnimalFactory()
    with pytest.raises(IntegrityError):
        Animal.objects.filter(pk=animal.pk).update(price=-1)


@pytest.mark.django_db
def test_for_cards_gives_the_main_photo_thumbnail():
    animal = AnimalFactory()
    AnimalPhotoFactory(animal=animal, is_main=False, position=0, alt_text="side")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=5, alt_text="main one")
    row = Animal.objects.for_cards().get()
    assert row.main_alt_text == "main one"
    assert row.main_thumbnail_url == main.thumbnail.url
