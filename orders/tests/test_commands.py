from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from animals.tests.factories import AnimalFactory
from orders.models import Order
from orders.services import order_place
from orders.tests.conftest import buyer_details

pytestmark = pytest.mark.django_db


def run():
    out = StringIO()
    call_command("release_expired_orders", stdout=out)
    return out.getvalue()


def test_release_expired_orders_expires_late_orders_once_and_returns_stock():
    kittens = AnimalFactory(stock=5)
    late = order_place(quantities={kittens.pk: 2}, **buyer_details())
    on_time = order_place(quantities={kittens.pk: 1}, **buyer_details())
    Order.objects.filter(pk=late.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))

    assert run().splitlines() == [f"expired {late.reference}", "1 order expired."]
    assert run().splitlines() == ["0 orders expired."]

    late.refresh_from_db()
    on_time.refresh_from_db()
    kittens.refresh_from_db()
    assert late.status == Order.Status.EXPIRED and late.expired_at is not None
    assert on_time.status == Order.Status.PENDING_PAYMENT
    assert kittens.stock == 4
