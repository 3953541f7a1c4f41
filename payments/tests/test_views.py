"""The customer's pages: start, demo, success, cancel."""

import socket
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from orders.models import Order
from payments.models import Payment
from payments.tests.factories import PaymentFactory, make_order

pytestmark = pytest.mark.django_db


def start(client, order, token=True):
    data = {"token": order.access_token} if token else {}
    return client.post(reverse("payments:start", args=[order.reference]), data)


def test_start_with_the_demo_provider_redirects_303_to_the_demo_page(client, django_assert_max_num_queries):
    order = make_order()

    with django_assert_max_num_queries(12):
        response = start(client, order)

    payment = Payment.objects.get()
    assert response.status_code == 303
    assert response["Location"] == reverse("payments:demo", args=[payment.checkout_session_id])
    assert payment.provider == Payment.Provider.DEMO
    assert payment.checkout_session_id.startswith("demo_")
    assert payment.amount == order.total


def test_start_twice_reuses_the_open_session(client):
    order = make_order()

    first, second = start(client, order), start(client, order)

    assert first["Location"] == second["Location"]
    assert Payment.objects.count() == 1


def test_start_without_access_is_404_and_creates_nothing(client):
    order = make_order()

    response = start(client, order, token=False)

    assert response.status_code == 404
    assert not Payment.objects.exists()


def test_start_takes_only_post(client):
    order = make_order()
    assert client.get(reverse("payments:start", args=[order.reference])).status_code == 405


@pytest.mark.parametrize(
    "changes",
    [{"status": Order.Status.EXPIRED}, {"reserved_until": timezone.now() - timezone.timedelta(seconds=1)}],
    ids=["expired", "reservation-over"],
)
def test_start_for_an_order_that_can_no_longer_be_paid_goes_back_with_a_message(client, changes):
    order = make_order(**changes)

    response = start(client, order, token=True)

    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert not Payment.objects.exists()
    messages = [str(m) for m in response.wsgi_request._messages]
    assert "can no longer be paid" in messages[0]


def test_stripe_down_gives_a_clear_message_and_leaves_the_order_pending(client, fake_stripe):
    order = make_order()
    fake_stripe.fail_next(0)  # connection dropped

    response = start(client, order)

    order.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == ["Payment could not be started. Please try again."]
    assert order.status == Order.Status.PENDING_PAYMENT
    assert not Payment.objects.exists()


def test_a_retry_after_a_failure_sends_the_same_idempotency_key(client, fake_stripe):
    order = make_order()
    fake_stripe.fail_next(500)

    start(client, order)
    response = start(client, order)

    keys = [request["idempotency_key"] for request in fake_stripe.requests]
    assert keys == [f"petshop-checkout-{order.reference}-1"] * 2
    assert response.status_code == 303
    assert response["Location"].startswith(fake_stripe.url + "/checkout/cs_test_")


def test_stripe_start_sends_the_success_url_with_the_session_placeholder(client, fake_stripe):
    order = make_order(prices=(Decimal("19.99"), Decimal("5.00")))

    start(client, order)

    params = fake_stripe.requests[0]["params"]
    assert params["success_url"] == "http://testserver/payments/success/?session_id={CHECKOUT_SESSION_ID}"
    assert params["cancel_url"] == f"http://testserver/payments/cancel/{order.reference}/"
    assert params["line_items"]["0"]["price_data"]["unit_amount"] == "1999"
    assert Payment.objects.get().provider == Payment.Provider.STRIPE


def test_the_demo_page_is_clearly_marked_and_offers_three_buttons(client, django_assert_max_num_queries):
    payment = PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_abc")

    with django_assert_max_num_queries(4):
        response = client.get(reverse("payments:demo", args=["demo_abc"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Demo payment: no money moves" in content
    assert all(f'value="{action}"' in content for action in ("pay", "fail", "cancel"))
    assert payment.order.reference in content


def test_demo_pay_runs_the_fulfilment_and_lands_on_the_success_page(client, django_capture_on_commit_callbacks):
    payment = PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_pay")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:demo", args=["demo_pay"]), {"action": "pay"}, follow=False)

    payment.refresh_from_db()
    assert response["Location"] == reverse("payments:success") + "?session_id=demo_pay"
    assert payment.status == Payment.Status.PAID
    assert Order.objects.get(pk=payment.order_id).status == Order.Status.PAID
    assert len(mail.outbox) == 1


def test_demo_fail_releases_the_reservation(client):
    payment = PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_fail")

    client.post(reverse("payments:demo", args=["demo_fail"]), {"action": "fail"})

    payment.refresh_from_db()
    assert payment.status == Payment.Status.FAILED
    assert Order.objects.get(pk=payment.order_id).status == Order.Status.EXPIRED


def test_demo_cancel_goes_back_to_the_order_and_changes_nothing(client):
    payment = PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_cancel")

    response = client.post(reverse("payments:demo", args=["demo_cancel"]), {"action": "cancel"})

    payment.refresh_from_db()
    assert response["Location"] == payment.order.get_absolute_url()
    assert payment.status == Payment.Status.OPEN


def test_demo_with_an_unknown_action_changes_nothing(client):
    payment = PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_odd")

    response = client.post(reverse("payments:demo", args=["demo_odd"]), {"action": "steal"})

    payment.refresh_from_db()
    assert response.status_code == 302
    assert payment.status == Payment.Status.OPEN


def test_demo_page_is_gone_when_demo_payments_are_off(client, settings):
    settings.DEBUG = False
    settings.PAYMENTS_ALLOW_DEMO = False
    PaymentFactory(provider=Payment.Provider.DEMO, checkout_session_id="demo_off")

    assert client.get(reverse("payments:demo", args=["demo_off"])).status_code == 404


def test_demo_page_does_not_serve_stripe_sessions(client):
    PaymentFactory(checkout_session_id="cs_test_real")

    response = client.post(reverse("payments:demo", args=["cs_test_real"]), {"action": "pay"})

    assert response.status_code == 404
    assert Payment.objects.get().status == Payment.Status.OPEN


def success(client, payment, token=True):
    query = {"session_id": payment.checkout_session_id}
    if token:
        query["token"] = payment.order.access_token
    return client.get(reverse("payments:success"), query)


def test_success_while_pending_says_confirming_and_refreshes(client, django_assert_max_num_queries):
    payment = PaymentFactory()

    with django_assert_max_num_queries(4):
        response = success(client, payment)

    content = response.content.decode()
    assert "Confirming your payment" in content
    assert '<meta http-equiv="refresh" content="3">' in content
    payment.refresh_from_db()
    assert payment.status == Payment.Status.OPEN  # the return page never fulfils


def test_success_once_paid_says_payment_received_without_refresh(client):
    payment = PaymentFactory(status=Payment.Status.PAID, order=make_order(status=Order.Status.PAID))

    content = success(client, payment).content.decode()

    assert "Payment received" in content
    assert "http-equiv" not in content


def test_success_for_someone_elses_order_is_404(client):
    payment = PaymentFactory()

    assert success(client, payment, token=False).status_code == 404


def test_success_for_an_unknown_session_is_404(client):
    assert client.get(reverse("payments:success"), {"session_id": "cs_nope"}).status_code == 404
    assert client.get(reverse("payments:success")).status_code == 404


def test_start_remembers_the_order_so_the_return_pages_work_without_the_token(client):
    order = make_order()
    start(client, order)
    payment = Payment.objects.get()

    assert success(client, payment, token=False).status_code == 200
    assert client.get(reverse("payments:cancel", args=[order.reference]), follow=True).status_code == 200


def test_cancel_returns_to_the_order_offering_pay_now_and_cancel_order(client, django_assert_max_num_queries):
    order = make_order()

    with django_assert_max_num_queries(5):
        response = client.get(reverse("payments:cancel", args=[order.reference]), {"token": order.access_token})
    assert response.status_code == 302
    assert response["Location"] == order.get_absolute_url()

    response = client.get(response["Location"], {"token": order.access_token})
    content = response.content.decode()
    assert "Payment cancelled: nothing was charged." in content
    assert "Pay now" in content and "Cancel order" in content
    assert reverse("payments:start", args=[order.reference]) in content
    assert reverse("orders:cancel", args=[order.reference]) in content


def test_cancel_after_the_reservation_offers_no_payment(client):
    order = make_order(reserved_until=timezone.now() - timezone.timedelta(minutes=1))

    response = client.get(
        reverse("payments:cancel", args=[order.reference]), {"token": order.access_token}, follow=True
    )
    content = response.content

    assert b"Pay now" not in content
    assert b"Try again" in content


def test_cancel_for_someone_elses_order_is_404(client):
    order = make_order()
    assert client.get(reverse("payments:cancel", args=[order.reference])).status_code == 404


def test_stripe_timing_out_gives_a_clear_message_and_the_retry_pays(client, fake_stripe, settings):
    """A Stripe that accepts the connection but never answers: the customer is told, nothing is held twice."""
    order = make_order()
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)  # the kernel accepts the connection; nobody ever answers it
        settings.STRIPE_API_BASE = f"http://127.0.0.1:{silent.getsockname()[1]}"
        settings.STRIPE_TIMEOUT = 1
        response = start(client, order)

    order.refresh_from_db()
    assert response["Location"] == order.get_absolute_url()
    assert [str(m) for m in response.wsgi_request._messages] == ["Payment could not be started. Please try again."]
    assert order.status == Order.Status.PENDING_PAYMENT and not Payment.objects.exists()

    settings.STRIPE_API_BASE = fake_stripe.url  # Stripe answers again: the retry goes through
    retry = start(client, order)
    assert retry.status_code == 303 and retry["Location"].startswith(fake_stripe.url)
    assert [request["idempotency_key"] for request in fake_stripe.requests] == [f"petshop-checkout-{order.reference}-1"]


def test_success_says_thank_you_right_after_paying_and_not_when_reopened(client, django_capture_on_commit_callbacks):
    order = make_order()
    start(client, order)  # the visitor leaves for the (demo) payment page
    payment = Payment.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("payments:demo", args=[payment.checkout_session_id]), {"action": "pay"})

    first = success(client, payment, token=False).text
    again = success(client, payment, token=False).text

    assert "Payment received" in first and "Thank you!" in first
    assert "Payment received" in again and "Thank you!" not in again and "is paid" in again


def test_success_of_a_paid_order_opened_from_elsewhere_says_no_thank_you(client):
    payment = PaymentFactory(status=Payment.Status.PAID, order=make_order(status=Order.Status.PAID))

    content = success(client, payment).text

    assert "Payment received" in content and "Thank you!" not in content
