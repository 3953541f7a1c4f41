"""Carts for API clients: the web's Cart and cart services, over a session store keyed by an opaque cart id.

A cart opened with a token belongs to that user (only their token opens it); a guest cart opens with its id.
"""

from ninja import Router, Status

from api.v1.errors import ApiError, answers
from api.v1.schemas import PK, CartLineIn, CartOut, QuantityIn
from api.v1.security import GUESTS_WELCOME, optional_user, user_or_guest
from cart.cart import Cart
from cart.services import CartError, CartNotFound, cart_add, cart_keep, cart_load, cart_open, cart_remove, cart_update
from orders.forms import cart_version

router = Router(tags=["cart"], auth=user_or_guest)
GUESTS = {"openapi_extra": GUESTS_WELCOME}


def _answer(cart_id: str, cart: Cart, detail: str = "") -> dict:
    lines, notes = cart.lines()
    cart_keep(cart=cart)
    return {
        "id": cart_id,
        "lines": [
            {
                "animal_id": line.animal.pk,
                "name": line.animal.name,
                "unit_price": str(line.unit_price),
                "quantity": line.quantity,
                "line_total": str(line.line_total),
            }
            for line in lines
        ],
        "count": sum(line.quantity for line in lines),
        "total": str(Cart.subtotal(lines)),
        "notes": notes,
        "version": cart_version(cart.quantities()),
        "detail": detail,
    }


def load(request, cart_id: str) -> Cart:
    try:
        return cart_load(cart_id=cart_id, user_id=optional_user(request) and optional_user(request).pk)
    except CartNotFound as error:
        raise ApiError(404, str(error), "cart_not_found") from error


def _change(request, cart_id: str, change) -> dict:
    cart = load(request, cart_id)
    try:
        detail = change(cart)
    except CartError as error:
        raise ApiError(409, str(error), "cart_refused") from error
    return _answer(cart_id, cart, detail)


@router.post("", response=answers({201: CartOut}), **GUESTS)
def cart_create(request):
    """Open an empty cart; keep its `id` (it is the only key to a guest cart)."""
    user = optional_user(request)
    cart_id, cart = cart_open(user_id=user.pk if user else None)
    return Status(201, _answer(cart_id, cart))


@router.get("/{cart_id}", response=answers({200: CartOut}), **GUESTS)
def cart_detail(request, cart_id: str):
    """The cart, corrected against stock now (`notes` says what changed)."""
    return _answer(cart_id, load(request, cart_id))


@router.post("/{cart_id}/lines", response=answers({200: CartOut}), **GUESTS)
def cart_line_add(request, cart_id: str, payload: CartLineIn):
    """Add an animal (capped by its stock, as on the web)."""
    return _change(
        request, cart_id, lambda cart: cart_add(cart=cart, animal_id=payload.animal_id, quantity=payload.quantity)
    )


@router.put("/{cart_id}/lines/{animal_id}", response=answers({200: CartOut}), **GUESTS)
def cart_line_update(request, cart_id: str, payload: QuantityIn, animal_id: int = PK):
    """Set the quantity of an animal in the cart (capped by its stock)."""
    return _change(
        request, cart_id, lambda cart: cart_update(cart=cart, animal_id=animal_id, quantity=payload.quantity)
    )


@router.delete("/{cart_id}/lines/{animal_id}", response=answers({200: CartOut}), **GUESTS)
def cart_line_remove(request, cart_id: str, animal_id: int = PK):
    return _change(request, cart_id, lambda cart: cart_remove(cart=cart, animal_id=animal_id))
