import logging

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from orders.access import order_for_visitor, remember_order
from orders.models import Order
from payments import demo as demo_provider
from payments import stripe_gateway
from payments.models import Payment
from payments.redirects import PAYING_KEY, redirect_to_payment
from payments.services import PaymentError, payment_fulfil, payment_release, webhook_event_process

logger = logging.getLogger(__name__)


@require_POST
def payment_start_view(request, reference):
    return redirect_to_payment(request, order_for_visitor(request, reference))


@require_http_methods(["GET", "POST"])
def demo(request, session_id):
    if not demo_provider.is_allowed():
        raise Http404("Demo payments are switched off.")
    payment = get_object_or_404(
        Payment.objects.select_related("order"), checkout_session_id=session_id, provider=Payment.Provider.DEMO
    )
    is_open = payment.status == Payment.Status.OPEN
    if request.method == "POST" and is_open:
        action = request.POST.get("action")
        success = f"{reverse('payments:success')}?session_id={payment.checkout_session_id}"
        if action == "pay":
            payment_fulfil(checkout_session_id=session_id, amount=payment.amount, currency=payment.currency, paid=True)
            return redirect(success)
        if action == "fail":
            payment_release(checkout_session_id=session_id, status=Payment.Status.FAILED)  # the next page says so
            return redirect(success)
        if action == "cancel":
            messages.info(request, "Payment cancelled: nothing was charged.")
            return redirect(payment.order)
        messages.error(request, "Choose Pay, Fail or Cancel.")
        return redirect("payments:demo", session_id=session_id)
    items = list(payment.order.items.all())
    return render(
        request, "payments/demo.html", {"payment": payment, "order": payment.order, "items": items, "is_open": is_open}
    )


def success(request):
    session_id = request.GET.get("session_id", "")
    payment = (
        Payment.objects.select_related("order").filter(checkout_session_id=session_id).first() if session_id else None
    )
    if payment is None:
        raise Http404("No such payment.")
    order = order_for_visitor(request, payment.order.reference)
    # "Thank you" once, on the first view of the paid order after this visitor went to pay it; reopened later,
    # the page only says the order is paid. (While waiting for the provider the page reloads: the flag stays.)
    thank_you = order.is_paid and request.session.get(PAYING_KEY) == order.reference
    if thank_you:
        del request.session[PAYING_KEY]
    context = {
        "order": order,
        "is_paid": order.is_paid,
        "thank_you": thank_you,
        "is_waiting": order.status == Order.Status.PENDING_PAYMENT and payment.status == Payment.Status.OPEN,
        "payment_failed": payment.status == Payment.Status.FAILED,
    }
    return render(request, "payments/success.html", context)


def cancel(request, reference):
    """Stripe's "back" link: the order page says what can be done next (Pay now, Cancel order or Try again)."""
    order = order_for_visitor(request, reference)
    remember_order(request.session, order)  # the order page opens without the token in the link
    messages.info(request, "Payment cancelled: nothing was charged.")
    return redirect(order)


@csrf_exempt
@require_POST
def stripe_webhook(request):
    try:
        event = stripe_gateway.parse_event(request.body, request.headers.get("Stripe-Signature", ""))
    except stripe_gateway.MalformedEvent as error:
        # Signed by Stripe, yet not what its API promises: nothing is applied; staff should look at it.
        logger.error("webhook event malformed: %s", error)
        return HttpResponseBadRequest("Malformed event.")
    except stripe_gateway.InvalidEvent as error:
        logger.warning("webhook refused: %s", error)
        return HttpResponseBadRequest("Invalid signature.")
    try:
        webhook_event_process(event=event)
    except PaymentError:
        # A refund that Stripe refused: nothing was recorded, so Stripe's retry tries again.
        return HttpResponse("Try again later.", status=503)
    return HttpResponse("OK")
