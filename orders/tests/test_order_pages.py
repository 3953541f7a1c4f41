"""What the customer sees of an order: badge, thank-you, collection details, lines; and the paid e-mail."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import UserFactory
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory
from notifications.services import notification_render
from orders.models import STATUS_BADGE, Order
from orders.services import order_mark_paid, order_place
from orders.tests.conftest import buyer_details
from orders.tests.factories import OrderFactory
from orders.views import JUST_PLACED_KEY

pytestmark = pytest.mark.django_db


def test_every_status_has_its_own_badge_colour():
    assert set(STATUS_BADGE) == set(Order.Status)
    assert len(set(STATUS_BADGE.values())) == len(Order.Status)
    assert Order(status=Order.Status.PAID).badge_class == "text-bg-success"


@pytest.mark.parametrize("status", list(Order.Status))
def test_the_order_page_and_the_history_show_the_status_s_badge(client, status):
    user = UserFactory()
    order = OrderFactory(user=user, status=status)
    client.force_login(user)
    badge = f'<span class="badge {STATUS_BADGE[status]}">{Order.Status(status).label}</span>'
    assert badge in client.get(order.get_absolute_url()).content.decode()
    assert badge in client.get(reverse("accounts:orders")).content.decode()


def just_placed(client, order):
    session = client.session
    session[JUST_PLACED_KEY] = order.reference
    session.save()


def test_thank_you_shows_once_right_after_placing_and_paying(client):
    user = UserFactory()
    order = order_place(quantities={AnimalFactory().pk: 1}, user=user, **buyer_details())
    order_mark_paid(order_id=order.pk)
    client.force_login(user)
    just_placed(client, order)
    assert "Thank you! Your order is placed and paid." in client.get(order.get_absolute_url()).content.decode()
    later = client.get(order.get_absolute_url()).content.decode()
    assert "Thank you!" not in later and "Collecting your animals" in later


def test_an_unpaid_order_is_never_thanked_for(client):
    user = UserFactory()
    order = order_place(quantities={AnimalFactory().pk: 1}, user=user, **buyer_details())
    client.force_login(user)
    just_placed(client, order)
    content = client.get(order.get_absolute_url()).content.decode()
    assert "Thank you!" not in content and "waiting for payment" in content


def test_the_order_page_gives_the_collection_details_and_the_lines(client, settings, django_assert_max_num_queries):
    settings.SHOP_ADDRESS = "12 Market Street, Springfield"
    settings.SHOP_PHONE = "+1 217 555 0100"
    settings.SHOP_OPENING_HOURS = "Mon-Sun 10:00-18:00"
    user = UserFactory()
    bella = AnimalFactory(name="Bella", price=Decimal("450.00"), stock=1)
    AnimalPhotoFactory(animal=bella, alt_text="Bella, a beagle, at the shop")
    AnimalPhotoFactory(animal=bella, is_main=False)
    daisy = AnimalFactory(name="Daisy", price=Decimal("1200.50"), stock=2)
    order = order_place(quantities={bella.pk: 1, daisy.pk: 2}, user=user, **buyer_details(phone="+12125550101"))
    order_mark_paid(order_id=order.pk)
    client.force_login(user)

    with django_assert_max_num_queries(8):
        response = client.get(order.get_absolute_url())

    content = response.content.decode()
    assert "12 Market Street, Springfield" in content
    assert "https://www.openstreetmap.org/search?query=12+Market+Street%2C+Springfield" in content
    assert 'href="tel:+1 217 555 0100">(217) 555-0100</a>' in content
    assert order.collection_date.strftime("%A") in content and "10:00–18:00" in content
    assert "photo ID" in content and "carrier" in content
    assert f"{reverse('orders:calendar', args=[order.reference])}?token={order.access_token}" in content
    assert 'alt="Bella, a beagle, at the shop"' in content
    assert 'aria-label="No photo of Daisy"' in content
    assert "$1,200.50" in content and "$2,401.00" in content and "$2,851.00" in content
    assert "(212) 555-0101" in content  # the phone, formatted
    assert "Springfield, NY 12345" in content  # the address, in the US order


def test_the_paid_e_mail_gives_the_collection_details(settings):
    settings.SHOP_ADDRESS = "12 Market Street, Springfield"
    settings.SHOP_PHONE = "+1 217 555 0100"
    settings.SHOP_OPENING_HOURS = "Mon-Sun 09:30-17:00"
    order = order_place(quantities={AnimalFactory().pk: 1}, **buyer_details())
    _subject, body, html = notification_render(kind="order-paid", context={"order_id": order.pk})
    for text in (body, html):
        assert "12 Market Street, Springfield" in text
        assert "Shop phone: (217) 555-0100" in text
        assert "between 09:30 and 17:00" in text
        assert "photo ID" in text and "carrier" in text
        assert "https://www.openstreetmap.org/search?query=12+Market+Street%2C+Springfield" in text


def test_history_lists_each_order_s_animals_collection_day_and_total(client):
    user = UserFactory()
    order = order_place(
        quantities={AnimalFactory(name="Bella").pk: 1, AnimalFactory(name="Pups", stock=4).pk: 3},
        user=user,
        **buyer_details(),
    )
    client.force_login(user)
    content = client.get(reverse("accounts:orders")).content.decode()
    assert "Bella" in content and "3 × Pups" in content
    assert order.collection_date.strftime("%-d %b %Y") in content
    assert f"${order.total:,.2f}" in content
