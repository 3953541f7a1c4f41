"""The handover pack: one PDF per paid order, the sale receipt and a care sheet for each animal, which the buyer
takes home with the animal and signs for.

Staff download it from the order's admin page and the Collections page, the customer from their order page,
and the "ready for collection" e-mail attaches it: all of them call `handover_pack_pdf(order)`.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone

from animals.models import FACTS, Animal, AnimalPhoto
from orders.models import Order, OrderItem
from payments.models import Payment
from petshop.money import format_money

PAYMENT_METHODS = {
    Payment.Provider.STRIPE: "Card, through Stripe",
    Payment.Provider.DEMO: "Demo payment (no money moved)",
}


class HandoverPackUnavailable(Exception):
    """The order has no handover pack (yet): it is not paid, or no longer stands (cancelled, refunded)."""


@dataclass(frozen=True)
class Care:
    """What a care sheet says about looking after the animal."""

    guide: str  # the care guide, plain text with blank lines between paragraphs
    facts: list[str] = field(default_factory=list)  # short facts that apply to the animal


def care_for(animal: Animal) -> Care:
    """The care guide and the facts printed on `animal`'s care sheet.

    The one place the pack reads care information from: the species' guide for the animal's life stage (young
    or adult, `Animal.care_guide`) and the facts that apply to its species (`Animal.facts()`), as "Label: value".
    """
    in_table = {FACTS["microchipped"], FACTS["neutered"]}  # the sheet's table shows these with the chip number
    facts = [f"{label}: {value}" for label, value in animal.facts() if label not in in_table]
    return Care(guide=animal.care_guide, facts=facts)


@dataclass
class CareSheet:
    animal: Animal
    quantity: int
    photo_url: str
    photo_alt: str
    age: str
    care: Care


def handover_pack_available(order: Order) -> bool:
    """An order has a pack once paid, for as long as it stands (paid, ready for collection, completed)."""
    return order.is_paid


def handover_pack_pdf(order: Order) -> bytes:
    """The handover pack of `order` as PDF bytes; `HandoverPackUnavailable` for an order that is not paid."""
    if not handover_pack_available(order):
        raise HandoverPackUnavailable(
            f"The handover pack of order {order.reference} is ready once the order is paid "
            f"(it is {order.get_status_display().lower()})."
        )
    html = render_to_string("orders/handover_pack.html", handover_pack_context(order))
    # Imported here: WeasyPrint takes a second or more to load, which no other page should pay.
    from orders.pdf import html_to_pdf

    return html_to_pdf(html, base_url=settings.SITE_URL)


def handover_pack_context(order: Order) -> dict:
    """What the pack's template shows, read in four queries (lines with their animals, photos, vaccinations,
    and the payment)."""
    photos = AnimalPhoto.objects.exclude(display="")
    items = list(
        OrderItem.objects.filter(order=order)
        .select_related("animal__species", "animal__breed")
        .prefetch_related(Prefetch("animal__photos", queryset=photos), "animal__vaccinations")
        .order_by("pk")
    )
    payment = (
        Payment.objects.filter(
            order=order,
            status__in=[Payment.Status.PAID, Payment.Status.PARTIALLY_REFUNDED, Payment.Status.REFUNDED],
        )
        .order_by("-pk")
        .first()
    )
    today = timezone.localdate()
    sheets = [_care_sheet(item, today) for item in items if item.animal is not None and not item.is_refunded]
    refunded = payment.refunded_amount if payment is not None else Decimal("0.00")
    return {
        "shop_name": settings.SHOP_NAME,
        "shop_address": settings.SHOP_ADDRESS,
        "order": order,
        "lines": [
            {
                "name": item.animal_name,
                "quantity": item.quantity,
                "unit_price": format_money(item.unit_price, order.currency),
                "line_total": format_money(item.line_total, order.currency),
                "is_refunded": item.is_refunded,
            }
            for item in items
        ],
        "total": format_money(order.total, order.currency),
        "refunded": format_money(refunded, order.currency) if refunded else "",
        "paid_at": order.paid_at or (payment.paid_at if payment is not None else None),
        "payment_method": PAYMENT_METHODS.get(payment.provider, payment.get_provider_display()) if payment else "",
        "sheets": sheets,
        "printed_at": timezone.localtime(),
    }


def _care_sheet(item: OrderItem, today) -> CareSheet:
    animal = item.animal
    photo = next(iter(animal.photos.all()), None)  # the main photo, else the first (AnimalPhoto's ordering)
    if photo is not None:
        photo_url, photo_alt = default_storage.url(photo.display.name), photo.alt_text
    else:
        photo_url, photo_alt = static("animals/no-photo.svg"), f"No photo of {animal.name}"
    return CareSheet(
        animal=animal,
        quantity=item.quantity,
        photo_url=photo_url,
        photo_alt=photo_alt,
        age=animal.age_display,
        care=care_for(animal),
    )
