"""The shop's invariants after a load run, read straight from the database.

    python bench/invariants.py snapshot STATE.json
        records, per animal, stock + quantity held by orders (before the load)
    python bench/invariants.py check STATE.json REFERENCES.txt
        prints PASS/FAIL per invariant and exits 1 on any failure:
        - stock never negative
        - no animal sold twice: stock + quantities held by orders is what it was before the run,
          and no animal is held by more orders than it had stock for
        - every order the customers were told about exists (no lost order)
        - every order has lines and its total equals the sum of its lines (no half-written order)
        - every paid order has its paid payment

Run with the shop's environment (DATABASE_URL, SECRET_KEY, ...); bench/load.py does.
"""

import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "petshop.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count, DecimalField, F, Q, Sum  # noqa: E402
from django.db.models.functions import Coalesce  # noqa: E402

from animals.models import Animal  # noqa: E402
from orders.models import Order, OrderItem  # noqa: E402
from payments.models import Payment  # noqa: E402

PAID = sorted(Order.PAID_STATUSES)
HOLDING = [Order.Status.PENDING_PAYMENT, *PAID]


def accounted_stock() -> dict[str, int]:
    """Per animal: what is on the shelf plus what orders hold. Only the shop's own moves change it."""
    held = dict(
        OrderItem.objects.filter(order__status__in=HOLDING, animal__isnull=False, is_refunded=False)
        .values_list("animal_id")
        .annotate(total=Sum("quantity"))
    )
    return {str(pk): stock + held.get(pk, 0) for pk, stock in Animal.objects.values_list("pk", "stock")}


def check(state_path: Path, references_path: Path) -> int:
    failures = 0

    def report(name: str, problems: list) -> None:
        nonlocal failures
        failures += bool(problems)
        shown = ", ".join(str(problem) for problem in problems[:10])
        print(f"{'FAIL' if problems else 'PASS'}  {name}{'  ' + shown if problems else ''}", flush=True)

    before = json.loads(state_path.read_text())
    now = accounted_stock()
    report("stock never negative", list(Animal.objects.filter(stock__lt=0).values_list("pk", flat=True)))
    report(
        "no animal sold twice (stock + held by orders unchanged)",
        [f"animal {pk}: {before[pk]} -> {now.get(pk)}" for pk in before if now.get(pk) != before[pk]],
    )

    told = [line.strip() for line in references_path.read_text().splitlines() if line.strip()]
    found = set(Order.objects.filter(reference__in=told).values_list("reference", flat=True))
    report(f"no lost order ({len(told)} orders confirmed to customers)", sorted(set(told) - found))

    lines_sum = Coalesce(
        Sum(F("items__unit_price") * F("items__quantity")),
        0,
        output_field=DecimalField(max_digits=12, decimal_places=2),
    )
    orders = Order.objects.annotate(lines=Count("items"), lines_sum=lines_sum)
    report(
        "every order has lines (no half-written order)",
        list(orders.filter(lines=0).values_list("reference", flat=True)),
    )
    report(
        "every order's total equals the sum of its lines",
        [
            f"{r}: {t} != {s}"
            for r, t, s in orders.exclude(total=F("lines_sum")).values_list("reference", "total", "lines_sum")
        ],
    )
    paid_payment = Payment.objects.filter(status=Payment.Status.PAID)
    report(
        "every paid order has its paid payment",
        list(
            Order.objects.filter(status__in=PAID)
            .exclude(Q(pk__in=paid_payment.values("order_id")))
            .values_list("reference", flat=True)
        ),
    )
    counts = dict(Order.objects.values_list("status").annotate(n=Count("pk")))
    print(f"orders by status: {json.dumps(counts)}")
    return 1 if failures else 0


def main(argv: list[str]) -> int:
    if len(argv) == 3 and argv[1] == "snapshot":
        Path(argv[2]).write_text(json.dumps(accounted_stock()))
        return 0
    if len(argv) == 4 and argv[1] == "check":
        return check(Path(argv[2]), Path(argv[3]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
