"""Whole journeys over real HTTP: the shop on a live server, Stripe played by the local fake."""

from decimal import Decimal

import pytest
import requests
from django.core import mail
from django.urls import reverse

from orders.models import Order
from payments.models import Payment
from payments.services import payment_refund
from payments.tests.factories import make_order

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def shop(fake_stripe, live_server):
    fake_stripe.webhook_url = live_server.url + reverse("payments:webhook")
    return fake_stripe


def go_to_checkout(client, order):
    response = client.post(reverse("payments:start", args=[order.reference]), {"token": order.access_token})
    assert response.status_code == 303
    return response["Location"]


def test_pay_on_the_hosted_page_then_webhook_then_refund(shop, client):
    order = make_order(prices=(Decimal("120.50"),))
    page = go_to_checkout(client, order)
    assert "Fake Stripe Checkout" in requests.get(page, timeout=5).text

    answer = requests.post(page, data={"action": "pay"}, allow_redirects=False, timeout=10)

    order.refresh_from_db()
    assert answer.status_code == 303
    assert "session_id=cs_test_" in answer.headers["Location"]
    assert order.status == Order.Status.PAID  # the signed webhook reached the live server
    assert any(order.reference in message.subject for message in mail.outbox)
    success = client.get(answer.headers["Location"].removeprefix("http://testserver"))
    assert b"Payment received" in success.content

    payment_refund(payment_id=Payment.objects.get().pk)

    order.refresh_from_db()
    assert order.status == Order.Status.REFUNDED
    assert shop.refunds[0]["amount"] == 12050


def test_an_async_payment_is_confirmed_by_the_second_event(shop, client):
    order = make_order()
    page = go_to_checkout(client, order)

    requests.post(page, data={"action": "pay_async"}, allow_redirects=False, timeout=10)

    order.refresh_from_db()
    assert order.status == Order.Status.PAID


def test_expire_on_the_hosted_page_releases_the_animals(shop, client):
    order = make_order()
    page = go_to_checkout(client, order)

    answer = requests.post(page, data={"action": "expire"}, allow_redirects=False, timeout=10)

    order.refresh_from_db()
    assert answer.headers["Location"].endswith(reverse("payments:cancel", args=[order.reference]))
    assert order.status == Order.Status.EXPIRED
    assert order.items.get().animal.stock == 1
    assert Payment.objects.get().status == Payment.Status.EXPIRED
