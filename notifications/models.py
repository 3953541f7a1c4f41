from email.utils import parseaddr

from django.conf import settings
from django.db import models
from django.utils import timezone


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        """Pending rows whose next attempt is due."""
        return self.filter(status=Notification.Status.PENDING, next_attempt_at__lte=now)

    def stuck(self, now, *, after):
        """Pending rows whose attempt is overdue by `after` (a lost enqueue, a worker that died mid-send)."""
        return self.due(now - after)


class Notification(models.Model):
    """One e-mail in the outbox: written in the transaction that causes it, sent by a worker after the commit."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    kind = models.CharField(max_length=50, db_index=True)
    to = models.EmailField("recipient", max_length=254, db_index=True)
    subject = models.CharField(max_length=255)
    body_text = models.TextField("text body")
    body_html = models.TextField("HTML body", blank=True)
    # Extra e-mail headers ({"List-Unsubscribe": "<https://...>"}), sent as they are with every attempt.
    headers = models.JSONField(default=dict, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    # The kind's plain values (ids), for what is made at send time (attachments): never a file or a secret.
    context = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="notification_due")]

    def __str__(self):
        return f"{self.kind} to {self.to}"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt, so a mail system (and a customer's) can recognise a repeat."""
        domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "petshop.localhost"
        return f"<notification.{self.pk}.{int(self.created_at.timestamp())}@{domain}>"
