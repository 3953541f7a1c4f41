"""Every change to payments: starting a checkout, fulfilling it, releasing it, refunding, reconciling.

The provider is Stripe when STRIPE_SECRET_KEY is set, otherwise the local demo provider; both answer the same
calls (payments.stripe_gateway, payments.demo). `payment_fulfil` is the single fulfilment path: the webhook,
the demo page and the reconcile job all call it, and it is safe to call many times, also at once.
"""

import hashlib
import logging
import math
from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from notifications.services import notification_queue
from orders.models import Order
from orders.services import (
    HOLDS_STOCK,
    OrderError,
    order_expire,
    order_mark_paid,
    order_record_refund,
    refundable_lines,
)
from payments import demo, stripe_gateway
from payments.models import Payment, Refund, WebhookEvent
from payments.stripe_gateway import GatewayError
from petshop.money import format_money

logger = logging.getLogger(__name__)

PROVIDERS = {Payment.Provider.STRIPE: stripe_gateway, Payment.Provider.DEMO: demo}

# Stripe takes a Checkout Session expiry between 30 minutes and 24 hours after creation.
SESSION_MIN_LIFETIME = timedelta(minutes=30)
SESSION_MAX_LIFETIME = timedelta(hours=24)
SESSION_SAFETY_MARGIN = timedelta(minutes=1)
SESSION_EXPIRY_STEP = timedelta(minutes=10)

SESSION_COMPLETED = "checkout.session.completed"
SESSION_ASYNC_SUCCEEDED = "checkout.session.async_payment_succeeded"
SESSION_ASYNC_FAILED = "checkout.session.async_payment_failed"
SESSION_EXPIRED = "checkout.session.expired"
HANDLED_EVENTS = {SESSION_COMPLETED, SESSION_ASYNC_SUCCEEDED, SESSION_ASYNC_FAILED, SESSION_EXPIRED}


class PaymentError(Exception):
    """A message a customer or staff member can read; nothing was changed."""


class PaymentStartError(PaymentError):
    pass


class RefundError(PaymentError):
    pass


def current_provider() -> str:
    return Payment.Provider.STRIPE if settings.STRIPE_SECRET_KEY else Payment.Provider.DEMO


def session_expiry(*, reserved_until: datetime, now: datetime) -> datetime:
    """The order's reservation end, clamped to what Stripe accepts.

    When the reservation ends sooner than Stripe allows, the expiry is stepped up from it in whole
    10-minute steps, so a retry a moment later asks for the same expiry under the same idempotency key.
    """
    earliest = now + SESSION_MIN_LIFETIME + SESSION_SAFETY_MARGIN
    latest = now + SESSION_MAX_LIFETIME - SESSION_SAFETY_MARGIN
    if reserved_until >= earliest:
        return min(reserved_until, latest)
    steps = math.ceil((earliest - reserved_until) / SESSION_EXPIRY_STEP)
    return reserved_until + steps * SESSION_EXPIRY_STEP


def _reusable(payment: Payment | None, provider: str, now: datetime) -> bool:
    return (
        payment is not None
        and payment.status == Payment.Status.OPEN
        and payment.provider == provider
        and bool(payment.checkout_url)
        and (payment.expires_at is None or payment.expires_at > now + SESSION_SAFETY_MARGIN)
    )


def payment_start(*, order: Order, success_url: str, cancel_url: str) -> Payment:
    """Open a checkout for a pending order (or reuse its open one) and return its Payment.

    `success_url` should carry `?session_id={CHECKOUT_SESSION_ID}`. The idempotency key depends only on the
    order and the attempt, and the attempt grows only once the previous session has ended, so a retry after
    a network failure sends the same key and can never open (or charge) a second session.
    """
    now = timezone.now()
    if not order.is_pending or order.reserved_until <= now:
        raise PaymentStartError("This order can no longer be paid: its reservation has ended.")
    provider = current_provider()
    if provider == Payment.Provider.DEMO and not demo.is_allowed():
        raise PaymentStartError("Payments are not available at the moment.")
    latest = order.payments.order_by("-attempt").first()
    if _reusable(latest, provider, now):
        return latest
    attempt = latest.attempt + 1 if latest else 1
    lines = [
        stripe_gateway.Line(name=item.animal_name, unit_price=item.unit_price, quantity=item.quantity)
        for item in order.items.all()
    ]
    try:
        session = PROVIDERS[provider].checkout_session_create(
            reference=order.reference,
            email=order.email,
            lines=lines,
            currency=order.currency,
            expires_at=session_expiry(reserved_until=order.reserved_until, now=now),
            success_url=success_url,
            cancel_url=cancel_url,
            idempotency_key=f"petshop-checkout-{order.reference}-{attempt}",
        )
    except GatewayError as error:
        logger.warning("payment start failed: %s", error, extra={"order": order.reference, "attempt": attempt})
        raise PaymentStartError("Payment could not be started. Please try again.") from error
    try:
        with transaction.atomic():
            return Payment.objects.create(
                order=order,
                provider=provider,
                attempt=attempt,
                checkout_session_id=session.id,
                checkout_url=session.url,
                amount=order.total,
                currency=order.currency.lower(),
                expires_at=session.expires_at,
            )
    except IntegrityError:
        # A double click: the same idempotency key gave the same session, already recorded.
        return Payment.objects.get(Q(checkout_session_id=session.id) | Q(order=order, attempt=attempt))


def _refund(
    payment: Payment, *, amount: Decimal, key: str, reason: str, restocked: bool = False, kind: str = "payment-refunded"
) -> Refund:
    """Refund through the payment's provider and record it on the (locked) payment."""
    try:
        provider_refund_id = PROVIDERS[payment.provider].refund_create(
            payment_intent_id=payment.payment_intent_id,
            amount=amount,
            currency=payment.currency,
            reference=payment.order.reference,
            idempotency_key=key,
        )
    except GatewayError as error:
        logger.warning("refund failed: %s", error, extra={"order": payment.order.reference})
        raise RefundError("The refund could not be made. Please try again in a moment.") from error
    refund = Refund.objects.create(
        payment=payment, provider_refund_id=provider_refund_id, amount=amount, reason=reason, restocked=restocked
    )
    payment.refunded_amount += amount
    payment.status = Payment.Status.REFUNDED if payment.remaining_amount <= 0 else Payment.Status.PARTIALLY_REFUNDED
    payment.save(update_fields=["refunded_amount", "status", "updated_at"])
    notification_queue(
        kind=kind, to=payment.order.email, context={"refund_id": refund.pk}, dedupe_key=f"{kind}:{refund.pk}"
    )
    logger.info("payment refunded", extra={"order": payment.order.reference, "amount": str(amount)})
    return refund


def _refund_automatically(payment: Payment, *, reason: str, record_on_order: bool) -> None:
    _refund(
        payment,
        amount=payment.remaining_amount,
        key=f"petshop-refund-{payment.checkout_session_id}-auto",
        reason=reason,
        kind="late-payment-refunded",
    )
    if record_on_order:
        try:
            order_record_refund(order_id=payment.order_id)
        except OrderError as error:
            logger.warning("refund not recorded on the order: %s", error, extra={"order": payment.order.reference})


def _lock_payment(checkout_session_id: str) -> Payment | None:
    """The session's Payment row, locked for this transaction (None for a session we never made)."""
    return (
        Payment.objects.select_for_update()
        .select_related("order")
        .filter(checkout_session_id=checkout_session_id)
        .first()
    )


@transaction.atomic
def payment_fulfil(
    *,
    checkout_session_id: str,
    amount: Decimal | None,
    currency: str,
    paid: bool,
    reference: str = "",
    payment_intent_id: str = "",
    event_id: str = "",
) -> Payment | None:
    """Record that a session was paid and mark its order paid, exactly once.

    Under a lock on the Payment row: the session must belong to the order (`reference`) and the amount and
    currency must match, else nothing changes. Unpaid (a delayed method): wait for the next event. Paid after
    the reservation ended: the animals are reserved again, or, when they are gone (or the order was paid
    another way), the money goes back automatically and the customer gets an e-mail.
    """
    payment = _lock_payment(checkout_session_id)
    if payment is None:
        logger.warning("payment for an unknown session", extra={"event_id": event_id})
        return None
    order = payment.order
    log = {"order": order.reference, "event_id": event_id}
    if reference and reference != order.reference:
        logger.warning("session does not belong to its order", extra=log)
        return payment
    if amount != payment.amount or currency.lower() != payment.currency.lower():
        logger.warning("paid amount or currency does not match the order", extra=log)
        return payment
    if payment.is_settled or not paid:
        return payment
    payment.status = Payment.Status.PAID
    payment.paid_at = timezone.now()
    payment.payment_intent_id = payment_intent_id or payment.payment_intent_id
    payment.save(update_fields=["status", "paid_at", "payment_intent_id", "updated_at"])
    if order.payments.filter(status__in=Payment.SETTLED_STATUSES).exclude(pk=payment.pk).exists():
        logger.warning("second payment for an order refunded", extra=log)
        _refund_automatically(payment, reason="The order had already been paid.", record_on_order=False)
        return payment
    try:
        order_mark_paid(order_id=order.pk)
    except OrderError as error:
        logger.warning("late payment refunded: %s", error, extra=log)
        _refund_automatically(payment, reason=f"Paid after the reservation ended. {error}", record_on_order=True)
    return payment


@transaction.atomic
def payment_release(*, checkout_session_id: str, status: str, event_id: str = "") -> Payment | None:
    """A session failed or expired: close it and give the order's animals back, unless money already arrived."""
    payment = _lock_payment(checkout_session_id)
    if payment is None:
        logger.warning("release for an unknown session", extra={"event_id": event_id})
        return None
    if payment.status != Payment.Status.OPEN:
        return payment  # paid stays paid; a second release changes nothing
    payment.status = status
    payment.save(update_fields=["status", "updated_at"])
    now = timezone.now()
    still_open = (
        payment.order.payments.open()
        .exclude(pk=payment.pk)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .exists()
    )
    if not still_open:
        order_expire(order_id=payment.order_id)
    return payment


@transaction.atomic
def payment_refund(*, payment_id: int, item_ids: list[int] | None = None, restock: bool = False, by=None) -> Refund:
    """Refund a paid payment (staff `by`): the whole order, or the chosen lines; restock only when asked."""
    payment = Payment.objects.select_for_update().select_related("order").get(pk=payment_id)
    if payment.status not in {Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED}:
        raise RefundError("Only a paid payment can be refunded.")
    order = payment.order
    try:
        items = refundable_lines(order, item_ids)
    except OrderError as error:
        raise RefundError(str(error)) from error
    if item_ids is not None:
        amount = min(sum((item.line_total for item in items), Decimal("0.00")), payment.remaining_amount)
    else:
        amount = payment.remaining_amount
    if amount <= 0:
        raise RefundError("Nothing is left to refund on this payment.")
    restocked = restock and order.status in HOLDS_STOCK
    try:
        # Recorded on the order first: if the provider then refuses, the transaction undoes it all.
        order_record_refund(
            order_id=order.pk,
            item_ids=None if item_ids is None else [item.pk for item in items],
            restock=restock,
            by=by,
            note=f"{format_money(amount, payment.currency)} refunded",
        )
    except OrderError as error:
        raise RefundError(str(error)) from error
    lines_key = ",".join(str(item.pk) for item in sorted(items, key=lambda item: item.pk)) or "rest"
    digest = hashlib.sha256(lines_key.encode()).hexdigest()[:16]
    reason = "Whole order" if item_ids is None else "Lines: " + ", ".join(item.animal_name for item in items)
    return _refund(
        payment,
        amount=amount,
        key=f"petshop-refund-{payment.checkout_session_id}-{digest}",
        reason=reason[:200],
        restocked=restocked,
    )


def order_refund(*, order_id: int, item_ids: list[int] | None = None, restock: bool = False, by=None) -> Refund:
    """Refund an order (staff, from the order's page) through its paid payment; see `payment_refund`."""
    payment = refundable_payment(order_id=order_id)
    if payment is None:
        raise RefundError("This order has no paid payment left to refund.")
    return payment_refund(payment_id=payment.pk, item_ids=item_ids, restock=restock, by=by)


def refundable_payment(*, order_id: int) -> Payment | None:
    """The order's payment that money can still be refunded from, if any."""
    settled = Payment.objects.filter(
        order_id=order_id, status__in=[Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED]
    )
    return settled.order_by("-pk").first()


def webhook_event_process(*, event: stripe_gateway.Event) -> bool:
    """Apply a verified provider event once; return False for a repeat or an event the shop does not use.

    The event id is recorded in the same transaction as its effect, so a delivery that fails is retried,
    and two deliveries at the same moment wait on the unique index: one applies it, the other does nothing.
    """
    if event.type not in HANDLED_EVENTS or event.session is None:
        logger.info("webhook event ignored", extra={"event_id": event.id, "type": event.type})
        return False
    session = event.session
    with transaction.atomic():
        _, created = WebhookEvent.objects.get_or_create(event_id=event.id, defaults={"type": event.type})
        if not created:
            return False
        if event.type in {SESSION_COMPLETED, SESSION_ASYNC_SUCCEEDED}:
            payment_fulfil(
                checkout_session_id=session.id,
                amount=session.amount,
                currency=session.currency,
                paid=event.type == SESSION_ASYNC_SUCCEEDED or session.payment_status == "paid",
                reference=session.reference,
                payment_intent_id=session.payment_intent_id,
                event_id=event.id,
            )
        else:
            status = Payment.Status.FAILED if event.type == SESSION_ASYNC_FAILED else Payment.Status.EXPIRED
            payment_release(checkout_session_id=session.id, status=status, event_id=event.id)
    return True


def _apply_session(payment: Payment, session: stripe_gateway.CheckoutSession) -> str:
    if session.payment_status == "paid":
        payment_fulfil(
            checkout_session_id=payment.checkout_session_id,
            amount=session.amount,
            currency=session.currency,
            paid=True,
            reference=session.reference,
            payment_intent_id=session.payment_intent_id,
        )
        return "paid"
    if session.status == "expired":
        payment_release(checkout_session_id=payment.checkout_session_id, status=Payment.Status.EXPIRED)
        return "expired"
    return "waiting"


def payment_reconcile(*, now: datetime | None = None) -> Counter:
    """For a webhook that never came: settle every open session that should have finished by now.

    Stripe is asked about each one; a session still open past its order's reservation is expired at Stripe
    first (so it can no longer be paid). Demo sessions past their time are simply expired.
    Returns how many sessions ended up paid, expired, waiting (a delayed payment in flight) or failed.
    """
    now = now or timezone.now()
    counts: Counter = Counter()
    for payment in Payment.objects.overdue(now).select_related("order").order_by("pk"):
        if payment.provider == Payment.Provider.DEMO:
            payment_release(checkout_session_id=payment.checkout_session_id, status=Payment.Status.EXPIRED)
            counts["expired"] += 1
            continue
        try:
            session = stripe_gateway.checkout_session_retrieve(payment.checkout_session_id)
            if session.status == "open":
                try:
                    session = stripe_gateway.checkout_session_expire(payment.checkout_session_id)
                except GatewayError:
                    # It may have been paid a moment ago: ask again.
                    session = stripe_gateway.checkout_session_retrieve(payment.checkout_session_id)
        except GatewayError as error:
            logger.warning("reconcile failed: %s", error, extra={"order": payment.order.reference})
            counts["failed"] += 1
            continue
        counts[_apply_session(payment, session)] += 1
    return counts
