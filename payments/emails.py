"""E-mails about payments, sent after the transaction that changed them has committed."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from orders.emails import order_link
from payments.models import Refund

logger = logging.getLogger(__name__)


def send_payment_refunded(refund_id: int) -> None:
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    order = refund.payment.order
    context = {"refund": refund, "order": order, "SHOP_NAME": settings.SHOP_NAME, "order_url": order_link(order)}
    text = render_to_string("payments/email/payment_refunded.txt", context)
    html = render_to_string("payments/email/payment_refunded.html", context)
    subject = f"{settings.SHOP_NAME}: your payment for order {order.reference} was refunded"
    message = EmailMultiAlternatives(subject, text, to=[order.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError):
        logger.warning("refund e-mail not sent", extra={"order": order.reference}, exc_info=True)
