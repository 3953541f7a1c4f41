"""Every change to an order's status or to stock held by orders goes through here."""

import logging
import secrets
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from animals.caching import catalogue_changed
from animals.models import Animal
from favourites.services import favourites_reservation_ended
from notifications.services import notification_queue
from orders.models import Order, OrderEvent, OrderItem, collection_dates

logger = logging.getLogger(__name__)

TIMESTAMP_FIELD = {
    Order.Status.PAID: "paid_at",
    Order.Status.READY_FOR_COLLECTION: "ready_at",
    Order.Status.COMPLETED: "completed_at",
    Order.Status.CANCELLED: "cancelled_at",
    Order.Status.EXPIRED: "expired_at",
    Order.Status.REFUNDED: "refunded_at",
}
HOLDS_STOCK = {Order.Status.PENDING_PAYMENT, *Order.PAID_STATUSES}


MAX_ORDER_TOTAL = Decimal("99999999.99")  # what Order.total (10 digits, 2 places) can hold
CHECKOUT_TOKENS_KEY = "checkout_tokens"  # the one-time tokens of the checkout forms this visitor was given
KEPT_CHECKOUT_TOKENS = 5


class OrderError(Exception):
    """A message a customer or staff member can read; nothing was changed."""


class TransitionNotAllowed(OrderError):
    pass


class StockUnavailable(OrderError):
    pass


class CheckoutError(OrderError):
    """The order could not be placed; nothing was saved.

    When one animal is the cause, `animal_id` names it and `available` says how many of it are left
    (0: gone), so that the caller can correct the cart. `stock` is true whenever stock was the cause: that
    animal, or a cart corrected against stock (animals sold or reduced since it was filled).
    """

    def __init__(self, message, *, animal_id=None, available=0, stock=False):
        super().__init__(message)
        self.animal_id = animal_id
        self.available = available
        self.stock = stock or animal_id is not None


def _lock_order(order_id) -> Order:
    return Order.objects.select_for_update().get(pk=order_id)


def _transition(order: Order, status: str, *, by=None, by_customer: bool = False, note: str = "") -> None:
    """Move a locked order to `status`, stamping the time and writing the history; raise (changing nothing)
    when not allowed. `by` is who did it (None: the shop itself, e.g. a payment or expiry, or a guest customer
    when `by_customer`)."""
    if order.status == status:
        raise TransitionNotAllowed(f"Order {order.reference} is already {order.get_status_display().lower()}.")
    if not order.can_become(status):
        raise TransitionNotAllowed(
            f"Order {order.reference} cannot go from {order.get_status_display().lower()} "
            f"to {Order.Status(status).label.lower()}."
        )
    order.status = status
    field = TIMESTAMP_FIELD[status]
    setattr(order, field, timezone.now())
    order.save(update_fields=["status", field, "updated_at"])
    description = Order.Status(status).label + (f": {note}" if note else "")
    _record(order, description, by=by, by_customer=by_customer, status=status)


def _record(order: Order, description: str, *, by=None, by_customer: bool = False, status: str = "") -> OrderEvent:
    return OrderEvent.objects.create(
        order=order, description=description[:300], by=by, by_customer=by_customer, status=status
    )


def _locked_animals(item_quantities: dict[int, int]) -> dict[int, Animal]:
    """Lock the animals' rows in primary-key order (so two transactions never deadlock)."""
    animals = Animal.objects.select_for_update().filter(pk__in=item_quantities).order_by("pk")
    return {animal.pk: animal for animal in animals}


def _quantities_per_animal(items) -> dict[int, int]:
    """{animal id: quantity} of order lines, summed per animal (lines whose animal was deleted left out)."""
    quantities: dict[int, int] = {}
    for item in items:
        if item.animal_id is not None:
            quantities[item.animal_id] = quantities.get(item.animal_id, 0) + item.quantity
    return quantities


def _return_stock(items) -> None:
    quantities = _quantities_per_animal(items)
    if not quantities:
        return
    animals = _locked_animals(quantities)
    for animal_id, animal in animals.items():
        animal.stock += quantities[animal_id]
    Animal.objects.bulk_update(animals.values(), ["stock"])
    favourites_reservation_ended(animal_ids=list(animals))  # "e-mail me if it becomes available again"
    transaction.on_commit(catalogue_changed)


def _take_stock(order: Order) -> None:
    """Take the order's quantities off stock again (a late payment re-reserving its animals)."""
    items = list(order.items.all())
    for item in items:
        if item.animal_id is None:
            raise StockUnavailable(f"{item.animal_name} is no longer for sale.")
    quantities = _quantities_per_animal(items)
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
    region: str = "",
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
        region=region,
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
    notification_queue(
        kind="order-received", to=order.email, context={"order_id": order.pk}, dedupe_key=f"order-received:{order.pk}"
    )
    transaction.on_commit(catalogue_changed)
    return order


def checkout_token_issue(*, session) -> str:
    """A new one-time token for a checkout form, remembered in the visitor's session (the last few are kept)."""
    token = secrets.token_urlsafe(24)
    kept = list(session.get(CHECKOUT_TOKENS_KEY) or [])[-(KEPT_CHECKOUT_TOKENS - 1) :]
    session[CHECKOUT_TOKENS_KEY] = [*kept, token]
    return token


def checkout_token_check(*, session, token: str | None) -> str | None:
    """`token` when this session was given it (a form we issued), else None."""
    return token if token and token in (session.get(CHECKOUT_TOKENS_KEY) or []) else None


def checkout_replayed(*, checkout_token: str | None) -> Order | None:
    """The order a checkout form with this token has already placed (a repeated submission), or None."""
    return Order.objects.filter(checkout_token=checkout_token).first() if checkout_token else None


@transaction.atomic
def order_mark_paid(*, order_id: int) -> Order:
    """Mark an order paid, exactly once.

    Already paid (or further along): nothing changes. Expired: the animals are reserved again if they are
    all still there, otherwise StockUnavailable is raised and nothing changes (the caller refunds).
    """
    order = _lock_order(order_id)
    if order.is_paid:
        return order
    if order.status == Order.Status.EXPIRED:
        _take_stock(order)
    _transition(order, Order.Status.PAID)
    logger.info("order paid", extra={"order": order.reference})
    notification_queue(
        kind="order-paid", to=order.email, context={"order_id": order.pk}, dedupe_key=f"order-paid:{order.pk}"
    )
    if settings.SHOP_STAFF_EMAIL:
        notification_queue(
            kind="staff-order-paid",
            to=settings.SHOP_STAFF_EMAIL,
            context={"order_id": order.pk},
            dedupe_key=f"staff-order-paid:{order.pk}",
        )
    return order


@transaction.atomic
def order_expire(*, order_id: int) -> Order:
    """Expire a pending order and return its stock; any other status is left alone (idempotent)."""
    order = _lock_order(order_id)
    if order.status == Order.Status.PENDING_PAYMENT:
        _expire(order)
    return order


def _expire(order: Order) -> None:
    """Expire a locked pending order and give its animals back to stock."""
    _transition(order, Order.Status.EXPIRED)
    _return_stock(order.items.all())
    logger.info("order expired", extra={"order": order.reference})


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
            _expire(order)
            expired.append(order.reference)
    return expired


def order_remind_collection(*, today: date | None = None) -> int:
    """Queue a reminder for each paid or ready order to be collected tomorrow (once per order and date).

    Returns how many orders are due tomorrow; running it twice a day queues nothing new (the dedupe key).
    """
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    orders = Order.objects.filter(collection_date=tomorrow, status__in=Order.AWAITING_COLLECTION).order_by("pk")
    reminded = 0
    for order_id, email in orders.values_list("pk", "email"):
        with transaction.atomic():
            notification_queue(
                kind="collection-reminder",
                to=email,
                context={"order_id": order_id},
                dedupe_key=f"collection-reminder:{order_id}:{tomorrow.isoformat()}",
            )
        reminded += 1
    return reminded


@transaction.atomic
def order_cancel(*, order_id: int, by=None) -> Order:
    """Cancel an order (staff), returning its stock. Raises TransitionNotAllowed when it cannot be cancelled."""
    order = _lock_order(order_id)
    _cancel(order, by=by)
    return order


def _cancel(order: Order, *, by=None, by_customer: bool = False) -> None:
    _transition(order, Order.Status.CANCELLED, by=by, by_customer=by_customer, note="the animals went back to stock")
    _return_stock(order.items.all())
    logger.info("order cancelled", extra={"order": order.reference, "by_customer": by_customer})


@transaction.atomic
def order_mark_ready(*, order_id: int, by=None) -> Order:
    """The animals are ready for the buyer to collect (staff)."""
    order = _lock_order(order_id)
    _transition(order, Order.Status.READY_FOR_COLLECTION, by=by)
    notification_queue(
        kind="order-ready", to=order.email, context={"order_id": order.pk}, dedupe_key=f"order-ready:{order.pk}"
    )
    return order


HANDOVER_CHECKLIST = {
    "id_checked": "photo ID seen and buyer 18 or older",
    "care_pack_given": "care pack given",
    "microchip_transferred": "microchip registration transferred",
}


@transaction.atomic
def order_hand_over(
    *, order_id: int, by, id_checked: bool, care_pack_given: bool, microchip_transferred: bool
) -> Order:
    """The buyer has collected the animals: every item of the checklist must be done; records who and when."""
    done = {
        "id_checked": id_checked,
        "care_pack_given": care_pack_given,
        "microchip_transferred": microchip_transferred,
    }
    missing = [HANDOVER_CHECKLIST[key] for key, ticked in done.items() if not ticked]
    if missing:
        raise OrderError("Before handing over, tick every item of the checklist: " + "; ".join(missing) + ".")
    order = _lock_order(order_id)
    _transition(order, Order.Status.COMPLETED, by=by, note="handed over; " + "; ".join(HANDOVER_CHECKLIST.values()))
    order.handed_over_by = by
    order.save(update_fields=["handed_over_by"])
    logger.info("order handed over", extra={"order": order.reference})
    return order


@transaction.atomic
def order_complete(*, order_id: int, by=None) -> Order:
    order = _lock_order(order_id)
    _transition(order, Order.Status.COMPLETED, by=by)
    return order


def refundable_lines(order: Order, item_ids=None) -> list[OrderItem]:
    """The order's lines not refunded yet: all of them (`item_ids` None), or those of `item_ids`, of which at
    least one must be left (else OrderError)."""
    items = list(order.items.filter(is_refunded=False))
    if item_ids is not None:
        chosen = {int(pk) for pk in item_ids}
        items = [item for item in items if item.pk in chosen]
        if not items:
            raise OrderError("Choose at least one line that has not been refunded yet.")
    return items


@transaction.atomic
def order_record_refund(
    *, order_id: int, item_ids: list[int] | None = None, restock: bool = False, by=None, note: str = ""
) -> Order:
    """Record a refund that the payment provider has made.

    `item_ids` None means the whole order: the order becomes refunded. Otherwise only those lines are
    marked refunded (the order becomes refunded once every line is). With `restock`, the refunded lines'
    animals go back to stock, but only while the order still holds that stock. The order's history says
    which lines, by whom, and whether the animals went back to stock.
    """
    order = _lock_order(order_id)
    items = refundable_lines(order, item_ids)
    if not items and item_ids is None and order.status == Order.Status.REFUNDED:
        return order
    holds_stock = order.status in HOLDS_STOCK
    OrderItem.objects.filter(pk__in=[item.pk for item in items]).update(is_refunded=True)
    restocked = restock and holds_stock
    if restocked:
        _return_stock(items)
    lines = ", ".join(f"{item.quantity} × {item.animal_name}" for item in items)
    details = "; ".join(part for part in [note, lines, "the animals went back to stock" if restocked else ""] if part)
    if not order.items.filter(is_refunded=False).exists():
        _transition(order, Order.Status.REFUNDED, by=by, note=details)
    else:
        _record(order, f"Lines refunded: {details}", by=by)
    logger.info("order refund recorded", extra={"order": order.reference, "lines": len(items)})
    return order


@transaction.atomic
def order_cancel_by_customer(*, order_id: int, by=None) -> Order:
    """The customer cancels their order while it is pending payment: stock goes back at once, an e-mail confirms.

    `by` is the customer's account when logged in; a guest (order link) has none. Either way the history says
    the customer did it, not the shop.
    """
    order = _lock_order(order_id)
    if not order.is_pending:
        raise TransitionNotAllowed(
            f"Order {order.reference} is {order.get_status_display().lower()}: only an unpaid order can be cancelled "
            "here. Please contact the shop."
        )
    _cancel(order, by=by if by is not None and by.is_authenticated else None, by_customer=True)
    notification_queue(
        kind="order-cancelled", to=order.email, context={"order_id": order.pk}, dedupe_key=f"order-cancelled:{order.pk}"
    )
    return order


@dataclass
class Retry:
    """What "Try again" did: `order` to pay now (or None), the names of the animals that are gone, and
    {animal id: quantity} of the animals still for sale that go back into the cart when no order was made."""

    order: Order | None
    gone: list[str] = field(default_factory=list)
    to_cart: dict[int, int] = field(default_factory=dict)


def _retry_collection_date(wanted: date) -> date:
    days = collection_dates(today=timezone.localdate())
    if not days:
        raise CheckoutError("The shop has no collection days open at the moment; please contact the shop.")
    return wanted if wanted in days else next((day for day in days if day > wanted), days[0])


@transaction.atomic
def order_retry(*, order_id: int) -> Retry:
    """Reserve the animals of an order again after a failed, cancelled or expired payment.

    Still pending and within its reservation: the same order, for a new payment attempt. Ended unpaid: a new
    order with the same lines, details and (when still open) collection day, if every animal is still there;
    otherwise no order, the gone animals named and the others returned for the cart.
    """
    order = _lock_order(order_id)
    if order.can_be_paid:
        return Retry(order=order)
    if order.is_pending:  # its reservation ran out and the release job has not got to it yet
        order = order_expire(order_id=order.pk)
    if not order.can_be_retried:
        raise OrderError(f"Order {order.reference} is {order.get_status_display().lower()}: there is nothing to retry.")
    items = list(order.items.all())
    gone = [item.animal_name for item in items if item.animal_id is None]  # deleted since
    wanted = _quantities_per_animal(items)
    animals = _locked_animals(wanted)
    to_cart = {}
    for animal_id, quantity in wanted.items():
        animal = animals.get(animal_id)
        available = min(quantity, animal.stock) if animal and animal.is_published else 0
        if available < quantity:
            gone.append(animal.name if animal else "An animal")
        if available:
            to_cart[animal_id] = available
    if gone:
        return Retry(order=None, gone=gone, to_cart=to_cart)
    new_order = order_place(
        quantities=wanted,
        user=order.user,
        email=order.email,
        full_name=order.full_name,
        phone=order.phone,
        address_line1=order.address_line1,
        address_line2=order.address_line2,
        city=order.city,
        region=order.region,
        postcode=order.postcode,
        country=order.country,
        collection_date=_retry_collection_date(order.collection_date),
        note=order.note,
    )
    logger.info("order retried", extra={"order": order.reference, "new_order": new_order.reference})
    return Retry(order=new_order)


def order_place_from_cart(*, cart, details: dict, user=None, checkout_token: str) -> tuple[Order, bool]:
    """Place the order of a cart and empty the cart; return (the order, placed now). The one way an order is
    placed from a cart: the checkout page (its one-time form token) and the JSON API (a token made from the
    client's Idempotency-Key) both call it with the validated CheckoutForm's `details`.

    - `checkout_token` already used: its order comes back (placed now: False), never a second order.
    - The cart is read against stock first: when that corrected it, or it is empty, CheckoutError (the
      correction is kept in the cart, so the buyer sees the new cart before paying).
    - A line refused at placement (sold meanwhile) is corrected in the cart too before CheckoutError goes on.

    Whether the cart is still the one the buyer saw (CheckoutForm's `cart_version`, `changes`) is the caller's
    check, made with the form before calling this.
    """
    placed = checkout_replayed(checkout_token=checkout_token)
    if placed is not None:
        return placed, False
    lines, notes = cart.lines()
    if notes:
        raise CheckoutError(" ".join(notes), stock=True)
    if not lines:
        raise CheckoutError("Your cart is empty: add an animal before checking out.")
    try:
        order = order_place(quantities=cart.quantities(), user=user, checkout_token=checkout_token, **details)
    except CheckoutError as error:
        if error.animal_id is not None:
            cart.set(error.animal_id, error.available)
        raise
    cart.clear()
    # A twin request with the same token that waited for the stock locks gets the order its twin placed (from
    # order_place) and is told "placed now" too: still one order.
    return order, True


@transaction.atomic
def order_claim_guest_orders(*, user_id: int) -> int:
    """Attach to an account the orders its e-mail address placed as a guest; how many were attached.

    Only for an account whose address is verified (email_verified_at set: the link e-mailed to it was opened), so
    nobody sees another person's orders by signing up with their address. The account's row is locked first, so
    a change of address at the same moment waits; the orders are locked in primary-key order.
    """
    user = get_user_model().objects.select_for_update().get(pk=user_id)
    if user.email_verified_at is None or not user.email:
        return 0
    ids = list(
        Order.objects.select_for_update()
        .filter(user__isnull=True, email__iexact=user.email)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if ids:
        Order.objects.filter(pk__in=ids, user__isnull=True).update(user=user, updated_at=timezone.now())
        logger.info("guest orders attached to account", extra={"user": user.pk, "orders": len(ids)})
    return len(ids)
