"""The demo provider: the same calls as payments.stripe_gateway, answered locally. No money moves.

A demo "session" is its Payment row plus the page at payments:demo, whose Pay, Fail and Cancel buttons run
the very same fulfilment code as Stripe's webhook. Only allowed with DEBUG or PAYMENTS_ALLOW_DEMO on
(settings.py refuses to start otherwise when no Stripe key is set).
"""

import secrets
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse

from payments.stripe_gateway import CheckoutSession, Line


def is_allowed() -> bool:
    return bool(settings.DEBUG or settings.PAYMENTS_ALLOW_DEMO)


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
    session_id = f"demo_{secrets.token_urlsafe(18)}"
    return CheckoutSession(
        id=session_id,
        url=reverse("payments:demo", args=[session_id]),
        status="open",
        payment_status="unpaid",
        amount=sum((line.unit_price * line.quantity for line in lines), Decimal("0.00")),
        currency=currency.lower(),
        reference=reference,
        payment_intent_id="",
        expires_at=expires_at,
    )


def refund_create(
    *, payment_intent_id: str, amount: Decimal, currency: str, reference: str, idempotency_key: str
) -> str:
    return f"demo_re_{secrets.token_urlsafe(12)}"
