"""Signed webhook deliveries through Django's test client, one rule each."""

import threading
import time
from decimal import Decimal

import pytest
import stripe
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from orders.models import Order
from payments.models import Payment, Refund, WebhookEvent
from payments.tests.conftest import session_object, signed
from payments.tests.factories import PaymentFactory, make_order

pytestmark = pytest.mark.django_db

COMPLETED = "checkout.session.completed"


@pytest.fixture(autouse=True)
def _secret(webhook_secret):
    return webhook_secret


def reload(*objects):
    for obj in objects:
        obj.refresh_from_db()


def test_completed_and_paid_marks_the_order_paid_and_sends_the_confirmation(
    post_event, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    payment = PaymentFactory()

    # The ceiling counts the outbox row and, eager in tests, its delivery (a worker's queries in production).
    with django_capture_on_commit_callbacks(execute=True), django_assert_max_num_queries(22):
        response = post_event(COMPLETED, session_object(payment))

    reload(payment, payment.order)
    assert response.status_code == 200
    assert payment.status == Payment.Status.PAID
    assert payment.payment_intent_id == f"pi_test_{payment.pk}"
    assert payment.order.status == Order.Status.PAID
    assert [message.to for message in mail.outbox] == [[payment.order.email]]


def test_a_repeated_event_answers_200_and_does_nothing(post_event, django_capture_on_commit_callbacks):
    payment = PaymentFactory()
    obj = session_object(payment)

    with django_capture_on_commit_callbacks(execute=True):
        first = post_event(COMPLETED, obj, event_id="evt_same")
        second = post_event(COMPLETED, obj, event_id="evt_same")

    assert (first.status_code, second.status_code) == (200, 200)
    assert WebhookEvent.objects.filter(event_id="evt_same").count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    "sign_with",
    [
        {"secret": "whsec_wrong"},
        {"timestamp": int(time.time()) - 301},
    ],
    ids=["wrong-secret", "stale-timestamp"],
)
def test_a_bad_signature_gets_400_and_changes_nothing(client, sign_with):
    payment = PaymentFactory()
    payload, header = signed(COMPLETED, session_object(payment), **sign_with)

    response = client.post(
        reverse("payments:webhook"), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    reload(payment, payment.order)
    assert response.status_code == 400
    assert payment.status == Payment.Status.OPEN
    assert payment.order.status == Order.Status.PENDING_PAYMENT
    assert not WebhookEvent.objects.exists()


def test_a_missing_signature_gets_400(client):
    payment = PaymentFactory()
    payload, _ = signed(COMPLETED, session_object(payment))

    response = client.post(reverse("payments:webhook"), data=payload, content_type="application/json")

    reload(payment)
    assert response.status_code == 400
    assert payment.status == Payment.Status.OPEN


def test_the_webhook_takes_only_post(client):
    assert client.get(reverse("payments:webhook")).status_code == 405


def test_completed_while_unpaid_waits_for_the_async_event(post_event, django_capture_on_commit_callbacks):
    payment = PaymentFactory()

    post_event(COMPLETED, session_object(payment, payment_status="unpaid"))
    reload(payment, payment.order)
    assert payment.status == Payment.Status.OPEN
    assert payment.order.status == Order.Status.PENDING_PAYMENT

    with django_capture_on_commit_callbacks(execute=True):
        post_event("checkout.session.async_payment_succeeded", session_object(payment))
    reload(payment, payment.order)
    assert payment.status == Payment.Status.PAID
    assert payment.order.status == Order.Status.PAID
    assert len(mail.outbox) == 1


@pytest.mark.parametrize(
    ("event_type", "status"),
    [
        ("checkout.session.async_payment_failed", Payment.Status.FAILED),
        ("checkout.session.expired", Payment.Status.EXPIRED),
    ],
)
def test_failed_or_expired_releases_the_stock(post_event, event_type, status):
    payment = PaymentFactory()
    animal = payment.order.items.get().animal

    response = post_event(event_type, session_object(payment, status="expired", payment_status="unpaid"))

    reload(payment, payment.order, animal)
    assert response.status_code == 200
    assert payment.status == status
    assert payment.order.status == Order.Status.EXPIRED
    assert animal.stock == 1


def test_expired_after_paid_never_moves_the_order_backwards(post_event):
    payment = PaymentFactory()
    animal = payment.order.items.get().animal
    post_event(COMPLETED, session_object(payment))

    post_event("checkout.session.expired", session_object(payment, status="expired"))
    post_event("checkout.session.async_payment_failed", session_object(payment))

    reload(payment, payment.order, animal)
    assert payment.status == Payment.Status.PAID
    assert payment.order.status == Order.Status.PAID
    assert animal.stock == 0


def test_async_success_before_completed_is_fulfilled_once(post_event, django_capture_on_commit_callbacks):
    payment = PaymentFactory()

    with django_capture_on_commit_callbacks(execute=True):
        post_event("checkout.session.async_payment_succeeded", session_object(payment))
        post_event(COMPLETED, session_object(payment, payment_status="unpaid"))
        post_event(COMPLETED, session_object(payment))

    reload(payment.order)
    assert payment.order.status == Order.Status.PAID
    assert len(mail.outbox) == 1


def test_an_expired_session_does_not_release_an_order_with_a_newer_open_session(post_event):
    old = PaymentFactory(status=Payment.Status.OPEN, expires_at=timezone.now() - timezone.timedelta(minutes=1))
    PaymentFactory(order=old.order, attempt=2)

    post_event("checkout.session.expired", session_object(old, status="expired", payment_status="unpaid"))

    reload(old, old.order)
    assert old.status == Payment.Status.EXPIRED
    assert old.order.status == Order.Status.PENDING_PAYMENT


@pytest.mark.parametrize(
    "changes",
    [{"amount_total": 100}, {"currency": "eur"}, {"client_reference_id": "PS-OTHER1", "metadata": {}}],
    ids=["amount", "currency", "other-order"],
)
def test_a_mismatch_answers_200_and_changes_nothing(post_event, changes):
    payment = PaymentFactory()

    response = post_event(COMPLETED, session_object(payment, **changes))

    reload(payment, payment.order)
    assert response.status_code == 200
    assert payment.status == Payment.Status.OPEN
    assert payment.order.status == Order.Status.PENDING_PAYMENT


def test_an_unknown_session_answers_200(post_event):
    payment = PaymentFactory.build(checkout_session_id="cs_test_nobody", order=make_order())

    response = post_event(COMPLETED, session_object(payment))

    assert response.status_code == 200
    assert not Payment.objects.exists()


def test_an_event_type_the_shop_does_not_use_is_ignored(post_event):
    payment = PaymentFactory()

    response = post_event("customer.created", {"id": "cus_1", "object": "customer"})
    other = post_event("checkout.session.async_payment_failed", {"id": "pi_1", "object": "payment_intent"})

    reload(payment)
    assert (response.status_code, other.status_code) == (200, 200)
    assert not WebhookEvent.objects.exists()
    assert payment.status == Payment.Status.OPEN


def test_a_late_payment_reserves_the_animals_again_when_they_are_still_there(post_event):
    payment = PaymentFactory()
    order, animal = payment.order, payment.order.items.get().animal
    from orders.services import order_expire

    order_expire(order_id=order.pk)
    reload(animal)
    assert animal.stock == 1

    post_event(COMPLETED, session_object(payment))

    reload(order, animal, payment)
    assert order.status == Order.Status.PAID
    assert animal.stock == 0
    assert payment.status == Payment.Status.PAID


def test_a_late_payment_for_animals_sold_since_is_refunded_and_the_customer_told(
    fake_stripe, post_event, django_capture_on_commit_callbacks
):
    payment = PaymentFactory()
    order, animal = payment.order, payment.order.items.get().animal
    from orders.services import order_expire

    order_expire(order_id=order.pk)
    animal.stock = 0  # sold to someone else in the meantime
    animal.save()
    fake_stripe.sessions[payment.checkout_session_id] = {
        "payment_intent": f"pi_test_{payment.pk}",
        "amount_total": 35000,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = post_event(COMPLETED, session_object(payment))

    reload(order, payment)
    assert response.status_code == 200
    assert order.status == Order.Status.REFUNDED
    assert payment.status == Payment.Status.REFUNDED
    assert payment.refunded_amount == Decimal("350.00")
    refund = Refund.objects.get()
    assert refund.provider_refund_id.startswith("re_test_")
    assert fake_stripe.refunds[0]["amount"] == 35000
    assert [r["idempotency_key"] for r in fake_stripe.requests] == [
        f"petshop-refund-{payment.checkout_session_id}-auto"
    ]
    assert any("refunded" in message.subject for message in mail.outbox)
    assert Notification.objects.get(kind="late-payment-refunded").to == order.email


def test_a_refund_stripe_refuses_answers_503_so_stripe_retries(fake_stripe, post_event):
    payment = PaymentFactory()
    order = payment.order
    from orders.services import order_expire

    order_expire(order_id=order.pk)
    order.items.update(animal=None)  # the animal is gone for good
    fake_stripe.fail_next(500)

    response = post_event(COMPLETED, session_object(payment), event_id="evt_retry")

    reload(order, payment)
    assert response.status_code == 503
    assert payment.status == Payment.Status.OPEN
    assert order.status == Order.Status.EXPIRED
    assert not WebhookEvent.objects.filter(event_id="evt_retry").exists()


def test_a_second_payment_for_an_already_paid_order_is_refunded(fake_stripe, post_event):
    first = PaymentFactory(expires_at=timezone.now() - timezone.timedelta(minutes=1))
    second = PaymentFactory(order=first.order, attempt=2)
    post_event(COMPLETED, session_object(second))
    fake_stripe.sessions["x"] = {"payment_intent": f"pi_test_{first.pk}", "amount_total": 35000}

    post_event(COMPLETED, session_object(first))

    reload(first, second, first.order)
    assert second.status == Payment.Status.PAID
    assert first.status == Payment.Status.REFUNDED
    assert first.order.status == Order.Status.PAID


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_of_one_event_at_the_same_moment_fulfil_once(require_postgres, live_server, webhook_secret):
    import urllib.request

    payment = PaymentFactory()
    payload, header = signed(COMPLETED, session_object(payment), event_id="evt_race")
    barrier = threading.Barrier(2)
    statuses = []

    def deliver():
        request = urllib.request.Request(
            live_server.url + reverse("payments:webhook"),
            data=payload.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": header},
        )
        barrier.wait()
        with urllib.request.urlopen(request, timeout=10) as response:
            statuses.append(response.status)

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    payment.refresh_from_db()
    assert statuses == [200, 200]
    assert WebhookEvent.objects.filter(event_id="evt_race").count() == 1
    assert payment.status == Payment.Status.PAID
    assert Order.objects.get(pk=payment.order_id).status == Order.Status.PAID
    assert len(mail.outbox) == 1  # one confirmation: one fulfilment
    assert connection.vendor == "postgresql"


@pytest.mark.parametrize(
    "changes",
    [
        {"amount_total": "abc"},
        {"currency": 5},
        {"amount_total": True},
        {"payment_status": ["paid"]},
        {"client_reference_id": {"x": 1}},
        {"metadata": "order"},
        {"payment_intent": 7},
        {"expires_at": "tomorrow"},
        {"id": 12},
        {"id": "cs_\u0000"},
        {"client_reference_id": "PS-\u0000"},
    ],
)
def test_a_signed_event_with_wrongly_typed_fields_is_refused_logged_and_changes_nothing(
    post_event, caplog, django_capture_on_commit_callbacks, changes
):
    payment = PaymentFactory()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("ERROR", logger="payments.views"):
        response = post_event(COMPLETED, session_object(payment, **changes), event_id="evt_odd")

    reload(payment, payment.order)
    assert response.status_code == 400
    assert payment.status == Payment.Status.OPEN
    assert payment.order.status == Order.Status.PENDING_PAYMENT
    assert not WebhookEvent.objects.filter(event_id="evt_odd").exists()
    assert mail.outbox == []
    assert any("webhook event malformed" in record.getMessage() for record in caplog.records)


def test_a_signed_event_whose_id_is_not_a_string_is_refused(client):
    from payments.tests.conftest import WEBHOOK_SECRET

    payload = '{"id": 5, "type": "checkout.session.completed", "data": {"object": {}}}'
    header = stripe.WebhookSignature.generate_signature_header(payload, WEBHOOK_SECRET)
    response = client.post(
        reverse("payments:webhook"), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()
