"""Services that the views and the webhook build on: expiry, refunds, reconcile, the command and settings."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from payments.models import Payment, Refund
from payments.services import RefundError, payment_reconcile, payment_refund, payment_start, session_expiry
from payments.tests.factories import PaymentFactory, make_order

NOW = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)


def test_session_expiry_is_the_reservation_when_stripe_allows_it():
    assert session_expiry(reserved_until=NOW + timedelta(hours=2), now=NOW) == NOW + timedelta(hours=2)


def test_session_expiry_is_at_least_thirty_minutes_and_stable_for_a_retry():
    reserved = NOW + timedelta(minutes=29, seconds=50)

    first = session_expiry(reserved_until=reserved, now=NOW)
    retry = session_expiry(reserved_until=reserved, now=NOW + timedelta(seconds=40))

    assert first >= NOW + timedelta(minutes=31)
    assert first == retry


def test_session_expiry_is_at_most_twenty_four_hours():
    assert session_expiry(reserved_until=NOW + timedelta(days=3), now=NOW) < NOW + timedelta(hours=24)


@pytest.mark.django_db
def test_payment_start_opens_a_new_attempt_only_after_the_previous_session_ended():
    order = make_order()
    first = payment_start(order=order, success_url="http://t/s", cancel_url="http://t/c")
    first.status = Payment.Status.EXPIRED
    first.save()

    second = payment_start(order=order, success_url="http://t/s", cancel_url="http://t/c")

    assert (first.attempt, second.attempt) == (1, 2)
    assert second.checkout_session_id != first.checkout_session_id


@pytest.fixture
def paid_payment(db):
    order = make_order(prices=(Decimal("300.00"), Decimal("50.00")), status=Order.Status.PAID)
    return PaymentFactory(order=order, provider=Payment.Provider.DEMO, status=Payment.Status.PAID)


@pytest.mark.django_db
def test_refund_of_chosen_lines_with_restock(paid_payment, django_capture_on_commit_callbacks):
    line = paid_payment.order.items.get(unit_price=Decimal("50.00"))

    with django_capture_on_commit_callbacks(execute=True):
        refund = payment_refund(payment_id=paid_payment.pk, item_ids=[line.pk], restock=True)

    paid_payment.refresh_from_db()
    line.refresh_from_db()
    line.animal.refresh_from_db()
    assert refund.amount == Decimal("50.00")
    assert refund.restocked
    assert line.is_refunded
    assert line.animal.stock == 1
    assert paid_payment.status == Payment.Status.PARTIALLY_REFUNDED
    assert Order.objects.get(pk=paid_payment.order_id).status == Order.Status.PAID


@pytest.mark.django_db
def test_whole_refund_without_restock_leaves_stock_alone(paid_payment):
    payment_refund(payment_id=paid_payment.pk)

    paid_payment.refresh_from_db()
    assert paid_payment.status == Payment.Status.REFUNDED
    assert paid_payment.refunded_amount == Decimal("350.00")
    assert Order.objects.get(pk=paid_payment.order_id).status == Order.Status.REFUNDED
    assert all(item.animal.stock == 0 for item in paid_payment.order.items.select_related("animal"))


@pytest.mark.django_db
def test_refund_of_an_unpaid_payment_is_refused():
    payment = PaymentFactory()
    with pytest.raises(RefundError):
        payment_refund(payment_id=payment.pk)
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_a_stripe_refund_carries_an_idempotency_key_and_a_failure_changes_nothing(fake_stripe):
    order = make_order(status=Order.Status.PAID)
    payment = PaymentFactory(order=order, status=Payment.Status.PAID, payment_intent_id="pi_test_9")
    fake_stripe.sessions["cs"] = {"payment_intent": "pi_test_9", "amount_total": 35000}
    fake_stripe.fail_next(503)

    with pytest.raises(RefundError):
        payment_refund(payment_id=payment.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert not Refund.objects.exists()

    payment_refund(payment_id=payment.pk)
    keys = {request["idempotency_key"] for request in fake_stripe.requests}
    assert len(keys) == 1 and keys.pop().startswith(f"petshop-refund-{payment.checkout_session_id}-")
    assert fake_stripe.refunds[0]["amount"] == 35000


# The staff refund pages are on the order's admin page now: orders/tests/test_admin_actions.py.


@pytest.mark.django_db
def test_reconcile_fulfils_a_session_paid_without_a_webhook(fake_stripe, client):
    order = make_order(reserved_until=timezone.now() + timedelta(minutes=40))
    client.post(reverse("payments:start", args=[order.reference]), {"token": order.access_token})
    payment = Payment.objects.get()
    fake_stripe.pay(payment.checkout_session_id)  # the webhook stays in the outbox, never delivered

    counts = payment_reconcile(now=timezone.now() + timedelta(hours=1))

    order.refresh_from_db()
    assert counts["paid"] == 1
    assert order.status == Order.Status.PAID


@pytest.mark.django_db
def test_reconcile_expires_an_open_session_past_the_reservation(fake_stripe, client):
    order = make_order()
    client.post(reverse("payments:start", args=[order.reference]), {"token": order.access_token})
    payment = Payment.objects.get()

    call_command("reconcile_payments")  # nothing is overdue yet
    assert fake_stripe.sessions[payment.checkout_session_id]["status"] == "open"
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(seconds=1))
    call_command("reconcile_payments")

    order.refresh_from_db()
    payment.refresh_from_db()
    assert fake_stripe.sessions[payment.checkout_session_id]["status"] == "expired"
    assert payment.status == Payment.Status.EXPIRED
    assert order.status == Order.Status.EXPIRED
    assert order.items.get().animal.stock == 1


@pytest.mark.django_db
def test_reconcile_expires_overdue_demo_sessions():
    payment = PaymentFactory(provider=Payment.Provider.DEMO, expires_at=timezone.now() - timedelta(minutes=1))

    assert payment_reconcile()["expired"] == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED


@pytest.mark.django_db
def test_reconcile_with_stripe_down_changes_nothing_and_says_so(fake_stripe):
    payment = PaymentFactory(expires_at=timezone.now() - timedelta(minutes=1))
    fake_stripe.fail_next(500)

    assert payment_reconcile()["failed"] == 1
    payment.refresh_from_db()
    assert payment.status == Payment.Status.OPEN


def run_setup(**environment):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("STRIPE_", "PAYMENTS_", "DEBUG"))}
    env.update({"DJANGO_SETTINGS_MODULE": "petshop.settings", "SECRET_KEY": "k" * 50, "DEBUG": "false"})
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_start_up_without_stripe_keys_or_demo_fails_naming_the_settings():
    result = run_setup(STRIPE_SECRET_KEY="", PAYMENTS_ALLOW_DEMO="false")

    assert result.returncode != 0
    for name in ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET", "PAYMENTS_ALLOW_DEMO"):
        assert name in result.stderr


def test_start_up_with_demo_allowed_works():
    assert run_setup(STRIPE_SECRET_KEY="", PAYMENTS_ALLOW_DEMO="true").returncode == 0


def test_start_up_refuses_another_api_base_with_a_live_key():
    result = run_setup(STRIPE_SECRET_KEY="sk_live_x", STRIPE_API_BASE="http://127.0.0.1:1")

    assert result.returncode != 0
    assert "STRIPE_API_BASE" in result.stderr and "STRIPE_SECRET_KEY" in result.stderr
