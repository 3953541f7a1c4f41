"""Every kind of e-mail, end to end in eager mode: the service that causes it, the outbox row, the message."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import user_email_confirm, user_signup
from accounts.tests.factories import UserFactory
from accounts.tokens import email_confirmation_token
from animals.tests.factories import AnimalFactory
from notifications.models import Notification
from notifications.services import notification_queue
from orders.models import Order
from orders.services import order_mark_paid, order_mark_ready, order_place, order_remind_collection
from orders.tests.conftest import buyer_details
from orders.tests.factories import OrderFactory, OrderItemFactory
from payments.models import Refund
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
SITE = "https://shop.example.test:8443"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"
    settings.SHOP_NAME = "Happy Paws"


def sent_once(kind: str):
    """The one row of `kind`, sent, and the one e-mail delivered for it."""
    row = Notification.objects.get(kind=kind)
    assert row.status == Notification.Status.SENT
    assert row.attempts == 1
    assert row.sent_at is not None
    messages = [m for m in mail.outbox if m.extra_headers.get("Message-ID") == row.message_id]
    assert len(messages) == 1
    message = messages[0]
    assert message.to == [row.to]
    assert message.subject == row.subject
    if kind == "password-reset":
        assert row.body_text == row.body_html == ""  # a one-time link is not kept once sent
        return row, message
    assert message.body == row.body_text
    if row.body_html:
        assert message.alternatives[0].content == row.body_html
    return row, message


def order_link_in(text: str, order: Order) -> bool:
    return f"{SITE}{reverse('orders:detail', args=[order.reference])}?token={order.access_token}" in text


def paid_order(**kwargs) -> Order:
    order = OrderFactory(**kwargs)
    OrderItemFactory(order=order, animal_name="Biscuit", unit_price=Decimal("350.00"))
    order.total = Decimal("350.00")
    order.save(update_fields=["total"])
    order_mark_paid(order_id=order.pk)
    return order


def test_order_received(django_capture_on_commit_callbacks):
    puppy = AnimalFactory(name="Biscuit", stock=2)
    with django_capture_on_commit_callbacks(execute=True):
        order = order_place(quantities={puppy.pk: 1}, **buyer_details(email="ann@example.com"))
    row, message = sent_once("order-received")
    assert row.to == "ann@example.com"
    assert row.dedupe_key == f"order-received:{order.pk}"
    assert message.subject == f"Happy Paws: order {order.reference} received"
    assert "1 x Biscuit" in message.body
    assert order_link_in(message.body, order)
    assert order_link_in(message.alternatives[0].content, order)


def test_order_paid_and_the_staff_notice(settings, django_capture_on_commit_callbacks):
    settings.SHOP_STAFF_EMAIL = "staff@happypaws.example"
    with django_capture_on_commit_callbacks(execute=True):
        order = paid_order(email="bob@example.com")
        order_mark_paid(order_id=order.pk)  # paid twice: nothing more is queued
    row, message = sent_once("order-paid")
    assert row.to == "bob@example.com"
    assert f"payment received for order {order.reference}" in message.subject
    assert order.collection_date.strftime("%-d %B %Y") in message.body
    assert order_link_in(message.body, order)
    staff, notice = sent_once("staff-order-paid")
    assert staff.to == "staff@happypaws.example"
    assert staff.dedupe_key == f"staff-order-paid:{order.pk}"
    assert f"new paid order {order.reference}" in notice.subject
    assert "bob@example.com" in notice.body
    assert f"{SITE}{reverse('admin:orders_order_change', args=[order.pk])}" in notice.body
    assert len(mail.outbox) == 2


def test_no_staff_notice_without_a_staff_address(settings, django_capture_on_commit_callbacks):
    settings.SHOP_STAFF_EMAIL = ""
    with django_capture_on_commit_callbacks(execute=True):
        paid_order()
    assert list(Notification.objects.values_list("kind", flat=True)) == ["order-paid"]


def test_order_ready_when_staff_mark_it(django_capture_on_commit_callbacks):
    order = paid_order(email="cat@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        order_mark_ready(order_id=order.pk)
    row, message = sent_once("order-ready")
    assert row.to == "cat@example.com"
    assert row.dedupe_key == f"order-ready:{order.pk}"
    assert f"order {order.reference} is ready for collection" in message.subject
    assert order.collection_date.strftime("%-d %B %Y") in message.body
    assert "1 x Biscuit" in message.body
    assert order_link_in(message.body, order)


def test_collection_reminder_the_day_before_once(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    tomorrow = today + timedelta(days=1)
    due = paid_order(email="dee@example.com", collection_date=tomorrow)
    paid_order(collection_date=tomorrow + timedelta(days=1))  # the day after: not yet
    OrderFactory(collection_date=tomorrow)  # never paid: no reminder
    with django_capture_on_commit_callbacks(execute=True):
        assert order_remind_collection(today=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert order_remind_collection(today=today) == 1  # run again the same day: nothing new is sent
    row, message = sent_once("collection-reminder")
    assert row.to == "dee@example.com"
    assert row.dedupe_key == f"collection-reminder:{due.pk}:{tomorrow.isoformat()}"
    assert f"see you tomorrow to collect order {due.reference}" in message.subject
    assert tomorrow.strftime("%-d %B %Y") in message.body
    assert order_link_in(message.body, due)


@pytest.mark.parametrize(
    ("kind", "subject", "phrase"),
    [
        ("payment-refunded", "was refunded", "We have refunded $120.00"),
        ("late-payment-refunded", "was refunded", "We could not accept your payment"),
    ],
)
def test_refund_kinds(kind, subject, phrase, django_capture_on_commit_callbacks):
    payment = PaymentFactory()
    refund = Refund.objects.create(
        payment=payment, provider_refund_id="re_test_1", amount=Decimal("120.00"), reason="Changed their mind"
    )
    order = payment.order
    with django_capture_on_commit_callbacks(execute=True):
        notification_queue(
            kind=kind, to=order.email, context={"refund_id": refund.pk}, dedupe_key=f"{kind}:{refund.pk}"
        )
    row, message = sent_once(kind)
    assert row.to == order.email
    assert subject in message.subject and order.reference in message.subject
    assert phrase in message.body
    assert "Reason: Changed their mind" in message.body
    assert order_link_in(message.body, order)


def test_welcome_once_the_address_is_confirmed(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user_signup(email="eve@example.com", full_name="Eve Example", password="A-long-enough-secret-1", ip="10.0.0.1")
    user = User.objects.get(email="eve@example.com")
    assert not Notification.objects.filter(kind="welcome").exists()
    with django_capture_on_commit_callbacks(execute=True):
        user_email_confirm(token=email_confirmation_token(user), password="A-long-enough-secret-1")
    row, message = sent_once("welcome")
    assert row.to == "eve@example.com"
    assert row.dedupe_key == f"welcome:{user.pk}"
    assert message.subject == "Welcome to Happy Paws"
    assert f"{SITE}{reverse('animals:list')}" in message.body
    assert f"{SITE}{reverse('accounts:profile')}" in message.body


def test_password_reset_link_comes_from_site_url(client, django_capture_on_commit_callbacks):
    UserFactory(email="fay@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "fay@example.com"})
    row, message = sent_once("password-reset")
    assert row.to == "fay@example.com"
    assert message.subject == "Reset your Happy Paws password"
    link = re.search(r"https?://\S+/accounts/password/reset/\S+/", message.body).group(0)
    assert link.startswith(SITE + "/accounts/password/reset/")
    assert client.get(link.removeprefix(SITE), follow=True).context["validlink"] is True


def test_queuing_the_same_dedupe_key_twice_sends_once(django_capture_on_commit_callbacks):
    order = OrderFactory()
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_queue(
            kind="order-received", to=order.email, context={"order_id": order.pk}, dedupe_key="order-received:x"
        )
        second = notification_queue(
            kind="order-received", to=order.email, context={"order_id": order.pk}, dedupe_key="order-received:x"
        )
    assert first.pk == second.pk
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_an_unknown_kind_is_refused_and_nothing_is_written():
    with pytest.raises(LookupError, match="Unknown notification kind"):
        notification_queue(kind="no-such-kind", to="a@example.com", context={}, dedupe_key="k")
    assert not Notification.objects.exists()


def test_nothing_is_queued_or_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    puppy = AnimalFactory(stock=1)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        order_place(quantities={puppy.pk: 1}, **buyer_details())
        raise RuntimeError("the change fails after the e-mail was queued")
    assert not Notification.objects.exists()
    assert callbacks == []
    assert mail.outbox == []
