"""Sending, retrying, giving up, resending, the sweep and pruning, against a real SMTP server on loopback."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from notifications.services import (
    NotificationError,
    notification_prune,
    notification_requeue_stuck,
    notification_resend,
    notification_send,
)
from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


def row(**overrides) -> Notification:
    values = {
        "kind": "order-received",
        "to": "ann@example.com",
        "subject": "Petshop: order PS-1 received",
        "body_text": "Hello Ann,\nhttps://shop.example.test/orders/PS-1/?token=abc\n",
        "body_html": "<p>Hello Ann</p>",
        "dedupe_key": f"test:{Notification.objects.count()}",
    }
    values.update(overrides)
    return Notification.objects.create(**values)


def test_a_row_is_sent_with_a_stable_message_id(smtp_server):
    notification = row()
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    notification.refresh_from_db()
    assert notification.status == Notification.Status.SENT
    [message] = smtp_server.recorder.messages
    assert message["Message-ID"] == notification.message_id
    assert message["To"] == "ann@example.com"
    assert message["Subject"] == "Petshop: order PS-1 received"
    assert message.is_multipart()


def test_a_row_s_extra_headers_are_sent_and_cannot_replace_the_message_id(smtp_server):
    # Longer than one folded line: sent on one line as it is, never split into encoded words.
    unsubscribe = "<https://shop.example.test/alerts/unsubscribe/MTEz:1xZ2b6:3HZuM2Bj4N_RvJj1rL3uP6xwZ-nUB9IZ/>"
    notification = row(headers={"List-Unsubscribe": unsubscribe, "Message-ID": "<forged@example.com>"})
    notification_send(notification_id=notification.pk)
    [message] = smtp_server.recorder.messages
    assert message["List-Unsubscribe"] == unsubscribe
    assert message["Message-ID"] == notification.message_id


def test_a_sent_row_is_never_sent_again(smtp_server):
    notification = row()
    notification_send(notification_id=notification.pk)
    assert notification_send(notification_id=notification.pk).outcome == "skipped"
    assert len(smtp_server.recorder.messages) == 1


def test_smtp_down_counts_an_attempt_and_backs_off(smtp_server, settings):
    settings.NOTIFICATION_RETRY_DELAYS = [30, 600]
    smtp_server.down()
    notification = row()
    now = timezone.now()
    result = notification_send(notification_id=notification.pk, now=now)
    assert (result.outcome, result.retry_in) == ("retry", 30)
    notification.refresh_from_db()
    assert notification.status == Notification.Status.PENDING
    assert notification.attempts == 1
    assert "Connection" in notification.last_error or "refused" in notification.last_error.lower()
    assert notification.next_attempt_at == now + timedelta(seconds=30)
    # Not due yet: a message arriving early changes nothing.
    assert notification_send(notification_id=notification.pk, now=now + timedelta(seconds=10)).outcome == "skipped"
    smtp_server.up()
    assert notification_send(notification_id=notification.pk, now=now + timedelta(seconds=30)).outcome == "sent"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.SENT, 2)
    assert len(smtp_server.recorder.messages) == 1


def test_after_the_last_retry_the_row_is_failed(smtp_server, settings):
    settings.NOTIFICATION_RETRY_DELAYS = [30]
    smtp_server.down()
    notification = row()
    now = timezone.now()
    assert notification_send(notification_id=notification.pk, now=now).outcome == "retry"
    assert notification_send(notification_id=notification.pk, now=now + timedelta(seconds=30)).outcome == "failed"
    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == (Notification.Status.FAILED, 2)
    assert notification.last_error


def test_the_default_schedule_retries_within_a_minute_and_for_at_least_a_day(settings):
    delays = settings.NOTIFICATION_RETRY_DELAYS
    assert delays[0] <= 60
    assert sum(delays) >= 24 * 60 * 60
    assert delays == sorted(delays)


def test_resend_queues_a_failed_row_again_and_it_is_delivered(smtp_server, django_capture_on_commit_callbacks):
    notification = row(status=Notification.Status.FAILED, attempts=16, last_error="SMTPServerDisconnected")
    with django_capture_on_commit_callbacks(execute=True):
        notification_resend(notification_id=notification.pk)
    notification.refresh_from_db()
    assert (notification.status, notification.attempts, notification.last_error) == ("sent", 1, "")
    assert smtp_server.recorder.message_ids() == [notification.message_id]


def test_resend_is_refused_for_a_pending_row_and_for_a_password_reset():
    with pytest.raises(NotificationError, match="already waiting"):
        notification_resend(notification_id=row().pk)
    reset = row(kind="password-reset", status=Notification.Status.SENT)
    with pytest.raises(NotificationError, match="one-time link"):
        notification_resend(notification_id=reset.pk)
    reset.refresh_from_db()
    assert reset.status == Notification.Status.SENT


def test_the_sweep_requeues_only_rows_left_pending_past_their_time(smtp_server, settings):
    settings.NOTIFICATION_STUCK_SECONDS = 180
    now = timezone.now()
    stuck = row(next_attempt_at=now - timedelta(minutes=5))
    fresh = row(next_attempt_at=now - timedelta(seconds=20))  # its own message is on the way
    later = row(next_attempt_at=now + timedelta(hours=1))  # a retry not due yet
    done = row(next_attempt_at=now - timedelta(hours=1), status=Notification.Status.SENT)
    assert notification_requeue_stuck(now=now) == 1  # eager here: the sweep's task sends it at once
    assert smtp_server.recorder.message_ids() == [stuck.message_id]
    for other in (fresh, later, done):
        other.refresh_from_db()
    assert [fresh.attempts, later.attempts, done.attempts] == [0, 0, 0]


def test_prune_deletes_old_sent_rows_only(settings):
    settings.NOTIFICATION_KEEP_DAYS = 90
    now = timezone.now()
    old_sent = row(status=Notification.Status.SENT, sent_at=now - timedelta(days=91))
    recent = row(status=Notification.Status.SENT, sent_at=now - timedelta(days=89))
    old_failed = row(status=Notification.Status.FAILED, created_at=now - timedelta(days=200))
    assert notification_prune(now=now) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent.pk, old_failed.pk}
    assert not Notification.objects.filter(pk=old_sent.pk).exists()


def test_the_message_id_is_stable_and_unique_per_row():
    first, second = row(), row()
    assert first.message_id == Notification.objects.get(pk=first.pk).message_id
    assert first.message_id != second.message_id
    assert first.message_id.startswith("<") and first.message_id.endswith("@petshop.localhost>")


def test_an_order_e_mail_row_is_written_in_the_changing_transaction(django_capture_on_commit_callbacks):
    from orders.services import order_mark_paid

    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        order_mark_paid(order_id=order.pk)
        assert Notification.objects.filter(kind="order-paid", status="pending").exists()
    assert len(callbacks) == 1  # the send task, queued for after the commit


def test_extra_headers_survive_the_in_memory_backend_s_copy(mailoutbox):
    notification = row(headers={"List-Unsubscribe": "<https://shop.example.test/alerts/unsubscribe/x/>"})
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    [message] = mailoutbox
    assert message.message()["List-Unsubscribe"] == "<https://shop.example.test/alerts/unsubscribe/x/>"
