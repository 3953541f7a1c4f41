"""The outbox: every e-mail is queued here as a row and sent by a worker after the commit.

Callers render nothing and talk to no mail server: they call notification_queue() inside the transaction
of the change that causes the e-mail. The row is sent by notifications.tasks.notification_deliver once that
transaction commits; a failure is retried with backoff (NOTIFICATION_RETRY_DELAYS), and the beat job
notification_sweep re-queues rows left pending (a lost enqueue, a worker that died mid-send).
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from notifications.kinds import get_kind
from notifications.models import Notification

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000
DUE_SLACK = timedelta(seconds=5)  # a delayed message may fire a moment before the row says it is due


class NotificationError(Exception):
    """A message staff can read; nothing was changed."""


def notification_render(*, kind: str, context: dict) -> tuple[str, str, str]:
    """The subject, text body and HTML body ("" when the kind has none) of one e-mail of `kind`."""
    declared = get_kind(kind)
    values = declared.build(**context)
    values.update(SHOP_NAME=settings.SHOP_NAME, SITE_URL=settings.SITE_URL.rstrip("/"))
    subject = " ".join(str(values["subject"]).split())[:255]
    text = render_to_string(f"{declared.template}.txt", values)
    html = render_to_string(f"{declared.template}.html", values) if declared.html else ""
    return subject, text, html


def notification_queue(
    *, kind: str, to: str, context: dict, dedupe_key: str, headers: dict[str, str] | None = None
) -> Notification:
    """Write an e-mail to the outbox, once per `dedupe_key`; it is sent after the current transaction commits.

    `context` holds plain values (ids, tokens) that the kind's function turns into the templates' context.
    Queuing the same `dedupe_key` again returns the row already there and queues nothing. `headers` are extra
    e-mail headers (a `List-Unsubscribe` link), sent with the message as they are.
    """
    existing = Notification.objects.filter(dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    subject, text, html = notification_render(kind=kind, context=context)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                kind=kind,
                to=to,
                subject=subject,
                body_text=text,
                body_html=html,
                dedupe_key=dedupe_key,
                context=context,
                headers=headers or {},
            )
    except IntegrityError:  # the same key queued a moment ago by another transaction
        return Notification.objects.get(dedupe_key=dedupe_key)
    _deliver_on_commit(notification.pk)
    return notification


def _deliver_on_commit(notification_id: int) -> None:
    from notifications.tasks import notification_deliver

    notification_deliver.delay_on_commit(notification_id)


@dataclass(frozen=True)
class SendResult:
    outcome: str  # sent, retry, failed, skipped (already sent or failed, being sent, gone or not due yet)
    retry_in: int | None = None


class OneLineHeader(str):
    """An extra header's value, sent on one line as it is.

    Python's e-mail policy folds a header at 78 characters and, for a value without spaces (a long URL), turns
    it into RFC 2047 encoded words, which mail programs do not read as `List-Unsubscribe: <https://...>`. An
    ASCII value is short enough for one line (RFC 5322 allows 998 characters): the policy keeps an object with
    a `name` and `fold()` as it is.
    """

    def __new__(cls, name: str, value: str):
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __getnewargs__(self):  # copied (the in-memory mail backend deep-copies each message) and pickled
        return (self.name, str(self))

    def fold(self, *, policy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def _extra_header(name: str, value: str):
    if value.isascii() and value.isprintable() and len(name) + len(value) < 990:
        return OneLineHeader(name, value)
    return value


def _email(notification: Notification) -> EmailMultiAlternatives:
    extra = {name: _extra_header(name, str(value)) for name, value in notification.headers.items()}
    message = EmailMultiAlternatives(
        notification.subject,
        notification.body_text,
        to=[notification.to],
        headers={**extra, "Message-ID": notification.message_id},
    )
    if notification.body_html:
        message.attach_alternative(notification.body_html, "text/html")
    build_attachments = get_kind(notification.kind).attachments
    if build_attachments is not None and notification.context:  # rows queued before `context` existed have none
        for attachment in build_attachments(**notification.context):
            message.attach(attachment.filename, attachment.content, attachment.mimetype)
    return message


def notification_send(*, notification_id: int, now: datetime | None = None) -> SendResult:
    """Send one pending, due row and mark it sent, under its row lock; safe to run twice, also at once.

    A row locked by another worker is skipped (that worker is sending it). A refused or unreachable mail
    server counts an attempt: the row is due again after the next retry delay, or failed after the last one.
    """
    now = now or timezone.now()
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=notification_id, status=Notification.Status.PENDING, next_attempt_at__lte=now + DUE_SLACK)
            .first()
        )
        if notification is None:
            return SendResult("skipped")
        notification.attempts += 1
        log = {"notification": notification.pk, "kind": notification.kind, "attempt": notification.attempts}
        try:
            _email(notification).send()
        except (SMTPException, OSError) as error:
            notification.last_error = f"{type(error).__name__}: {error}"[:ERROR_LENGTH]
            delays = settings.NOTIFICATION_RETRY_DELAYS
            if notification.attempts > len(delays):
                notification.status = Notification.Status.FAILED
                notification.save(update_fields=["attempts", "last_error", "status"])
                logger.error("e-mail failed for good", extra=log)
                return SendResult("failed")
            retry_in = delays[notification.attempts - 1]
            notification.next_attempt_at = now + timedelta(seconds=retry_in)
            notification.save(update_fields=["attempts", "last_error", "next_attempt_at"])
            logger.warning("e-mail not sent, retried in %s s: %s", retry_in, error, extra=log)
            return SendResult("retry", retry_in)
        notification.status = Notification.Status.SENT
        notification.sent_at = timezone.now()
        fields = ["attempts", "status", "sent_at"]
        if get_kind(notification.kind).sensitive:
            # A one-time link is kept only until it is sent: the database never holds a usable one after.
            notification.body_text = notification.body_html = ""
            fields += ["body_text", "body_html"]
        notification.save(update_fields=fields)
        logger.info("e-mail sent", extra=log)
        return SendResult("sent")


@transaction.atomic
def notification_resend(*, notification_id: int) -> Notification:
    """Send a row again (staff): pending now, with a fresh set of retries. Refused for secret-bearing kinds."""
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    if get_kind(notification.kind).sensitive:
        raise NotificationError(
            f"A {notification.kind} e-mail holds a one-time link and cannot be resent; the customer can ask again."
        )
    if notification.status == Notification.Status.PENDING:
        raise NotificationError(f"The e-mail to {notification.to} is already waiting to be sent.")
    notification.status = Notification.Status.PENDING
    notification.attempts = 0
    notification.next_attempt_at = timezone.now()
    notification.last_error = ""
    notification.save(update_fields=["status", "attempts", "next_attempt_at", "last_error"])
    _deliver_on_commit(notification.pk)
    return notification


def notification_requeue_stuck(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Queue again the rows left pending past their time (a lost enqueue, a killed worker); how many."""
    now = now or timezone.now()
    after = timedelta(seconds=settings.NOTIFICATION_STUCK_SECONDS)
    ids = list(
        Notification.objects.stuck(now, after=after).order_by("next_attempt_at").values_list("pk", flat=True)[:limit]
    )
    from notifications.tasks import notification_deliver

    for notification_id in ids:
        notification_deliver.delay(notification_id)
    if ids:
        logger.warning("stuck e-mails queued again", extra={"count": len(ids)})
    return len(ids)


def notification_prune(*, now: datetime | None = None) -> int:
    """Delete sent rows older than NOTIFICATION_KEEP_DAYS; how many. Failed and pending rows stay."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.NOTIFICATION_KEEP_DAYS)
    deleted, _ = Notification.objects.filter(status=Notification.Status.SENT, sent_at__lt=cutoff).delete()
    return deleted
