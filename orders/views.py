from io import BytesIO
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cart.cart import Cart
from orders.access import order_for_visitor, remember_order
from orders.addresses import country_code
from orders.collection import calendar_file
from orders.emails import order_link
from orders.forms import ADDRESS_REASON, CheckoutForm
from orders.handover import handover_pack_available, handover_pack_pdf
from orders.models import Order
from orders.services import (
    CheckoutError,
    OrderError,
    checkout_replayed,
    checkout_token_check,
    checkout_token_issue,
    order_cancel_by_customer,
    order_place_from_cart,
)
from orders.services import order_retry as retry_order
from payments.redirects import redirect_to_payment

JUST_PLACED_KEY = "order_just_placed"  # the order page shows the guest link once, right after checkout


def _initial_details(user) -> dict:
    if not user.is_authenticated:
        return {}
    initial = {"email": user.email, "full_name": user.full_name, "phone": user.phone}
    address = user.addresses.filter(is_default=True).first()
    if address is not None:
        initial.update(
            full_name=address.full_name or user.full_name,
            address_line1=address.line1,
            address_line2=address.line2,
            city=address.city,
            postcode=address.postcode,
            country=country_code(address.country) or settings.SHOP_COUNTRY,
        )
    return initial


def checkout(request):
    token = None
    if request.method == "POST":
        token = checkout_token_check(session=request.session, token=request.POST.get("checkout_token"))
        placed = checkout_replayed(checkout_token=token)
        if placed is not None:
            messages.info(request, f"Your order {placed.reference} was already placed; it is shown below.")
            return redirect(placed)
    cart = Cart(request.session)
    lines, notes = cart.lines()
    for note in notes:
        messages.warning(request, note)
    if not lines:
        messages.info(request, "Your cart is empty: add an animal before checking out.")
        return redirect("cart:detail")

    if request.method == "POST":
        data = request.POST.copy()
        if token is None:
            data["checkout_token"] = checkout_token_issue(session=request.session)
        form = CheckoutForm(data, cart_quantities=cart.quantities())
        if token is None:
            form.add_error(None, "This checkout form has expired. Please check your details and submit again.")
        elif form.is_valid() and not notes and not form.changes:
            user = request.user if request.user.is_authenticated else None
            try:
                order, _ = order_place_from_cart(
                    cart=cart, details=form.order_details(), user=user, checkout_token=token
                )
            except CheckoutError as error:
                form.add_error(None, str(error))
                lines, _ = cart.lines()
                if not lines:
                    messages.error(request, str(error))
                    return redirect("cart:detail")
            else:
                remember_order(request.session, order)
                request.session[JUST_PLACED_KEY] = order.reference
                return redirect_to_payment(request, order)
    else:
        initial = {**_initial_details(request.user), "checkout_token": checkout_token_issue(session=request.session)}
        form = CheckoutForm(initial=initial, cart_quantities=cart.quantities())

    care_guides = {line.animal.species.pk: line.animal.species for line in lines}.values()
    context = {
        "form": form,
        "lines": lines,
        "total": Cart.subtotal(lines),
        "care_guides": list(care_guides),
        "address_reason": ADDRESS_REASON,
    }
    return render(request, "orders/checkout.html", context)


def order_detail(request, reference):
    order = order_for_visitor(request, reference, Order.objects.prefetch_related("items__animal__photos"))
    just_placed = request.session.get(JUST_PLACED_KEY) == order.reference
    if just_placed:
        del request.session[JUST_PLACED_KEY]
    context = {
        "order": order,
        "items": order.items.all(),
        "guest_link": order_link(order) if just_placed else "",
        "thank_you": just_placed and order.paid_at is not None,  # never on an unpaid order
        "payment_failed": order.can_be_retried and order.payments.filter(status="failed").exists(),
        "handover_pack_url": _visitor_url(request, order, "orders:handover_pack")
        if handover_pack_available(order)
        else "",
    }
    return render(request, "orders/order_detail.html", context)


@require_POST
def order_cancel(request, reference):
    order = order_for_visitor(request, reference)
    remember_order(request.session, order)  # the order page opens after the redirect without the token
    try:
        order_cancel_by_customer(order_id=order.pk, by=request.user)
    except OrderError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Order {order.reference} is cancelled; nothing was charged. We have e-mailed you.")
    return redirect(order)


@require_POST
def order_retry(request, reference):
    order = order_for_visitor(request, reference)
    remember_order(request.session, order)
    try:
        retry = retry_order(order_id=order.pk)
    except OrderError as error:
        messages.error(request, str(error))
        return redirect(order)
    if retry.order is not None:
        remember_order(request.session, retry.order)
        if retry.order.pk != order.pk:
            request.session[JUST_PLACED_KEY] = retry.order.reference  # its private link is shown once, as at checkout
        return redirect_to_payment(request, retry.order)
    cart = Cart(request.session)
    for animal_id, quantity in retry.to_cart.items():
        cart.set(animal_id, quantity)
    messages.warning(request, f"No longer available: {', '.join(retry.gone)}.")
    if retry.to_cart:
        messages.info(
            request, "The other animals of your order are back in your cart: check out again to reserve them."
        )
    return redirect("cart:detail")


def order_calendar(request, reference):
    order = order_for_visitor(request, reference)
    text = calendar_file(
        reference=order.reference, day=order.collection_date, order_url=order_link(order), host=request.get_host()
    )
    response = HttpResponse(text, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{order.reference}-collection.ics"'
    return response


def _visitor_url(request, order, name):
    """A link to one of the order's pages for this visitor: with the order's token unless they own the order
    (the token that let them in may have come in the link rather than from their session)."""
    url = reverse(name, kwargs={"reference": order.reference})
    if request.user.is_authenticated and order.user_id == request.user.pk:
        return url
    return f"{url}?{urlencode({'token': order.access_token})}"


@never_cache
def order_handover_pack(request, reference):
    """The order's handover pack (PDF) for its owner or a holder of its link, once the order is paid."""
    order = order_for_visitor(request, reference)
    if not handover_pack_available(order):
        context = {"order": order, "order_url": _visitor_url(request, order, "orders:detail")}
        return render(request, "orders/handover_pack_unavailable.html", context, status=403)
    return handover_pack_download(order)


def handover_pack_download(order) -> FileResponse:
    """The pack as a file to save (staff download it from the admin the same way)."""
    filename = f"handover-pack-{order.reference}.pdf"
    return FileResponse(BytesIO(handover_pack_pdf(order)), as_attachment=True, filename=filename)
