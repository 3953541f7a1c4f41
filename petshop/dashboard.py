"""The figures on the admin index (the staff dashboard) and the bar charts that draw them.

The charts are plain SVG written by `templates/admin/_bar_chart.html` from the bar geometry computed here:
no JavaScript (the Content Security Policy allows no inline script) and no chart package to keep up to date.
Each chart comes with its figures as a table, its text alternative.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

from animals.models import Animal
from orders.selectors import collections, weekly_sales
from petshop.money import format_money

CHART_WIDTH = 480
CHART_HEIGHT = 160  # the bars' area; the labels go below it
LABEL_SPACE = 16
BAR_GAP = 4


@dataclass
class Bar:
    label: str
    value: int | Decimal
    shown: str  # the value as the table and the tooltip show it
    x: float
    y: float
    width: float
    height: float

    @property
    def center(self) -> float:
        return round(self.x + self.width / 2, 1)

    @property
    def short(self) -> str:
        """The value above the bar: money in whole units, so that it fits."""
        return f"{self.value:,.0f}" if isinstance(self.value, Decimal) else str(self.value)


@dataclass
class BarChart:
    id: str
    title: str
    label_heading: str
    value_heading: str
    bars: list[Bar]
    width: int = CHART_WIDTH
    height: int = CHART_HEIGHT
    label_y: int = CHART_HEIGHT + LABEL_SPACE - 4
    view_height: int = CHART_HEIGHT + LABEL_SPACE + 4


def bar_chart(
    *, id: str, title: str, label_heading: str, value_heading: str, rows: list[tuple[str, int | Decimal, str]]
) -> BarChart:
    """A chart of (label, value, value as shown) rows: the tallest bar fills the height, zero draws nothing."""
    top = max((value for _, value, _ in rows), default=0) or 1
    slot = CHART_WIDTH / max(len(rows), 1)
    bars = []
    for n, (label, value, shown) in enumerate(rows):
        height = round(float(value) / float(top) * (CHART_HEIGHT - 20), 1)
        bars.append(
            Bar(
                label=label,
                value=value,
                shown=shown,
                x=round(n * slot + BAR_GAP / 2, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(slot - BAR_GAP, 1),
                height=height,
            )
        )
    return BarChart(id=id, title=title, label_heading=label_heading, value_heading=value_heading, bars=bars)


def species_for_sale() -> list[tuple[str, int]]:
    """(species name, animals in stock on published listings), every species, in the shop's species order."""
    rows = (
        Animal.objects.available()
        .values("species__name", "species__display_order")
        .annotate(count=Sum("stock"))
        .order_by("species__display_order", "species__name")
    )
    return [(row["species__name"], row["count"]) for row in rows]


def dashboard(*, today: date, currency: str) -> dict:
    weeks = weekly_sales(today=today)
    days = collections(today=today, days=6)  # today and the six days after it
    week_label = "%d %b"  # the Monday that starts the week
    return {
        "charts": [
            bar_chart(
                id="orders-per-week",
                label_heading="Week starting",
                title="Paid orders per week (last 12 weeks)",
                value_heading="Orders",
                rows=[(w.start.strftime(week_label), w.orders, str(w.orders)) for w in weeks],
            ),
            bar_chart(
                id="revenue-per-week",
                label_heading="Week starting",
                title=f"Revenue per week in {currency.upper()} (last 12 weeks)",
                value_heading=f"Revenue ({currency.upper()})",
                rows=[(w.start.strftime(week_label), w.revenue, format_money(w.revenue, currency)) for w in weeks],
            ),
            bar_chart(
                id="animals-for-sale",
                label_heading="Species",
                title="Animals for sale per species",
                value_heading="Animals",
                rows=[(name, count, str(count)) for name, count in species_for_sale()],
            ),
            bar_chart(
                id="collections-next-7-days",
                label_heading="Day",
                title="Collections in the next 7 days",
                value_heading="Orders",
                rows=[(_day_label(d), len(d.orders), str(len(d.orders))) for d in days],
            ),
        ]
    }


def _day_label(day) -> str:
    return day.label or day.day.strftime("%a %d")
