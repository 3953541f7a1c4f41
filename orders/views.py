import secrets
from io import BytesIO
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache

from cart.cart import Cart
from orders.access import order_for_visitor, remember_order
from orders.emails import order_link
from orders.forms import CheckoutForm
from orders.handover import handover_pack_available, handover_pack_pdf
from orders.models import Order
from orders.services import CheckoutError, order_place
from payments.views import redirect_to_payment

CHECKOUT_TOKENS_KEY = "checkout_tokens"  # the one-time tokens of the checkout forms this visitor was given
JUST_PLACED_KEY = "order_just_placed"  # the order page shows the guest link once, right after checkout
KEPT_CHECKOUT_TOKENS = 5


def _issue_checkout_token(session) -> str:
    token = secrets.token_urlsafe(24)
    session[CHECKOUT_TOKENS_KEY] = [*list(session.get(CHECKOUT_TOKENS_KEY) or [])[-(KEPT_CHECKOUT_TOKENS - 1) :], token]
    return token


def _issued_checkout_token(request) -> str | None:
    token = request.POST.get("checkout_token")
    return token if token and token in (request.session.get(CHECKOUT_TOKENS_KEY) or []) else None


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
            country=address.country,
        )
    return initial


def _after_checkout(request, order):
    """A freshly placed order goes straight on to payment (Stripe Checkout, or the demo page)."""
    return redirect_to_payment(request, order)


def checkout(request):
    token = _issued_checkout_token(request) if request.method == "POST" else None
    if token:
        placed = Order.objects.filter(checkout_token=token).first()
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
            data["checkout_token"] = _issue_checkout_token(request.session)
        form = CheckoutForm(data)
        if token is None:
            form.add_error(None, "This checkout form has expired. Please check your details and submit again.")
        elif form.is_valid() and not notes:
            details = {name: value for name, value in form.cleaned_data.items() if name != "adult_confirmed"}
            user = request.user if request.user.is_authenticated else None
            try:
                order = order_place(quantities=cart.quantities(), user=user, **details)
            except CheckoutError as error:
                if error.animal_id is not None:
                    cart.set(error.animal_id, error.available)
                form.add_error(None, str(error))
                lines, _ = cart.lines()
                if not lines:
                    messages.error(request, str(error))
                    return redirect("cart:detail")
            else:
                remember_order(request.session, order)
                request.session[JUST_PLACED_KEY] = order.reference
                cart.clear()
                return _after_checkout(request, order)
    else:
        form = CheckoutForm(
            initial={**_initial_details(request.user), "checkout_token": _issue_checkout_token(request.session)}
        )

    care_guides = {line.animal.species.pk: line.animal.species for line in lines}.values()
    context = {"form": form, "lines": lines, "total": Cart.subtotal(lines), "care_guides": list(care_guides)}
    return render(request, "orders/checkout.html", context)


def order_detail(request, reference):
    order = order_for_visitor(request, reference, Order.objects.prefetch_related("items"))
    just_placed = request.session.get(JUST_PLACED_KEY) == order.reference
    if just_placed:
        del request.session[JUST_PLACED_KEY]
    context = {
        "order": order,
        "items": order.items.all(),
        "guest_link": order_link(order) if just_placed else "",
        "handover_pack_url": _visitor_url(request, order, "orders:handover_pack")
        if handover_pack_available(order)
        else "",
    }
    return render(request, "orders/order_detail.html", context)


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
