import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def make(**overrides):
    values = {"kind": "order-paid", "to": "ann@example.com", "subject": "Paid", "body_text": "Your order"}
    values.update(overrides)
    values.setdefault("dedupe_key", f"{values['kind']}:{values['to']}:{values['subject']}")
    return Notification.objects.create(**values)


def test_staff_filter_by_status_kind_and_search_by_recipient(staff_client):
    make(status=Notification.Status.FAILED, last_error="SMTPServerDisconnected")
    make(to="bob@example.com", kind="order-ready", status=Notification.Status.SENT)
    url = reverse("admin:notifications_notification_changelist")
    assert staff_client.get(url, {"status__exact": "failed"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"kind": "order-ready"}).context["cl"].result_count == 1
    assert staff_client.get(url, {"q": "bob@"}).context["cl"].result_count == 1
    assert admin.site._registry[Notification].list_filter[:2] == ["status", "kind"]


def test_staff_resend_a_failed_e_mail(staff_client, django_capture_on_commit_callbacks):
    failed = make(status=Notification.Status.FAILED, attempts=16, last_error="refused")
    url = reverse("admin:notifications_notification_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(url, {"action": "resend", "_selected_action": [failed.pk]}, follow=True)
    failed.refresh_from_db()
    assert failed.status == Notification.Status.SENT
    assert "1 e-mail queued again." in response.text


def test_a_password_reset_body_is_hidden_from_staff(staff_client):
    reset = make(kind="password-reset", body_text="https://shop/accounts/password/reset/MQ/secret-token/")
    response = staff_client.get(reverse("admin:notifications_notification_change", args=[reset.pk]))
    assert response.status_code == 200
    assert "secret-token" not in response.text
    assert "hidden" in response.text
