from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from cart import services
from cart.cart import Cart
from cart.forms import CartAddForm, CartRemoveForm, CartUpdateForm


def _redirect_back(request):
    """To `next` when it is a safe local address (e.g. the animal page), otherwise to the cart."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("cart:detail")


def _change(request, form, service):
    if form.is_valid():
        try:
            message = service(cart=Cart(request.session), **form.cleaned_data)
        except services.CartError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, message)
    else:
        messages.error(request, form.error_text())
    return _redirect_back(request)


@require_safe
def cart_detail(request):
    cart = Cart(request.session)
    lines, notes = cart.lines()
    for note in notes:
        messages.warning(request, note)
    context = {"lines": lines, "subtotal": Cart.subtotal(lines), "item_count": len(cart)}
    return render(request, "cart/cart_detail.html", context)


@require_POST
def cart_add(request):
    return _change(request, CartAddForm(request.POST), services.cart_add)


@require_POST
def cart_update(request):
    return _change(request, CartUpdateForm(request.POST), services.cart_update)


@require_POST
def cart_remove(request):
    return _change(request, CartRemoveForm(request.POST), services.cart_remove)
