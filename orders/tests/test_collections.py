"""The Collections page and the order list's columns and collection-day filter."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory
from orders.models import Order
from orders.selectors import collections
from orders.tests.factories import OrderFactory, OrderItemFactory
from petshop.money import format_money

pytestmark = pytest.mark.django_db
COLLECTIONS = reverse("admin:orders_order_collections")
CHANGELIST = reverse("admin:orders_order_changelist")


def order_on(days, status=Order.Status.PAID, name="Alex Buyer", animal=None):
    order = OrderFactory(collection_date=timezone.localdate() + timedelta(days=days), status=status, full_name=name)
    OrderItemFactory(order=order, animal=animal or AnimalFactory(stock=0))
    return order


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_collections_lists_today_tomorrow_and_the_next_seven_days():
    rex = AnimalFactory(name="Rex", stock=0)
    AnimalPhotoFactory(animal=rex, is_main=True)
    today = order_on(0, animal=rex)
    tomorrow = order_on(1, status=Order.Status.PENDING_PAYMENT)
    later = order_on(7, status=Order.Status.READY_FOR_COLLECTION)
    order_on(8)  # too far
    order_on(-1)  # past
    order_on(0, status=Order.Status.CANCELLED)  # not coming

    days = collections(today=timezone.localdate(), days=7)

    assert [day.label for day in days[:2]] == ["Today", "Tomorrow"] and len(days) == 8
    assert [[order.pk for order in day.orders] for day in days] == [
        [today.pk],
        [tomorrow.pk],
        [],
        [],
        [],
        [],
        [],
        [later.pk],
    ]
    assert days[0].orders[0].is_paid and not days[1].orders[0].is_paid
    line = days[0].orders[0].lines[0]
    assert line.animal_name == "Rex" and line.animal_with_photo.main_thumbnail_url


def test_collections_page_shows_buyer_phone_animals_paid_and_a_link(staff_client, django_assert_max_num_queries):
    rex = AnimalFactory(name="Rex", stock=0)
    AnimalPhotoFactory(animal=rex, is_main=True)
    order = order_on(0, name="Jo Collector", animal=rex)
    unpaid = order_on(2, status=Order.Status.PENDING_PAYMENT)
    for n in range(5):
        order_on(n % 7)
    with django_assert_max_num_queries(9):
        response = staff_client.get(COLLECTIONS)
    page = response.text
    assert response.status_code == 200
    assert "Jo Collector" in page and order.phone in page and "Rex" in page
    assert reverse("admin:orders_order_change", args=[order.pk]) in page
    assert reverse("admin:orders_order_change", args=[unpaid.pk]) in page and "Not paid" in page
    assert 'src="/media/animals/thumbs/' in page or "thumbs" in page
    assert "css/admin.css" in page  # the print stylesheet lives there (@media print)


def test_collections_page_needs_staff(client):
    response = client.get(COLLECTIONS)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_changelist_columns_fit_the_work(staff_client):
    order = order_on(1)
    order.total = "1234.50"
    order.save()
    response = staff_client.get(CHANGELIST)
    assert response.context["cl"].list_display[1:] == [
        "reference",
        "buyer",
        "collection_day",
        "status_badge",
        "formatted_total",
    ]
    assert "$1,234.50" in response.text
    assert 'class="status-badge status-paid"' in response.text


def test_the_admin_writes_amounts_in_the_shop_s_one_money_format():
    from decimal import Decimal

    assert format_money(Decimal("1234567.5"), "eur") == "€1,234,567.50"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [("today", ["today"]), ("tomorrow", ["tomorrow"]), ("next7", ["today", "tomorrow", "in6"]), ("past", ["past"])],
)
def test_collection_day_filter(staff_client, choice, expected):
    orders = {
        "past": order_on(-1),
        "today": order_on(0),
        "tomorrow": order_on(1),
        "in6": order_on(6),
        "in7": order_on(7),
    }
    response = staff_client.get(CHANGELIST, {"collection": choice})
    shown = {order.pk for order in response.context["cl"].result_list}
    assert shown == {orders[name].pk for name in expected}


def test_collection_day_filter_offers_the_planning_choices(staff_client):
    response = staff_client.get(CHANGELIST)
    spec = next(f for f in response.context["cl"].filter_specs if f.title == "collection day")
    assert [label for _, label in spec.lookup_choices] == ["Today", "Tomorrow", "Next 7 days", "Past"]


def test_collections_show_each_animals_microchip_number_and_the_handover_pack(
    staff_client, django_assert_max_num_queries
):
    rex = AnimalFactory(name="Rex", stock=0, microchipped=True, microchip_number="985141000123456")
    paid = order_on(0, name="Jo Collector", animal=rex)
    unpaid = order_on(1, status=Order.Status.PENDING_PAYMENT, animal=AnimalFactory(name="Tom", stock=0))
    with django_assert_max_num_queries(9):
        response = staff_client.get(COLLECTIONS)
    line = response.context["days"][0].orders[0].lines[0]
    assert line.animal_with_photo.microchip_number == "985141000123456"
    assert "Microchip 985141000123456" in response.text
    assert response.text.count("Microchip ") == 1  # Tom has none
    assert reverse("admin:orders_order_handover_pack", args=[paid.pk]) in response.text
    assert reverse("admin:orders_order_handover_pack", args=[unpaid.pk]) not in response.text
