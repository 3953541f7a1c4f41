"""Sending a visitor on to pay an order: shared by the checkout (orders) and the "Pay now" button (payments)."""

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from orders.access import remember_order
from orders.models import Order
from payments.services import PaymentStartError, payment_start

PAYING_KEY = "payment_started"  # the order this visitor left to pay: its success page says "Thank you" once


def redirect_to_payment(request, order: Order) -> HttpResponse:
    """Send a visitor who may see `order` to its payment page (303), or back to the order with a message.

    The checkout calls this right after placing an order; the "Pay now" button reaches it through payments:start.
    """
    if not order.is_pending or order.reserved_until <= timezone.now():
        messages.error(request, "This order can no longer be paid: its reservation has ended.")
        return redirect(order)
    remember_order(request.session, order)  # the success and cancel pages find the order again
    success_url = request.build_absolute_uri(reverse("payments:success")) + "?session_id={CHECKOUT_SESSION_ID}"
    cancel_url = request.build_absolute_uri(reverse("payments:cancel", args=[order.reference]))
    try:
        payment = payment_start(order=order, success_url=success_url, cancel_url=cancel_url)
    except PaymentStartError as error:
        messages.error(request, str(error))
        return redirect(order)
    request.session[PAYING_KEY] = order.reference
    return HttpResponseRedirect(payment.checkout_url, status=303)
