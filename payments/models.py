from decimal import Decimal

from django.db import models
from django.db.models import Q


class PaymentQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Payment.Status.OPEN)

    def overdue(self, now):
        """Open sessions that should have finished: past their own expiry or their order's reservation."""
        return self.open().filter(Q(expires_at__lte=now) | Q(order__reserved_until__lte=now))


class Payment(models.Model):
    """One attempt to pay an order through a provider (a Stripe Checkout Session or a demo session)."""

    class Provider(models.TextChoices):
        STRIPE = "stripe", "Stripe"
        DEMO = "demo", "Demo"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        FAILED = "failed", "Failed"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"
        PARTIALLY_REFUNDED = "partially_refunded", "Partially refunded"

    # Money arrived (whatever happened to it since).
    SETTLED_STATUSES = frozenset({Status.PAID, Status.REFUNDED, Status.PARTIALLY_REFUNDED})

    order = models.ForeignKey("orders.Order", on_delete=models.PROTECT, related_name="payments")
    provider = models.CharField(max_length=10, choices=Provider.choices)
    attempt = models.PositiveSmallIntegerField(default=1)
    checkout_session_id = models.CharField(max_length=255, unique=True)
    checkout_url = models.URLField(max_length=1000, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    refunded_amount = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="When the provider's session stops taking payment."
    )

    objects = PaymentQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["order", "attempt"], name="payment_attempt_unique_per_order"),
        ]
        indexes = [models.Index(fields=["status", "expires_at"], name="payment_status_expires_idx")]

    def __str__(self):
        return f"{self.get_provider_display()} {self.checkout_session_id}"

    @property
    def is_settled(self):
        """Money arrived (whatever happened to it since): a later event may not undo it."""
        return self.status in self.SETTLED_STATUSES

    @property
    def remaining_amount(self):
        return self.amount - self.refunded_amount


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    provider_refund_id = models.CharField(max_length=255, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    reason = models.CharField(max_length=200, blank=True)
    restocked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Refund {self.amount} of {self.payment}"


class WebhookEvent(models.Model):
    """Each provider event id is recorded once; a repeated delivery finds its row and does nothing."""

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100)
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
