"""The Stripe calls as they would go over the wire, with a fake HTTP client injected into StripeClient."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qs

import pytest
import stripe

from payments import stripe_gateway
from payments.stripe_gateway import GatewayError, InvalidEvent, Line
from payments.tests.conftest import WEBHOOK_SECRET, signed

SESSION = {
    "id": "cs_test_1",
    "object": "checkout.session",
    "url": "https://checkout.stripe.test/c/1",
    "status": "open",
    "payment_status": "unpaid",
    "amount_total": 73998,
    "currency": "usd",
    "client_reference_id": "PS-ABC234",
    "payment_intent": None,
    "expires_at": 1900000000,
}


class RecordingHTTPClient(stripe.HTTPClient):
    name = "recording"

    def __init__(self, responses=None, error=None):
        super().__init__()
        self.calls = []
        self.responses = list(responses or [])
        self.error = error

    def request(self, method, url, headers, post_data=None, *, _usage=None):
        self.calls.append({"method": method, "url": url, "headers": dict(headers or {}), "data": post_data})
        if self.error:
            raise self.error
        body, status = self.responses.pop(0) if self.responses else (SESSION, 200)
        return json.dumps(body), status, {}

    def close(self):
        pass


@pytest.fixture
def http(settings, monkeypatch):
    settings.STRIPE_SECRET_KEY = "sk_test_gateway"
    settings.STRIPE_API_BASE = ""
    client = RecordingHTTPClient()
    monkeypatch.setattr(stripe_gateway, "new_http_client", lambda: client)
    return client


def create(**overrides):
    arguments = {
        "reference": "PS-ABC234",
        "email": "buyer@example.com",
        "lines": [Line("Rex", Decimal("349.99"), 2), Line("Tom", Decimal("40.00"), 1)],
        "currency": "USD",
        "expires_at": datetime(2030, 1, 1, 12, 0, tzinfo=UTC),
        "success_url": "http://shop.test/payments/success/?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": "http://shop.test/payments/cancel/PS-ABC234/",
        "idempotency_key": "petshop-checkout-PS-ABC234-1",
    }
    arguments.update(overrides)
    return stripe_gateway.checkout_session_create(**arguments)


def test_checkout_session_sends_minor_units_metadata_expiry_and_idempotency_key(http):
    session = create()

    call = http.calls[0]
    sent = {key: values[0] for key, values in parse_qs(call["data"]).items()}
    assert call["method"] == "post"
    assert call["url"] == "https://api.stripe.com/v1/checkout/sessions"
    assert call["headers"]["Idempotency-Key"] == "petshop-checkout-PS-ABC234-1"
    assert sent["mode"] == "payment"
    assert sent["line_items[0][price_data][unit_amount]"] == "34999"
    assert sent["line_items[0][quantity]"] == "2"
    assert sent["line_items[0][price_data][currency]"] == "usd"
    assert sent["line_items[0][price_data][product_data][name]"] == "Rex"
    assert sent["line_items[1][price_data][unit_amount]"] == "4000"
    assert sent["client_reference_id"] == "PS-ABC234"
    assert sent["metadata[order_reference]"] == "PS-ABC234"
    assert sent["payment_intent_data[metadata][order_reference]"] == "PS-ABC234"
    assert sent["customer_email"] == "buyer@example.com"
    assert sent["expires_at"] == str(int(datetime(2030, 1, 1, 12, 0, tzinfo=UTC).timestamp()))
    assert sent["success_url"].endswith("?session_id={CHECKOUT_SESSION_ID}")
    assert session.id == "cs_test_1"
    assert session.amount == Decimal("739.98")
    assert session.reference == "PS-ABC234"


def test_zero_decimal_currency_is_not_multiplied(http):
    create(currency="jpy", lines=[Line("Koi", Decimal("5000"), 1)])

    sent = parse_qs(http.calls[0]["data"])
    assert sent["line_items[0][price_data][unit_amount]"] == ["5000"]
    assert sent["line_items[0][price_data][currency]"] == ["jpy"]


@pytest.mark.parametrize(
    ("amount", "currency", "minor"),
    [
        (Decimal("19.99"), "usd", 1999),
        (Decimal("0.005"), "eur", 1),
        (Decimal("1234"), "JPY", 1234),
        (Decimal("0"), "usd", 0),
    ],
)
def test_to_minor(amount, currency, minor):
    assert stripe_gateway.to_minor(amount, currency) == minor


def test_api_base_points_the_client_at_another_server(http, settings):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"
    stripe_gateway.checkout_session_retrieve("cs_test_1")

    assert http.calls[0]["url"] == "http://127.0.0.1:9/v1/checkout/sessions/cs_test_1"
    assert http.calls[0]["method"] == "get"


def test_network_failure_becomes_gateway_error_without_the_key(http):
    http.error = stripe.APIConnectionError("connection refused for sk_test_gateway")

    with pytest.raises(GatewayError) as caught:
        create()

    assert "sk_test_gateway" not in str(caught.value)
    assert "APIConnectionError" in str(caught.value)
    assert len(http.calls) == 1  # no retries: the customer's next click retries with the same key


def test_stripe_error_answer_becomes_gateway_error(http):
    http.responses = [({"error": {"type": "api_error", "message": "boom"}}, 500)]

    with pytest.raises(GatewayError):
        create()


def test_refund_sends_amount_in_minor_units_with_idempotency_key(http):
    http.responses = [({"id": "re_1", "object": "refund", "amount": 4000}, 200)]

    refund_id = stripe_gateway.refund_create(
        payment_intent_id="pi_1", amount=Decimal("40.00"), currency="usd", reference="PS-1", idempotency_key="k-1"
    )

    sent = parse_qs(http.calls[0]["data"])
    assert refund_id == "re_1"
    assert http.calls[0]["url"].endswith("/v1/refunds")
    assert sent["amount"] == ["4000"]
    assert sent["payment_intent"] == ["pi_1"]
    assert http.calls[0]["headers"]["Idempotency-Key"] == "k-1"


def test_parse_event_reads_a_signed_session_event(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload, header = signed("checkout.session.completed", {**SESSION, "payment_status": "paid"}, event_id="evt_1")

    event = stripe_gateway.parse_event(payload.encode(), header)

    assert event.id == "evt_1"
    assert event.type == "checkout.session.completed"
    assert event.session.payment_status == "paid"
    assert event.session.amount == Decimal("739.98")


@pytest.mark.parametrize(
    "tamper",
    [
        lambda payload, header: (payload, ""),
        lambda payload, header: (payload + " ", header),
        lambda payload, header: (payload, "t=1,v1=deadbeef"),
        lambda payload, header: (payload, "garbage"),
    ],
    ids=["missing", "tampered-body", "wrong-signature", "malformed"],
)
def test_parse_event_refuses_bad_signatures(settings, tamper):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    payload, header = tamper(*signed("checkout.session.completed", SESSION))

    with pytest.raises(InvalidEvent):
        stripe_gateway.parse_event(payload.encode(), header)


def test_parse_event_refuses_everything_without_a_configured_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = ""
    payload, header = signed("checkout.session.completed", SESSION, secret="")

    with pytest.raises(InvalidEvent):
        stripe_gateway.parse_event(payload.encode(), header)
