"""The admin site: branded with SHOP_NAME everywhere, and its index is the staff dashboard."""

import re
from datetime import datetime, time, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import StaffFactory
from animals.models import Animal
from animals.tests.factories import AnimalFactory, SpeciesFactory
from orders.models import Order
from orders.selectors import weekly_sales
from orders.tests.factories import OrderFactory
from petshop.dashboard import bar_chart, dashboard, species_for_sale

pytestmark = pytest.mark.django_db
INDEX = reverse("admin:index")


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_log_in_page_is_branded(client, settings):
    settings.SHOP_NAME = "Pawsome"
    page = client.get(reverse("admin:login")).text
    assert "<title>Log in | Pawsome administration</title>" in page
    assert ">Pawsome administration</a>" in page
    assert "Django" not in page


@pytest.mark.parametrize("name", ["admin:index", "admin:orders_order_changelist", "admin:orders_order_collections"])
def test_every_admin_page_is_branded(staff_client, name):
    page = staff_client.get(reverse(name)).text
    assert "| Petshop administration</title>" in page and ">Petshop administration</a>" in page


def paid_on(day, total):
    paid_at = timezone.make_aware(datetime.combine(day, time(12)))
    return OrderFactory(status=Order.Status.PAID, paid_at=paid_at, total=Decimal(total))


def test_weekly_sales_match_the_database():
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    paid_on(monday, "100.00")
    paid_on(today, "50.50")
    paid_on(monday - timedelta(days=1), "20.00")  # last week's Sunday
    paid_on(monday - timedelta(weeks=11), "7.00")  # the oldest week shown
    paid_on(monday - timedelta(weeks=12), "999.00")  # too old
    OrderFactory(status=Order.Status.PENDING_PAYMENT, total=Decimal("5.00"))  # never paid

    weeks = weekly_sales(today=today)

    assert len(weeks) == 12 and weeks[-1].start == monday and weeks[0].start == monday - timedelta(weeks=11)
    for week in weeks:  # every figure, recomputed from the rows
        start = timezone.make_aware(datetime.combine(week.start, time.min))
        rows = Order.objects.filter(paid_at__gte=start, paid_at__lt=start + timedelta(weeks=1))
        assert week.orders == rows.count()
        assert week.revenue == sum((o.total for o in rows), Decimal("0.00"))
    assert [w.orders for w in weeks][-2:] == [1, 2] and weeks[-1].revenue == Decimal("150.50")
    assert weeks[0].orders == 1


def test_animals_for_sale_per_species_match_the_database():
    dogs = SpeciesFactory(name="Dog", display_order=1)
    cats = SpeciesFactory(name="Cat", display_order=2)
    AnimalFactory(species=dogs, breed=None, stock=5)
    AnimalFactory(species=dogs, breed=None, stock=1)
    AnimalFactory(species=dogs, breed=None, stock=3, is_published=False)
    AnimalFactory(species=cats, breed=None, stock=1)
    AnimalFactory(species=cats, breed=None, stock=0)

    figures = species_for_sale()

    expected = {}
    for animal in Animal.objects.filter(is_published=True, stock__gt=0).select_related("species"):
        expected[animal.species.name] = expected.get(animal.species.name, 0) + animal.stock
    assert dict(figures) == expected == {"Dog": 6, "Cat": 1}
    assert [name for name, _ in figures] == ["Dog", "Cat"]


def test_bar_chart_scales_to_the_tallest_bar():
    chart = bar_chart(
        id="c", title="t", label_heading="l", value_heading="v", rows=[("a", 0, "0"), ("b", 5, "5"), ("c", 10, "10")]
    )
    assert [bar.height for bar in chart.bars] == [0, 70.0, 140.0]
    assert all(bar.y + bar.height == chart.height for bar in chart.bars)


def test_dashboard_on_the_index_draws_svg_charts_with_tables(staff_client):
    today = timezone.localdate()
    paid_on(today, "450.00")
    OrderFactory(status=Order.Status.PAID, collection_date=today + timedelta(days=1))
    response = staff_client.get(INDEX)
    page = response.text
    assert response.status_code == 200
    charts = response.context["charts"]
    assert [c.id for c in charts] == [
        "orders-per-week",
        "revenue-per-week",
        "animals-for-sale",
        "collections-next-7-days",
    ]
    assert page.count("<svg viewBox=") >= 4 and page.count("<table>") >= 4
    assert "450.00" in page  # the revenue table
    collections_chart = charts[3]
    assert [bar.label for bar in collections_chart.bars][:2] == ["Today", "Tomorrow"]
    assert [bar.value for bar in collections_chart.bars][:2] == [0, 1] and len(collections_chart.bars) == 7
    assert dashboard(today=today, currency="usd")["charts"][1].bars[-1].value == Decimal("450.00")


def test_dashboard_keeps_the_strict_content_security_policy(staff_client):
    response = staff_client.get(INDEX)
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "style-src 'self'" in policy
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", response.text)
    assert inline_scripts == []
    assert " style=" not in response.text.split('<section class="shop-dashboard"')[1].split("</section>")[0]


def test_dashboard_queries_do_not_grow_with_the_data(staff_client, django_assert_max_num_queries):
    today = timezone.localdate()
    for n in range(10):
        paid_on(today - timedelta(days=n * 5), "10.00")
        OrderFactory(status=Order.Status.PAID, collection_date=today + timedelta(days=n % 7))
        AnimalFactory(stock=2)
    with django_assert_max_num_queries(14):
        assert staff_client.get(INDEX).status_code == 200
