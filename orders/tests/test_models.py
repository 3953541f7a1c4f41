from datetime import date

import pytest

from orders.models import Order, collection_dates
from orders.tests.factories import OrderFactory, OrderItemFactory


def test_collection_dates_are_opening_days_from_tomorrow_within_the_window(settings):
    settings.SHOP_OPENING_WEEKDAYS = [1, 2, 3, 4, 5]  # Tuesday to Saturday
    settings.SHOP_COLLECTION_DAYS_AHEAD = 14
    monday = date(2026, 11, 30)
    days = collection_dates(today=monday)
    assert days[0] == date(2026, 12, 1)  # tomorrow, a Tuesday; never today
    assert days[-1] == date(2026, 12, 12)  # the last Saturday within 14 days
    assert len(days) == 10
    assert all(day.weekday() in {1, 2, 3, 4, 5} for day in days)


def test_collection_dates_follow_the_settings(settings):
    settings.SHOP_OPENING_WEEKDAYS = [0]
    settings.SHOP_COLLECTION_DAYS_AHEAD = 7
    assert collection_dates(today=date(2026, 11, 30)) == [date(2026, 12, 7)]


@pytest.mark.django_db
def test_line_total_and_allowed_moves():
    item = OrderItemFactory(quantity=3, unit_price="19.99", order=OrderFactory())
    item.refresh_from_db()
    assert str(item.line_total) == "59.97"
    order = item.order
    assert order.can_become(Order.Status.PAID) and not order.can_become(Order.Status.COMPLETED)
    assert str(order) == order.reference
    assert order.get_absolute_url() == f"/orders/{order.reference}/"
