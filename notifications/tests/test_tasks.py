"""The beat schedule and its jobs (eager here): each names a registered task that does its work."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.console import EmailBackend
from notifications.models import Notification
from orders.models import Order
from orders.tasks import release_expired_orders, send_collection_reminders
from orders.tests.factories import OrderFactory
from payments.models import Payment
from payments.tasks import reconcile_payments
from payments.tests.factories import PaymentFactory
from petshop.celery import app

pytestmark = pytest.mark.django_db


def test_every_beat_job_is_a_registered_task():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert {entry["task"] for entry in schedule.values()} <= set(app.tasks)
    assert schedule["expire-unpaid-orders"]["schedule"] == 60.0
    assert schedule["reconcile-payments"]["schedule"] == 300.0
    assert set(schedule) >= {"collection-reminders", "prune-sent-notifications", "requeue-stuck-notifications"}


def test_the_expiry_job_expires_unpaid_orders():
    late = OrderFactory(reserved_until=timezone.now() - timedelta(minutes=1))
    assert release_expired_orders.delay().get() == 1
    late.refresh_from_db()
    assert late.status == Order.Status.EXPIRED


def test_the_reconcile_job_settles_overdue_demo_sessions():
    payment = PaymentFactory(provider=Payment.Provider.DEMO, expires_at=timezone.now() - timedelta(minutes=5))
    assert reconcile_payments.delay().get() == {"expired": 1}
    payment.refresh_from_db()
    assert payment.status == Payment.Status.EXPIRED


def test_the_reminder_job_and_its_command(django_capture_on_commit_callbacks):
    OrderFactory(status=Order.Status.PAID, collection_date=timezone.localdate() + timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_collection_reminders.delay().get() == 1
    out = StringIO()
    call_command("send_collection_reminders", stdout=out)
    assert "1 order to collect tomorrow reminded." in out.getvalue()
    assert Notification.objects.filter(kind="collection-reminder").count() == 1


def test_the_console_shows_an_e_mail_readably(settings, django_capture_on_commit_callbacks):
    from django.core.mail import EmailMultiAlternatives

    link = "https://shop.example.test/orders/PS-ABCDEFGH/?token=" + "x" * 60
    message = EmailMultiAlternatives(
        "Grüße: order received", f"Hello Zoë,\n\nSee your order: {link}\n", to=["z@e.test"]
    )
    message.attach_alternative("<p>Hello</p>", "text/html")
    stream = StringIO()
    EmailBackend(stream=stream).send_messages([message])
    shown = stream.getvalue()
    assert "Subject: Grüße: order received" in shown
    assert "Hello Zoë," in shown
    assert f"See your order: {link}\n" in shown  # one line, no quoted-printable soft breaks
    assert "Also attached: text/html" in shown


def test_the_console_names_the_files_attached():
    from django.core.mail import EmailMessage

    message = EmailMessage("Ready", "Your pack is attached.", to=["z@e.test"])
    message.attach("handover-pack-PS-1.pdf", b"%PDF-1.7 tiny", "application/pdf")
    stream = StringIO()
    EmailBackend(stream=stream).send_messages([message])
    assert "File attached: handover-pack-PS-1.pdf (application/pdf, 13 bytes)" in stream.getvalue()


def test_the_send_task_is_acknowledged_after_it_ran_and_given_back_if_its_worker_dies():
    from notifications.tasks import notification_deliver

    assert notification_deliver.acks_late is True
    assert notification_deliver.reject_on_worker_lost is True


def test_eager_with_the_mail_server_down_the_request_succeeds_and_the_e_mail_waits(
    client, smtp_server, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    smtp_server.down()
    data = {
        "email": "zed@example.com",
        "full_name": "Zed Example",
        "password1": "A-long-enough-secret-1",
        "password2": "A-long-enough-secret-1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:signup"), data)
    assert response.status_code == 302
    welcome = Notification.objects.get(kind="signup-confirmation")
    assert (welcome.status, welcome.attempts) == (Notification.Status.PENDING, 1)
    assert welcome.last_error
