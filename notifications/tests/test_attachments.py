"""Attachments: built by the kind at SEND time from the context kept on the row, never stored in the outbox."""

import pytest

from notifications.kinds import KINDS, Attachment, notification_kind
from notifications.models import Notification
from notifications.services import notification_queue, notification_send

pytestmark = pytest.mark.django_db

calls = []


def notes_file(*, note_id: int) -> list[Attachment]:
    calls.append(note_id)
    return [
        Attachment(f"note-{note_id}.txt", f"note {note_id}, sent as it is now: {len(calls)}".encode(), "text/plain")
    ]


@pytest.fixture
def note_kind():
    notification_kind("test-note", template="orders/email/order_cancelled", html=False, attachments=notes_file)(
        lambda *, note_id: {"subject": f"note {note_id}", "order": None, "items": [], "order_url": ""}
    )
    calls.clear()
    yield
    KINDS.pop("test-note")


def test_the_context_is_kept_and_the_file_is_made_when_sent_not_when_queued(note_kind, smtp_server):
    notification = notification_queue(kind="test-note", to="ann@example.com", context={"note_id": 7}, dedupe_key="n:7")
    assert calls == []  # nothing built while queuing (nor stored: the row holds the ids only)
    notification.refresh_from_db()
    assert notification.context == {"note_id": 7}
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    assert calls == [7]
    [message] = smtp_server.recorder.messages
    [attached] = [part for part in message.walk() if part.get_filename()]
    assert attached.get_filename() == "note-7.txt"
    assert attached.get_payload(decode=True).strip() == b"note 7, sent as it is now: 1"


def test_a_kind_without_attachments_sends_none(smtp_server):
    row = Notification.objects.create(
        kind="order-received", to="ann@example.com", subject="s", body_text="t", dedupe_key="plain", context={}
    )
    notification_send(notification_id=row.pk)
    [message] = smtp_server.recorder.messages
    assert not [part for part in message.walk() if part.get_filename()]


def test_a_row_queued_before_contexts_were_kept_is_sent_without_the_file(note_kind, smtp_server):
    row = Notification.objects.create(
        kind="test-note", to="ann@example.com", subject="s", body_text="t", dedupe_key="o"
    )
    assert notification_send(notification_id=row.pk).outcome == "sent"
    assert calls == []
    [message] = smtp_server.recorder.messages
    assert not [part for part in message.walk() if part.get_filename()]


def test_the_ready_email_delivered_by_smtp_carries_the_handover_pack(smtp_server):
    from orders.services import order_mark_ready
    from orders.tests.test_handover import make_order, pdf_text

    order = make_order()
    order_mark_ready(order_id=order.pk)
    notification = Notification.objects.get(kind="order-ready")
    assert notification.context == {"order_id": order.pk}
    assert notification_send(notification_id=notification.pk).outcome == "sent"
    [message] = smtp_server.recorder.messages
    [pack] = [part for part in message.walk() if part.get_filename()]
    assert pack.get_filename() == f"handover-pack-{order.reference}.pdf"
    assert pack.get_content_type() == "application/pdf"
    text = pdf_text(pack.get_payload(decode=True))
    assert "Bella" in text and order.reference in text
    [body] = [part for part in message.walk() if part.get_content_type() == "text/plain" and not part.get_filename()]
    assert "handover pack" in body.get_payload(decode=True).decode()
