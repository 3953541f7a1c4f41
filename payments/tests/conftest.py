import json
import secrets

import pytest
import stripe

from payments.tests.fake_stripe import FakeStripe

WEBHOOK_SECRET = "whsec_test_petshop"


@pytest.fixture
def fake_stripe(settings):
    """A local fake of Stripe's Checkout API over HTTP, with the shop's settings pointing at it.

    Webhooks wait in `fake_stripe.outbox` unless `fake_stripe.webhook_url` is set, e.g. to
    `live_server.url + reverse("payments:webhook")` for a browser journey (see fake_stripe.py).
    """
    with FakeStripe(webhook_secret=WEBHOOK_SECRET) as fake:
        settings.STRIPE_SECRET_KEY = "sk_test_petshop_fake"
        settings.STRIPE_PUBLISHABLE_KEY = "pk_test_petshop_fake"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = fake.url
        settings.STRIPE_TIMEOUT = 5
        yield fake


@pytest.fixture
def webhook_secret(settings):
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    return WEBHOOK_SECRET


def session_object(payment, **changes):
    """A checkout.session as Stripe sends it in an event, for `payment` (amounts in minor units)."""
    session = {
        "id": payment.checkout_session_id,
        "object": "checkout.session",
        "status": "complete",
        "payment_status": "paid",
        "amount_total": int(payment.amount * 100),
        "currency": payment.currency,
        "client_reference_id": payment.order.reference,
        "metadata": {"order_reference": payment.order.reference},
        "payment_intent": f"pi_test_{payment.pk}",
        "expires_at": None,
    }
    session.update(changes)
    return session


def signed(event_type, obj, *, secret=WEBHOOK_SECRET, event_id=None, timestamp=None):
    payload = json.dumps({"id": event_id or f"evt_{secrets.token_hex(8)}", "type": event_type, "data": {"object": obj}})
    return payload, stripe.WebhookSignature.generate_signature_header(payload, secret, timestamp)


@pytest.fixture
def post_event(client):
    from django.urls import reverse

    def post(event_type, obj, **kwargs):
        payload, header = signed(event_type, obj, **kwargs)
        return client.post(
            reverse("payments:webhook"), data=payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        )

    return post
