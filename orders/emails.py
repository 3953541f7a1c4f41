"""E-mails about an order, sent after the transaction that changed it has committed."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from orders.models import Order

logger = logging.getLogger(__name__)


def order_link(order: Order) -> str:
    """The absolute, unguessable link to the order page (works for guests too)."""
    return (
        f"{settings.SITE_URL.rstrip('/')}{reverse('orders:detail', args=[order.reference])}?token={order.access_token}"
    )


def _send(order: Order, subject: str, template: str, extra=None) -> None:
    context = {
        "order": order,
        "items": list(order.items.all()),
        "SHOP_NAME": settings.SHOP_NAME,
        "order_url": order_link(order),
    }
    context.update(extra or {})
    text = render_to_string(f"orders/email/{template}.txt", context)
    html = render_to_string(f"orders/email/{template}.html", context)
    message = EmailMultiAlternatives(f"{settings.SHOP_NAME}: {subject}", text, to=[order.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError):
        # The order is saved whatever the mail server says; the failure is logged for staff to follow up.
        logger.warning("order e-mail not sent", extra={"order": order.reference, "template": template}, exc_info=True)


def send_order_received(order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    _send(order, f"order {order.reference} received", "order_received")


def send_order_paid(order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    _send(order, f"payment received for order {order.reference}", "order_paid")


def send_order_cancelled(order_id: int) -> None:
    order = Order.objects.get(pk=order_id)
    _send(order, f"order {order.reference} cancelled", "order_cancelled")
