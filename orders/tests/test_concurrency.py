"""Races on PostgreSQL: many buyers, each in its own thread with its own connection, at the same moment."""

from datetime import timedelta

import pytest
from django.utils import timezone

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from orders.models import Order
from orders.services import CheckoutError, OrderError, order_mark_paid, order_place, order_release_expired
from orders.tests.conftest import buyer_details
from petshop.tests.threads import run_together

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def buy(animal_id, **extra):
    def work(index):
        return order_place(quantities={animal_id: 1}, **buyer_details(email=f"buyer{index}@example.com"), **extra)

    return work


def test_twenty_buyers_of_the_last_individual_animal_make_one_order(require_postgres):
    puppy = AnimalFactory(name="Solo", stock=1)
    results = run_together(20, buy(puppy.pk), expected=(OrderError,))
    orders = [result for result in results if isinstance(result, Order)]
    refused = [result for result in results if isinstance(result, CheckoutError)]
    assert len(orders) == 1
    assert len(refused) == 19 and all("Solo" in str(error) for error in refused)
    assert Order.objects.count() == 1
    assert Animal.objects.get(pk=puppy.pk).stock == 0


def test_twenty_buyers_of_a_batch_of_five_make_five_orders(require_postgres):
    litter = AnimalFactory(stock=5)
    results = run_together(20, buy(litter.pk), expected=(OrderError,))
    assert sum(isinstance(result, Order) for result in results) == 5
    assert sum(isinstance(result, CheckoutError) for result in results) == 15
    assert Order.objects.count() == 5
    assert Animal.objects.get(pk=litter.pk).stock == 0


def test_a_double_submission_at_the_same_moment_makes_one_order(require_postgres):
    litter = AnimalFactory(stock=5)
    results = run_together(4, lambda index: buy(litter.pk, checkout_token="same-form")(0), expected=(OrderError,))
    assert all(isinstance(result, Order) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert Animal.objects.get(pk=litter.pk).stock == 4


def test_concurrent_releases_expire_each_order_once(require_postgres):
    litter = AnimalFactory(stock=6)
    late = [order_place(quantities={litter.pk: 2}, **buyer_details()) for _ in range(3)]
    Order.objects.update(reserved_until=timezone.now() - timedelta(minutes=1))
    results = run_together(5, lambda index: order_release_expired(), expected=(OrderError,))
    expired = [reference for result in results for reference in result]
    assert sorted(expired) == sorted(order.reference for order in late)
    assert Animal.objects.get(pk=litter.pk).stock == 6
    assert set(Order.objects.values_list("status", flat=True)) == {Order.Status.EXPIRED}


def test_a_payment_racing_the_release_keeps_stock_consistent(require_postgres):
    puppy = AnimalFactory(stock=1)
    order = order_place(quantities={puppy.pk: 1}, **buyer_details())
    Order.objects.update(reserved_until=timezone.now() - timedelta(minutes=1))

    def work(index):
        return order_mark_paid(order_id=order.pk) if index == 0 else order_release_expired()

    results = run_together(2, work, expected=(OrderError,))
    assert not any(isinstance(result, Exception) for result in results), results
    order.refresh_from_db()
    assert order.status == Order.Status.PAID  # either paid first, or expired then re-reserved by the payment
    assert Animal.objects.get(pk=puppy.pk).stock == 0


def test_two_staff_handing_over_and_cancelling_at_once_make_one_move(require_postgres):
    from accounts.tests.factories import StaffFactory
    from orders.services import order_cancel, order_hand_over, order_mark_ready

    animal = AnimalFactory(stock=1)
    order = order_place(quantities={animal.pk: 1}, **buyer_details())
    order_mark_paid(order_id=order.pk)
    order_mark_ready(order_id=order.pk)
    alice, bob = StaffFactory(), StaffFactory()

    def work(index):
        if index == 0:
            return order_hand_over(
                order_id=order.pk, by=alice, id_checked=True, care_pack_given=True, microchip_transferred=True
            )
        return order_cancel(order_id=order.pk, by=bob)

    results = run_together(2, work, expected=(OrderError,))

    moved = [result for result in results if isinstance(result, Order)]
    refused = [result for result in results if isinstance(result, OrderError)]
    assert len(moved) == 1 and len(refused) == 1
    order.refresh_from_db()
    assert order.events.filter(status__in=[Order.Status.COMPLETED, Order.Status.CANCELLED]).count() == 1
    # stock is returned only when the cancel won
    assert Animal.objects.get(pk=animal.pk).stock == (1 if order.status == Order.Status.CANCELLED else 0)
