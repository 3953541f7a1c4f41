"""The e-mails about payments (kinds of the notifications outbox; queued by payments.services)."""

from django.conf import settings

from notifications.kinds import notification_kind
from orders.emails import order_link
from payments.models import Refund


def _refund_context(refund_id: int, subject: str) -> dict:
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    order = refund.payment.order
    return {
        "subject": f"{settings.SHOP_NAME}: {subject.format(reference=order.reference)}",
        "refund": refund,
        "order": order,
        "order_url": order_link(order),
    }


@notification_kind("payment-refunded", template="payments/email/payment_refunded")
def payment_refunded(*, refund_id: int) -> dict:
    return _refund_context(refund_id, "your payment for order {reference} was refunded")


@notification_kind("late-payment-refunded", template="payments/email/late_payment_refunded")
def late_payment_refunded(*, refund_id: int) -> dict:
    return _refund_context(refund_id, "your payment for order {reference} was refunded")
