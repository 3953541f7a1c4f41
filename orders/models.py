import secrets
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_countries.fields import CountryField

from orders.addresses import address_lines
from orders.collection import phone_display

REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: easy to read out over the phone


def new_reference():
    return "PS-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def new_access_token():
    return secrets.token_urlsafe(24)


def collection_dates(*, today: date) -> list[date]:
    """The days an order can be collected: opening days from tomorrow up to SHOP_COLLECTION_DAYS_AHEAD ahead."""
    days = range(1, settings.SHOP_COLLECTION_DAYS_AHEAD + 1)
    candidates = (today + timedelta(days=offset) for offset in days)
    return [day for day in candidates if day.weekday() in settings.SHOP_OPENING_WEEKDAYS]


class OrderQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)

    def pending(self):
        return self.filter(status=Order.Status.PENDING_PAYMENT)

    def past_reservation(self, now):
        return self.pending().filter(reserved_until__lt=now)


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment", "Pending payment"
        PAID = "paid", "Paid"
        READY_FOR_COLLECTION = "ready_for_collection", "Ready for collection"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"
        EXPIRED = "expired", "Expired"
        REFUNDED = "refunded", "Refunded"

    # Paid, whatever happened since (handed over or not): a later payment of it is refunded.
    PAID_STATUSES = frozenset({Status.PAID, Status.READY_FOR_COLLECTION, Status.COMPLETED})
    # Paid and not handed over yet: the animals are still in the shop, waiting for their buyer.
    AWAITING_COLLECTION = frozenset({Status.PAID, Status.READY_FOR_COLLECTION})
    # The moves each status allows; every change of status goes through orders.services.
    NEXT = {
        Status.PENDING_PAYMENT: {Status.PAID, Status.CANCELLED, Status.EXPIRED},
        Status.PAID: {Status.READY_FOR_COLLECTION, Status.REFUNDED, Status.CANCELLED},
        Status.READY_FOR_COLLECTION: {Status.COMPLETED, Status.REFUNDED, Status.CANCELLED},
        Status.COMPLETED: {Status.REFUNDED},
        # A payment that arrives after expiry re-reserves the animals (-> paid) or is refunded.
        Status.CANCELLED: {Status.REFUNDED},
        Status.EXPIRED: {Status.PAID, Status.REFUNDED},
        Status.REFUNDED: set(),
    }

    reference = models.CharField(max_length=12, unique=True, default=new_reference, editable=False)
    access_token = models.CharField(max_length=64, unique=True, default=new_access_token, editable=False)
    # The one-time token of the checkout form that made this order: a repeated submission finds it here.
    checkout_token = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="orders"
    )
    email = models.EmailField()
    full_name = models.CharField(max_length=150)
    # E.164 (+12175550123), checked by the checkout form; a plain string so exports and the admin read it as text.
    phone = models.CharField(max_length=30)
    address_line1 = models.CharField(max_length=200)
    address_line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    region = models.CharField("state or region", max_length=100, blank=True)
    postcode = models.CharField(max_length=20)
    country = CountryField()
    collection_date = models.DateField()
    note = models.TextField(blank=True)
    status = models.CharField(max_length=24, choices=Status.choices, default=Status.PENDING_PAYMENT)
    currency = models.CharField(max_length=3, default="usd")
    total = models.DecimalField(max_digits=10, decimal_places=2, default=Decimal("0.00"))
    reserved_until = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    ready_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    expired_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    objects = OrderQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(total__gte=0), name="order_total_not_negative")]
        indexes = [
            models.Index(fields=["status", "reserved_until"], name="order_status_reserved_idx"),
            models.Index(fields=["user", "-created_at"], name="order_user_created_idx"),
            models.Index(fields=["-created_at"], name="order_created_idx"),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("orders:detail", kwargs={"reference": self.reference})

    def can_become(self, status):
        return status in self.NEXT[self.Status(self.status)]

    @property
    def is_pending(self):
        return self.status == self.Status.PENDING_PAYMENT

    @property
    def can_be_paid(self):
        return self.is_pending and self.reserved_until > timezone.now()

    @property
    def can_be_retried(self):
        """Ended before it was paid: "Try again" reserves the same animals for a new attempt."""
        if self.is_pending:
            return not self.can_be_paid  # its reservation ran out; the release job has not expired it yet
        return self.status in {self.Status.EXPIRED, self.Status.CANCELLED} and self.paid_at is None

    @property
    def badge_class(self):
        return STATUS_BADGE[self.Status(self.status)]

    @property
    def phone_display(self) -> str:
        """The phone number written for people: national format for the shop's country, international otherwise."""
        return phone_display(self.phone)

    @property
    def address_lines(self) -> list[str]:
        return address_lines(
            full_name=self.full_name,
            line1=self.address_line1,
            line2=self.address_line2,
            city=self.city,
            region=self.region,
            postcode=self.postcode,
            country=self.country.code,
        )

    @property
    def is_paid(self):
        return self.status in self.PAID_STATUSES


# The Bootstrap badge class of each status: one mapping for the customer pages and the admin.
STATUS_BADGE = {
    Order.Status.PENDING_PAYMENT: "text-bg-warning",
    Order.Status.PAID: "text-bg-success",
    Order.Status.READY_FOR_COLLECTION: "text-bg-info",
    Order.Status.COMPLETED: "text-bg-primary",
    Order.Status.CANCELLED: "text-bg-secondary",
    Order.Status.EXPIRED: "text-bg-dark",
    Order.Status.REFUNDED: "text-bg-danger",
}


class OrderItem(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="items")
    animal = models.ForeignKey(
        "animals.Animal", on_delete=models.SET_NULL, null=True, blank=True, related_name="order_items"
    )
    animal_name = models.CharField(max_length=100)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()
    is_refunded = models.BooleanField(default=False)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="orderitem_quantity_positive"),
            models.CheckConstraint(condition=Q(unit_price__gte=0), name="orderitem_price_not_negative"),
        ]

    def __str__(self):
        return f"{self.quantity} × {self.animal_name}"

    @property
    def line_total(self):
        return self.unit_price * self.quantity

    @property
    def photo(self):
        """The animal's main photo when it has a thumbnail, or None (prefetch `items__animal__photos`)."""
        if self.animal is None:
            return None
        photos = self.animal.photos.all()
        return photos[0] if photos and photos[0].thumbnail else None


class OrderEvent(models.Model):
    """One line of an order's history: what happened, who did it (None: the shop itself, or a guest customer when
    `by_customer`) and when."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    by_customer = models.BooleanField(default=False, help_text="Done by the customer (with an account or as a guest).")
    status = models.CharField(max_length=24, choices=Order.Status.choices, blank=True)
    description = models.CharField(max_length=300)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["order", "at"], name="orderevent_order_at_idx")]

    def __str__(self):
        return f"{self.order}: {self.description}"

    @property
    def actor(self) -> str:
        """Who did it, as the history shows it."""
        if self.by_customer:
            return f"the customer ({self.by.get_username()})" if self.by else "the customer (guest)"
        return self.by.get_username() if self.by else "the shop"
