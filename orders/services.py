"""Every change to an order's status or to stock held by orders goes through here."""

import logging
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from animals.models import Animal
from animals.services import catalogue_changed
from orders import emails
from orders.models import Order, OrderItem, collection_dates

logger = logging.getLogger(__name__)

TIMESTAMP_FIELD = {
    Order.Status.PAID: "paid_at",
    Order.Status.READY_FOR_COLLECTION: "ready_at",
    Order.Status.COMPLETED: "completed_at",
    Order.Status.CANCELLED: "cancelled_at",
    Order.Status.EXPIRED: "expired_at",
    Order.Status.REFUNDED: "refunded_at",
}
HOLDS_STOCK = {
    Order.Status.PENDING_PAYMENT,
    Order.Status.PAID,
    Order.Status.READY_FOR_COLLECTION,
    Order.Status.COMPLETED,
}


MAX_ORDER_TOTAL = Decimal("99999999.99")  # what Order.total (10 digits, 2 places) can hold


class OrderError(Exception):
    """A message a customer or staff member can read; nothing was changed."""


class TransitionNotAllowed(OrderError):
    pass


class StockUnavailable(OrderError):
    pass


class CheckoutError(OrderError):
    """The order could not be placed; nothing was saved.

    When one animal is the cause, `animal_id` names it and `available` says how many of it are left
    (0: gone), so that the caller can correct the cart.
    """

    def __init__(self, message, *, animal_id=None, available=0):
        super().__init__(message)
        self.animal_id = animal_id
        self.available = available


def _lock_order(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _transition(order: Order, status: str) -> None:
    """Move a locked order to `status`, stamping the time; raise (changing nothing) when not allowed."""
    if not order.can_become(status):
        raise TransitionNotAllowed(
            f"Order {order.reference} cannot go from {order.get_status_display().lower()} "
            f"to {Order.Status(status).label.lower()}."
        )
    order.status = status
    field = TIMESTAMP_FIELD[status]
    setattr(order, field, timezone.now())
    order.save(update_fields=["status", field, "updated_at"])


def _locked_animals(item_quantities: dict[int, int]) -> dict[int, Animal]:
    """Lock the animals' rows in primary-key order (so two transactions never deadlock)."""
    animals = Animal.objects.select_for_update().filter(pk__in=item_quantities).order_by("pk")
    return {animal.pk: animal for animal in animals}


def _return_stock(items) -> None:
    quantities: dict[int, int] = {}
    for item in items:
        if item.animal_id is not None:
            quantities[item.animal_id] = quantities.get(item.animal_id, 0) + item.quantity
    if not quantities:
        return
    animals = _locked_animals(quantities)
    for animal_id, animal in animals.items():
        animal.stock += quantities[animal_id]
    Animal.objects.bulk_update(animals.values(), ["stock"])
    transaction.on_commit(catalogue_changed)


def _take_stock(order: Order) -> None:
    """Take the order's quantities off stock again (a late payment re-reserving its animals)."""
    items = list(order.items.all())
    quantities: dict[int, int] = {}
    for item in items:
        if item.animal_id is None:
            raise StockUnavailable(f"{item.animal_name} is no longer for sale.")
        quantities[item.animal_id] = quantities.get(item.animal_id, 0) + item.quantity
    animals = _locked_animals(quantities)
    for animal_id, quantity in quantities.items():
        animal = animals.get(animal_id)
        if animal is None or animal.stock < quantity:
            name = animal.name if animal else "An animal"
            raise StockUnavailable(f"{name} has been sold to someone else in the meantime.")
    for animal_id, animal in animals.items():
        animal.stock -= quantities[animal_id]
    Animal.objects.bulk_update(animals.values(), ["stock"])
    transaction.on_commit(catalogue_changed)


def _stock_refusal(message, *, animal_id, available=0):
    """A checkout refused for stock: logged at warning level (stock failures are worth watching)."""
    logger.warning("checkout refused: stock", extra={"animal_id": animal_id, "available": available})
    return CheckoutError(message, animal_id=animal_id, available=available)


@transaction.atomic
def order_place(
    *,
    quantities: dict[int, int],
    email: str,
    full_name: str,
    phone: str,
    address_line1: str,
    city: str,
    postcode: str,
    country: str,
    collection_date: date,
    address_line2: str = "",
    note: str = "",
    user=None,
    checkout_token: str | None = None,
) -> Order:
    """Reserve the animals in `quantities` ({animal id: quantity}) for a new order pending payment.

    The animals' rows are locked in primary-key order, each line is checked against current stock, stock is
    taken off and the order is saved with the names and prices of that moment, all in one transaction.
    Raises CheckoutError (nothing saved) when a line can no longer be had. With `checkout_token`, a repeated
    submission of the same checkout form returns the order already placed instead of placing a second one.
    """
    if not quantities:
        raise CheckoutError("Your cart is empty.")
    if any(type(quantity) is not int or quantity < 1 for quantity in quantities.values()):
        raise CheckoutError("Your cart holds an invalid quantity; please update your cart.")
    if collection_date not in collection_dates(today=timezone.localdate()):
        raise CheckoutError("Please choose a collection date from the list of opening days.")
    animals = _locked_animals(quantities)
    if checkout_token:
        placed = Order.objects.filter(checkout_token=checkout_token).first()
        if placed is not None:
            return placed
    for animal_id in sorted(quantities):
        animal = animals.get(animal_id)
        if animal is None:
            raise _stock_refusal("An animal in your cart is no longer listed.", animal_id=animal_id)
        if not animal.is_published:
            raise _stock_refusal(f"Sorry, {animal.name} is no longer for sale.", animal_id=animal_id)
        if animal.stock == 0:
            raise _stock_refusal(f"Sorry, {animal.name} has just been reserved by someone else.", animal_id=animal_id)
        if animal.stock < quantities[animal_id]:
            raise _stock_refusal(
                f"Sorry, only {animal.stock} of {animal.name} left.", animal_id=animal_id, available=animal.stock
            )
    total = sum((animal.price * quantities[pk] for pk, animal in animals.items()), Decimal("0.00"))
    if total > MAX_ORDER_TOTAL:
        raise CheckoutError("This order is too large to place online; please contact the shop.")
    order = Order.objects.create(
        user=user,
        email=email,
        full_name=full_name,
        phone=phone,
        address_line1=address_line1,
        address_line2=address_line2,
        city=city,
        postcode=postcode,
        country=country,
        collection_date=collection_date,
        note=note,
        status=Order.Status.PENDING_PAYMENT,
        currency=settings.SHOP_CURRENCY,
        total=total.quantize(Decimal("0.01")),
        reserved_until=timezone.now() + timedelta(minutes=settings.SHOP_RESERVATION_MINUTES),
        checkout_token=checkout_token or None,
    )
    lines = [
        OrderItem(order=order, animal=animal, animal_name=animal.name, unit_price=animal.price, quantity=quantities[pk])
        for pk, animal in animals.items()
    ]
    OrderItem.objects.bulk_create(lines)
    for pk, animal in animals.items():
        animal.stock -= quantities[pk]
    Animal.objects.bulk_update(animals.values(), ["stock"])
    logger.info("order placed", extra={"order": order.reference, "lines": len(lines)})
    transaction.on_commit(lambda: emails.send_order_received(order.pk))
    transaction.on_commit(catalogue_changed)
    return order


@transaction.atomic
def order_mark_paid(*, order_id: int) -> Order:
    """Mark an order paid, exactly once.

    Already paid (or further along): nothing changes. Expired: the animals are reserved again if they are
    all still there, otherwise StockUnavailable is raised and nothing changes (the caller refunds).
    """
    order = _lock_order(order_id)
    if order.status in {Order.Status.PAID, Order.Status.READY_FOR_COLLECTION, Order.Status.COMPLETED}:
        return order
    if order.status == Order.Status.EXPIRED:
        _take_stock(order)
    _transition(order, Order.Status.PAID)
    logger.info("order paid", extra={"order": order.reference})
    transaction.on_commit(lambda: emails.send_order_paid(order.pk))
    return order


@transaction.atomic
def order_expire(*, order_id: int) -> Order:
    """Expire a pending order and return its stock; any other status is left alone (idempotent)."""
    order = _lock_order(order_id)
    if order.status != Order.Status.PENDING_PAYMENT:
        return order
    _transition(order, Order.Status.EXPIRED)
    _return_stock(order.items.all())
    logger.info("order expired", extra={"order": order.reference})
    return order


def order_release_expired(*, now=None) -> list[str]:
    """Expire every pending order whose reservation ran out, returning its stock; the references expired.

    Each order is expired in its own transaction under its row lock, re-checked there, so running this twice,
    or beside a checkout or a payment of the same order, never expires an order twice or returns stock twice.
    """
    now = now or timezone.now()
    expired = []
    for order_id in Order.objects.past_reservation(now).order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            order = _lock_order(order_id)
            if order.status != Order.Status.PENDING_PAYMENT or order.reserved_until >= now:
                continue
            _transition(order, Order.Status.EXPIRED)
            _return_stock(order.items.all())
            logger.info("order expired", extra={"order": order.reference})
            expired.append(order.reference)
    return expired


@transaction.atomic
def order_cancel(*, order_id: int) -> Order:
    """Cancel an order (staff), returning its stock. Raises TransitionNotAllowed when it cannot be cancelled."""
    order = _lock_order(order_id)
    _transition(order, Order.Status.CANCELLED)
    _return_stock(order.items.all())
    logger.info("order cancelled", extra={"order": order.reference})
    return order


@transaction.atomic
def order_mark_ready(*, order_id: int) -> Order:
    order = _lock_order(order_id)
    _transition(order, Order.Status.READY_FOR_COLLECTION)
    return order


@transaction.atomic
def order_complete(*, order_id: int) -> Order:
    order = _lock_order(order_id)
    _transition(order, Order.Status.COMPLETED)
    return order


@transaction.atomic
def order_record_refund(*, order_id: int, item_ids: list[int] | None = None, restock: bool = False) -> Order:
    """Record a refund that the payment provider has made.

    `item_ids` None means the whole order: the order becomes refunded. Otherwise only those lines are
    marked refunded (the order becomes refunded once every line is). With `restock`, the refunded lines'
    animals go back to stock, but only while the order still holds that stock.
    """
    order = _lock_order(order_id)
    items = list(order.items.filter(is_refunded=False))
    if item_ids is not None:
        items = [item for item in items if item.pk in set(item_ids)]
        if not items:
            raise OrderError("Choose at least one line that has not been refunded yet.")
    if not items and item_ids is None and order.status == Order.Status.REFUNDED:
        return order
    holds_stock = order.status in HOLDS_STOCK
    OrderItem.objects.filter(pk__in=[item.pk for item in items]).update(is_refunded=True)
    if restock and holds_stock:
        _return_stock(items)
    if not order.items.filter(is_refunded=False).exists():
        _transition(order, Order.Status.REFUNDED)
    logger.info("order refund recorded", extra={"order": order.reference, "lines": len(items)})
    return order


def order_place_from_cart(*, cart, details: dict, user=None, checkout_token: str) -> tuple[Order, bool]:
    """Place the order of a cart (as the checkout page does) and empty the cart; return (order, placed now).

    A `checkout_token` already used gives back its order (placed now: False), so a repeated request never
    places two orders. A cart that had to be corrected against stock is refused with the correction made,
    so the buyer sees the new cart before paying; a line refused at placement is corrected in the cart too.
    """
    placed = Order.objects.filter(checkout_token=checkout_token).first()
    if placed is not None:
        return placed, False
    lines, notes = cart.lines()
    if notes:
        raise CheckoutError(" ".join(notes))
    if not lines:
        raise CheckoutError("Your cart is empty: add an animal before checking out.")
    try:
        order = order_place(quantities=cart.quantities(), user=user, checkout_token=checkout_token, **details)
    except CheckoutError as error:
        if error.animal_id is not None:
            cart.set(error.animal_id, error.available)
        raise
    cart.clear()
    return order, True


@transaction.atomic
def order_cancel_pending(*, order_id: int) -> Order:
    """Cancel an order the customer has not paid yet, returning its stock. Raises TransitionNotAllowed otherwise."""
    order = _lock_order(order_id)
    if order.status != Order.Status.PENDING_PAYMENT:
        raise TransitionNotAllowed(
            f"Order {order.reference} is {order.get_status_display().lower()}: it cannot be cancelled."
        )
    _transition(order, Order.Status.CANCELLED)
    _return_stock(order.items.all())
    logger.info("order cancelled by the customer", extra={"order": order.reference})
    return order
