"""What goes to the logs: failures at warning level, and never a secret or a full token."""

import logging

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from animals.tests.factories import AnimalFactory
from orders.models import Order
from orders.services import CheckoutError, order_place
from orders.tests.conftest import buyer_details
from orders.tests.test_views import checkout_token, fill_cart, form_data
from petshop.logging import KeyValueFormatter

pytestmark = pytest.mark.django_db


def test_a_checkout_refused_for_stock_is_logged_as_a_warning(caplog):
    sold = AnimalFactory(stock=0)
    with caplog.at_level(logging.INFO), pytest.raises(CheckoutError):
        order_place(quantities={sold.pk: 1}, **buyer_details())
    [record] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.name == "orders.services" and record.animal_id == sold.pk


def test_a_failed_login_is_logged_as_a_warning_without_the_password(client, caplog):
    user = UserFactory()
    with caplog.at_level(logging.INFO):
        client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong-" + PASSWORD})
    assert any(r.levelno == logging.WARNING and "login failure" in r.getMessage() for r in caplog.records)
    assert "wrong-" + PASSWORD not in caplog.text


def test_checkout_and_payment_log_no_secret_or_token(client, caplog):
    animal = AnimalFactory(stock=1)
    fill_cart(client, {animal.pk: 1})
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("orders:checkout"), form_data(checkout_token(client)))
        client.post(response["Location"], {"action": "pay"})
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    lines = "\n".join(KeyValueFormatter().format(record) for record in caplog.records)  # as written to stdout
    assert f"order='{order.reference}'" in lines  # the logs do name the order ...
    assert order.access_token not in lines  # ... but never its access token
    assert settings.SECRET_KEY not in lines
