from django.contrib import messages
from django.shortcuts import redirect, render

from cart.cart import Cart
from orders.access import order_for_visitor, remember_order
from orders.emails import order_link
from orders.forms import CheckoutForm
from orders.models import Order
from orders.services import (
    CheckoutError,
    checkout_replayed,
    checkout_token_check,
    checkout_token_issue,
    order_place_from_cart,
)
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
            country=address.country,
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
        form = CheckoutForm(data)
        if token is None:
            form.add_error(None, "This checkout form has expired. Please check your details and submit again.")
        elif form.is_valid() and not notes:
            details = {name: value for name, value in form.cleaned_data.items() if name != "adult_confirmed"}
            user = request.user if request.user.is_authenticated else None
            try:
                order = order_place_from_cart(cart=cart, user=user, **details)
            except CheckoutError as error:
                form.add_error(None, str(error))
                lines, _ = cart.lines()
                if not lines:
                    messages.error(request, str(error))
                    return redirect("cart:detail")
            else:
                remember_order(request.session, order)
                request.session[JUST_PLACED_KEY] = order.reference
                cart.clear()
                return redirect_to_payment(request, order)
    else:
        initial = {**_initial_details(request.user), "checkout_token": checkout_token_issue(session=request.session)}
        form = CheckoutForm(initial=initial)

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
    }
    return render(request, "orders/order_detail.html", context)
