"""Reads of orders for staff pages: the collections to come and the weekly sales figures."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from animals.models import Animal
from orders.models import Order, OrderItem

# Orders still to be collected, or collected already (shown so the day's list stays complete).
COLLECTABLE = [
    Order.Status.PENDING_PAYMENT,
    Order.Status.PAID,
    Order.Status.READY_FOR_COLLECTION,
    Order.Status.COMPLETED,
]


@dataclass
class CollectionDay:
    day: date
    label: str  # "Today", "Tomorrow" or ""
    orders: list = field(default_factory=list)


def collections(*, today: date, days: int = 7) -> list[CollectionDay]:
    """The orders to collect from `today` to `today + days`, one `CollectionDay` per date (empty days included).

    Each order carries `lines` (its items not refunded), each line its `animal` annotated with its main
    thumbnail (or None when the animal was deleted). Three queries whatever the number of orders.
    """
    end = today + timedelta(days=days)
    lines = OrderItem.objects.filter(is_refunded=False).order_by("pk")
    orders = list(
        Order.objects.filter(collection_date__range=(today, end), status__in=COLLECTABLE)
        .order_by("collection_date", "full_name", "pk")
        .prefetch_related(Prefetch("items", queryset=lines, to_attr="lines"))
    )
    animal_ids = {line.animal_id for order in orders for line in order.lines if line.animal_id}
    animals = Animal.objects.filter(pk__in=animal_ids).with_main_thumbnail().in_bulk() if animal_ids else {}
    result = {}
    for offset in range(days + 1):
        day = today + timedelta(days=offset)
        label = {0: "Today", 1: "Tomorrow"}.get(offset, "")
        result[day] = CollectionDay(day=day, label=label)
    for order in orders:
        for line in order.lines:
            line.animal_with_photo = animals.get(line.animal_id)
        result[order.collection_date].orders.append(order)
    return list(result.values())


@dataclass
class WeekSales:
    start: date
    orders: int
    revenue: Decimal


def weekly_sales(*, today: date, weeks: int = 12) -> list[WeekSales]:
    """Paid orders and their revenue per week (Monday to Sunday, shop time), the last `weeks` weeks up to this one.

    An order counts in the week it was paid (`paid_at`), whatever happened to it later; revenue is the sum of
    those orders' totals.
    """
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=weeks - 1)
    since = timezone.make_aware(datetime.combine(first, time.min))
    rows = (
        Order.objects.filter(paid_at__gte=since)
        .annotate(week=TruncWeek("paid_at"))
        .values("week")
        .annotate(orders=Count("pk"), revenue=Sum("total"))
        .order_by()
    )
    by_week = {
        timezone.localdate(row["week"]) if isinstance(row["week"], datetime) else row["week"]: row for row in rows
    }
    result = []
    for n in range(weeks):
        start = first + timedelta(weeks=n)
        row = by_week.get(start, {"orders": 0, "revenue": Decimal("0.00")})
        result.append(WeekSales(start=start, orders=row["orders"], revenue=row["revenue"] or Decimal("0.00")))
    return result
