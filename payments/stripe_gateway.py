"""Everything the shop says to Stripe, and the only module that imports `stripe`.

It speaks in plain values (Decimal amounts, lowercase currency codes, datetimes) and turns them into
Stripe's integer minor units on the way out and back on the way in. Errors become `GatewayError` (Stripe
unreachable, timing out or refusing) or `InvalidEvent` (a webhook whose signature does not check out).
`STRIPE_API_BASE` points the client at another server, such as the fake in payments/tests/fake_stripe.py.

`stripe` is imported inside the functions that call it, not at the top: this module is loaded with the URLconf
by every web worker, and the Stripe library with its HTTP clients would sit in each worker's memory although
only checkout, refunds and the webhook use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    import stripe

# Currencies whose amounts Stripe takes as they are (no cents): https://docs.stripe.com/currencies
ZERO_DECIMAL_CURRENCIES = frozenset(
    {"bif", "clp", "djf", "gnf", "jpy", "kmf", "krw", "mga", "pyg", "rwf", "ugx", "vnd", "vuv", "xaf", "xof", "xpf"}
)


class GatewayError(Exception):
    """Stripe could not be reached, timed out or refused; the message is safe to log (no keys, no bodies)."""


class InvalidEvent(Exception):
    """A webhook body whose signature is missing, wrong or stale, or which is not an event at all."""


class MalformedEvent(InvalidEvent):
    """A correctly signed event with a field of an unexpected type: refused, and nothing is changed."""


@dataclass(frozen=True)
class Line:
    name: str
    unit_price: Decimal
    quantity: int


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str
    status: str  # open, complete, expired
    payment_status: str  # paid, unpaid, no_payment_required
    amount: Decimal | None
    currency: str
    reference: str  # the order reference it was created for (client_reference_id)
    payment_intent_id: str
    expires_at: datetime | None


@dataclass(frozen=True)
class Event:
    id: str
    type: str
    session: CheckoutSession | None  # set for checkout.session.* events


def to_minor(amount: Decimal, currency: str) -> int:
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return int((amount * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def from_minor(amount: int, currency: str) -> Decimal:
    if currency.lower() in ZERO_DECIMAL_CURRENCIES:
        return Decimal(amount).quantize(Decimal("0.01"))
    return (Decimal(amount) / 100).quantize(Decimal("0.01"))


def new_http_client() -> stripe.HTTPClient:
    """The HTTP client behind every call: plain `requests` with the configured timeout (tests swap it)."""
    import stripe

    return stripe.RequestsClient(timeout=settings.STRIPE_TIMEOUT)


def new_client() -> stripe.StripeClient:
    import stripe

    base_addresses = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY,
        base_addresses=base_addresses,
        max_network_retries=0,  # a retry is the customer's click, with the same idempotency key
        http_client=new_http_client(),
    )


def _error(action: str, error: stripe.StripeError) -> GatewayError:
    # Stripe's messages can quote request parameters; only the kind of failure and its code are kept.
    status = getattr(error, "http_status", None)
    code = getattr(error, "code", None)
    return GatewayError(f"{action} failed: {type(error).__name__} (http status {status}, code {code})")


class MalformedObject(ValueError):
    """A Stripe object whose field has an unexpected type (`amount_total: "abc"`, `currency: 5`)."""


def _field(data: dict, name: str, kind: type | tuple[type, ...], default=None):
    """`data[name]` if it is a `kind` (None or missing: `default`); anything else raises MalformedObject.

    A bool is refused where a number is expected, though Python counts it as an int."""
    value = data.get(name)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, kind):
        raise MalformedObject(f"{name} is a {type(value).__name__}")
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold it
        raise MalformedObject(f"{name} contains a NUL character")
    return value


def _session(obj) -> CheckoutSession:
    """A Checkout Session read field by field, each checked for its type: a signed event is still outside input."""
    data = obj if isinstance(obj, dict) else obj.to_dict()
    session_id = _field(data, "id", str, "")
    if not session_id:
        raise MalformedObject("id is missing")
    currency = _field(data, "currency", str, "").lower()
    amount_total = _field(data, "amount_total", int)
    payment_intent = _field(data, "payment_intent", (str, dict), "")
    if isinstance(payment_intent, dict):
        payment_intent = _field(payment_intent, "id", str, "")
    expires_at = _field(data, "expires_at", int)
    metadata = _field(data, "metadata", dict, {})
    return CheckoutSession(
        id=session_id,
        url=_field(data, "url", str, ""),
        status=_field(data, "status", str, ""),
        payment_status=_field(data, "payment_status", str, ""),
        amount=from_minor(amount_total, currency) if amount_total is not None else None,
        currency=currency,
        reference=_field(data, "client_reference_id", str, "") or _field(metadata, "order_reference", str, ""),
        payment_intent_id=payment_intent,
        expires_at=datetime.fromtimestamp(expires_at, tz=UTC) if expires_at else None,
    )


def _read_session(action: str, call) -> CheckoutSession:
    import stripe

    try:
        return _session(call())
    except stripe.StripeError as error:
        raise _error(action, error) from error
    except MalformedObject as error:
        raise GatewayError(f"{action} failed: Stripe answered a malformed session ({error})") from error


def checkout_session_create(
    *,
    reference: str,
    email: str,
    lines: list[Line],
    currency: str,
    expires_at: datetime,
    success_url: str,
    cancel_url: str,
    idempotency_key: str,
) -> CheckoutSession:
    currency = currency.lower()
    params = {
        "mode": "payment",
        "line_items": [
            {
                "quantity": line.quantity,
                "price_data": {
                    "currency": currency,
                    "unit_amount": to_minor(line.unit_price, currency),
                    "product_data": {"name": line.name},
                },
            }
            for line in lines
        ],
        "client_reference_id": reference,
        "metadata": {"order_reference": reference},
        "payment_intent_data": {"metadata": {"order_reference": reference}},
        "customer_email": email,
        "expires_at": int(expires_at.timestamp()),
        "success_url": success_url,
        "cancel_url": cancel_url,
    }
    return _read_session(
        "creating a Checkout Session",
        lambda: new_client().v1.checkout.sessions.create(params=params, options={"idempotency_key": idempotency_key}),
    )


def checkout_session_retrieve(session_id: str) -> CheckoutSession:
    return _read_session(
        "retrieving a Checkout Session", lambda: new_client().v1.checkout.sessions.retrieve(session_id)
    )


def checkout_session_expire(session_id: str) -> CheckoutSession:
    return _read_session("expiring a Checkout Session", lambda: new_client().v1.checkout.sessions.expire(session_id))


def refund_create(
    *, payment_intent_id: str, amount: Decimal, currency: str, reference: str, idempotency_key: str
) -> str:
    """Refund `amount` of a paid PaymentIntent; return Stripe's refund id."""
    import stripe

    params = {
        "payment_intent": payment_intent_id,
        "amount": to_minor(amount, currency),
        "metadata": {"order_reference": reference},
    }
    try:
        refund = new_client().v1.refunds.create(params=params, options={"idempotency_key": idempotency_key})
    except stripe.StripeError as error:
        raise _error("creating a refund", error) from error
    return refund.id


def parse_event(body: bytes, signature: str) -> Event:
    """Check the `Stripe-Signature` header against STRIPE_WEBHOOK_SECRET on the raw body, then read the event."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret or not signature:
        raise InvalidEvent("missing signature or webhook secret")
    import stripe

    try:
        payload = body.decode("utf-8")
        stripe.WebhookSignature.verify_header(payload, signature, secret, stripe.Webhook.DEFAULT_TOLERANCE)
        data = json.loads(payload)
        event_id, event_type, obj = data["id"], data["type"], data["data"]["object"]
    except (stripe.SignatureVerificationError, UnicodeDecodeError, ValueError, KeyError, TypeError) as error:
        raise InvalidEvent(type(error).__name__) from error
    try:
        if not isinstance(event_id, str) or not isinstance(event_type, str) or "\x00" in event_id + event_type:
            raise MalformedObject("the event id or type is not a plain string")
        is_session = isinstance(obj, dict) and obj.get("object") == "checkout.session"
        return Event(id=event_id, type=event_type, session=_session(obj) if is_session else None)
    except MalformedObject as error:
        raise MalformedEvent(str(error)) from error
