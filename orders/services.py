"""Every change to an order's status or to stock held by orders goes through here."""

import logging

from django.db import transaction
from django.utils import timezone

from animals.models import Animal
from animals.services import catalogue_changed
from orders import emails
from orders.models import Order, OrderItem

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


class OrderError(Exception):
    """A message a customer or staff member can read; nothing was changed."""


class TransitionNotAllowed(OrderError):
    pass


class StockUnavailable(OrderError):
    pass


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
