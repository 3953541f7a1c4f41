"""Payments: start (or reuse) the provider's checkout for a pending order and answer its URL."""

from django.urls import reverse
from ninja import Router, Status

from api.v1.errors import ApiError, answers
from api.v1.orders import visible_order
from api.v1.schemas import PaymentIn, PaymentOut
from api.v1.security import GUESTS_WELCOME, user_or_guest
from payments.services import PaymentStartError, payment_start

router = Router(tags=["payments"])


@router.post("", response=answers({201: PaymentOut}), auth=user_or_guest, openapi_extra=GUESTS_WELCOME)
def payment_create(request, payload: PaymentIn):
    """The Stripe Checkout URL (or the demo page's URL) to send the buyer to; the same one while it is open."""
    order = visible_order(request, payload.order_reference, payload.order_token)
    success_url = request.build_absolute_uri(reverse("payments:success")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel_url = request.build_absolute_uri(reverse("payments:cancel", args=[order.reference]))
    try:
        payment = payment_start(order=order, success_url=success_url, cancel_url=cancel_url)
    except PaymentStartError as error:
        raise ApiError(409, str(error), "payment_refused") from error
    return Status(
        201,
        {
            "order_reference": order.reference,
            "provider": payment.provider,
            "checkout_url": request.build_absolute_uri(payment.checkout_url),
            "expires_at": payment.expires_at,
        },
    )
