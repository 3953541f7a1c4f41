"""Orders: placed from an API cart with the checkout page's form and service, read by owner or guest token."""

import hashlib

from django.db.models import Prefetch
from ninja import Header, Query, Router, Status

from api.v1.cart import load as load_cart
from api.v1.errors import ApiError, answers, form_errors
from api.v1.schemas import OrderIn, OrderListOut, OrderOut
from api.v1.security import GUESTS_WELCOME, bearer, optional_user, user_or_guest
from cart.services import cart_keep
from orders.access import order_for
from orders.forms import CheckoutForm
from orders.models import Order, OrderItem
from orders.services import (
    CheckoutError,
    OrderError,
    checkout_replayed,
    order_cancel_by_customer,
    order_place_from_cart,
)

router = Router(tags=["orders"])

ORDERS_PER_PAGE = 20
WITH_ITEMS = Order.objects.prefetch_related(Prefetch("items", queryset=OrderItem.objects.order_by("pk")))


def order_out(order: Order) -> dict:
    return {
        "reference": order.reference,
        "token": order.access_token,
        "status": order.status,
        "email": order.email,
        "total": str(order.total),
        "currency": order.currency,
        "collection_date": order.collection_date,
        "created_at": order.created_at,
        "reserved_until": order.reserved_until,
        "items": [
            {
                "animal_id": item.animal_id,
                "name": item.animal_name,
                "unit_price": str(item.unit_price),
                "quantity": item.quantity,
                "line_total": str(item.line_total),
            }
            for item in order.items.all()
        ],
    }


def visible_order(request, reference: str, token: str | None) -> Order:
    """The order for its owner (token user) or a holder of its guest token; 404 for anyone else."""
    order = order_for(reference, user=optional_user(request), token=token, queryset=WITH_ITEMS)
    if order is None:
        raise ApiError(404, "No such order.", "order_not_found")
    return order


def _checkout_token(cart_id: str, key: str) -> str:
    """The order's checkout token for an Idempotency-Key: scoped to the cart, so keys of different clients
    never meet, and within the 64 characters that Order.checkout_token holds."""
    return "api-" + hashlib.sha256(f"{cart_id}\n{key}".encode()).hexdigest()[:60]


@router.post("", response=answers({200: OrderOut, 201: OrderOut}), auth=user_or_guest, openapi_extra=GUESTS_WELCOME)
def order_create(
    request,
    payload: OrderIn,
    idempotency_key: str = Header(
        ..., alias="Idempotency-Key", min_length=8, max_length=200, pattern=r"^[\x21-\x7e]+$"
    ),
):
    """Place the cart's order (201) with the checkout page's checks; the same Idempotency-Key again gives the
    same order (200), never a second one. 409 when an animal is gone (the cart is corrected)."""
    token = _checkout_token(payload.cart_id, idempotency_key)
    placed = checkout_replayed(checkout_token=token)  # before the form: a replay after the date list moved on
    if placed is not None:
        return Status(200, order_out(WITH_ITEMS.get(pk=placed.pk)))
    cart = load_cart(request, payload.cart_id)
    data = {
        **payload.dict(exclude={"cart_id", "adult_confirmed", "collection_date", "cart_version"}),
        "checkout_token": token,
        "collection_date": payload.collection_date.isoformat(),
    }
    if payload.cart_version is not None:
        data["cart_version"] = payload.cart_version
    if payload.adult_confirmed:
        data["adult_confirmed"] = "on"
    form = CheckoutForm(data, cart_quantities=cart.quantities())
    if not form.is_valid():
        raise form_errors(form)
    if form.changes:  # the cart is not the one the client showed (its `version`): nothing placed
        raise ApiError(409, "Your cart has changed: " + " ".join(form.changes), "cart_changed")
    try:
        order, placed_now = order_place_from_cart(
            cart=cart, details=form.order_details(), user=optional_user(request), checkout_token=token
        )
    except CheckoutError as error:
        raise ApiError(409, str(error), "stock_gone" if error.stock else "checkout_refused") from error
    finally:
        cart_keep(cart=cart)
    return Status((201 if placed_now else 200), order_out(WITH_ITEMS.get(pk=order.pk)))


@router.get("", response=answers({200: OrderListOut}), auth=bearer)
def order_list(request, page: int = Query(1, ge=1, le=10000)):
    """My orders, newest first, 20 a page."""
    orders = WITH_ITEMS.for_user(request.auth).order_by("-created_at", "-pk")
    start = (page - 1) * ORDERS_PER_PAGE
    return {"count": orders.count(), "results": [order_out(order) for order in orders[start : start + ORDERS_PER_PAGE]]}


@router.get("/{reference}", response=answers({200: OrderOut}), auth=user_or_guest, openapi_extra=GUESTS_WELCOME)
def order_detail(request, reference: str, token: str | None = Query(None, max_length=64)):
    """One order, for its owner's token or with its guest `token`."""
    return order_out(visible_order(request, reference, token))


@router.post("/{reference}/cancel", response=answers({200: OrderOut}), auth=user_or_guest, openapi_extra=GUESTS_WELCOME)
def order_cancel(request, reference: str, token: str | None = Query(None, max_length=64)):
    """Cancel an order that is still waiting for payment; its animals go back on sale."""
    order = visible_order(request, reference, token)
    try:
        order_cancel_by_customer(order_id=order.pk, by=optional_user(request))
    except OrderError as error:
        raise ApiError(409, str(error), "not_cancellable") from error
    return order_out(WITH_ITEMS.get(pk=order.pk))
