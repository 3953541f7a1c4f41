"""The e-mails about an order (kinds of the notifications outbox; queued by orders.services)."""

from django.conf import settings
from django.urls import reverse

from notifications.kinds import Attachment, notification_kind
from orders.handover import HandoverPackUnavailable, handover_pack_pdf
from orders.models import Order
from petshop.links import absolute_url


def order_link(order: Order) -> str:
    """The absolute, unguessable link to the order page (works for guests too)."""
    return absolute_url(f"{reverse('orders:detail', args=[order.reference])}?token={order.access_token}")


def _order_context(order_id: int, subject: str) -> dict:
    order = Order.objects.get(pk=order_id)
    return {
        "subject": f"{settings.SHOP_NAME}: {subject.format(reference=order.reference)}",
        "order": order,
        "items": list(order.items.all()),
        "order_url": order_link(order),
    }


@notification_kind("order-received", template="orders/email/order_received")
def order_received(*, order_id: int) -> dict:
    return _order_context(order_id, "order {reference} received")


@notification_kind("order-paid", template="orders/email/order_paid")
def order_paid(*, order_id: int) -> dict:
    return _order_context(order_id, "payment received for order {reference}")


def handover_pack_attachment(*, order_id: int) -> list[Attachment]:
    """The handover pack as the order stands when the e-mail is sent; none if the order no longer has one
    (cancelled or refunded meanwhile)."""
    order = Order.objects.filter(pk=order_id).first()
    if order is None:
        return []
    try:
        pdf = handover_pack_pdf(order)
    except HandoverPackUnavailable:
        return []
    return [Attachment(f"handover-pack-{order.reference}.pdf", pdf, "application/pdf")]


@notification_kind("order-ready", template="orders/email/order_ready", attachments=handover_pack_attachment)
def order_ready(*, order_id: int) -> dict:
    return _order_context(order_id, "order {reference} is ready for collection")


@notification_kind("collection-reminder", template="orders/email/collection_reminder")
def collection_reminder(*, order_id: int) -> dict:
    return _order_context(order_id, "see you tomorrow to collect order {reference}")


@notification_kind("staff-order-paid", template="orders/email/staff_order_paid")
def staff_order_paid(*, order_id: int) -> dict:
    context = _order_context(order_id, "new paid order {reference}")
    order = context["order"]
    context["admin_url"] = absolute_url(reverse("admin:orders_order_change", args=[order.pk]))
    return context


@notification_kind("order-cancelled", template="orders/email/order_cancelled")
def order_cancelled(*, order_id: int) -> dict:
    return _order_context(order_id, "order {reference} cancelled")
