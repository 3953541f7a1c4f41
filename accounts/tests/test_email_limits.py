"""Flood limits on account e-mails, and their links: from SITE_URL, never from the Host header."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from accounts.email_limits import email_allowed
from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Kennel-biscuit-42-wag"
REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR = 3
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 20


def signup(client, email, ip="10.1.0.1"):
    data = {"email": email, "full_name": "Flood", "password1": STRONG, "password2": STRONG}
    return client.post(reverse("accounts:signup"), data, REMOTE_ADDR=ip)


def reset(client, email, ip="10.1.0.1"):
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=ip)


def resend(client, email, ip="10.1.0.1"):
    return client.post(reverse("accounts:confirmation_resend"), {"email": email}, REMOTE_ADDR=ip)


def test_password_reset_emails_to_one_address_stop_at_the_limit_with_the_same_answer(
    client, django_capture_on_commit_callbacks
):
    UserFactory(email="victim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [reset(client, "Victim@example.com", ip=f"10.1.0.{n}") for n in range(5)]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }
    assert len(mail.outbox) == 3


def test_signup_emails_to_a_known_address_stop_at_the_limit(client, django_capture_on_commit_callbacks):
    UserFactory(email="victim@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        answers = [signup(client, "victim@example.com", ip=f"10.1.1.{n}") for n in range(5)]
    assert {answer["Location"] for answer in answers} == {reverse("accounts:check_inbox")}
    assert len(mail.outbox) == 3


def test_signup_confirmation_and_reset_share_one_count_per_address(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "new@example.com")
        resend(client, "new@example.com")
        resend(client, "NEW@example.com")
        over = resend(client, "new@example.com")
        reset(client, "new@example.com")
    assert over["Location"] == reverse("accounts:check_inbox")
    assert len(mail.outbox) == 3


def test_one_client_address_is_limited_across_recipients(client, settings, django_capture_on_commit_callbacks):
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            signup(client, f"someone{n}@example.com", ip="10.1.2.1")
        signup(client, "other@example.com", ip="10.1.2.2")
    assert sorted(message.to[0] for message in mail.outbox) == [
        "other@example.com",
        "someone0@example.com",
        "someone1@example.com",
    ]


def test_with_redis_the_count_is_shared_by_every_app_server(redis_cache):
    """Two hits here and two in another process (another app server): only three of the four are allowed."""
    here = [email_allowed(email="shared@example.com", ip="10.1.3.1") for _ in range(2)]
    code = (
        "from accounts.email_limits import email_allowed;"
        "print([email_allowed(email='shared@example.com', ip='10.1.3.2') for _ in range(2)])"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "petshop.settings",
        "CACHE_URL": REDIS_TEST_URL,
        "CACHE_KEY_PREFIX": redis_cache.key_prefix,  # the same keys as this process
        "ACCOUNT_EMAILS_PER_ADDRESS_PER_HOUR": "3",
    }
    other = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup()\n{code}"],
        cwd=Path(django_settings.BASE_DIR),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert here == [True, True]
    assert other.stdout.strip().splitlines()[-1] == "[True, False]", other.stderr  # logs come first


# Links in e-mails


@pytest.fixture
def evil_host(settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.SITE_URL = "https://shop.example.com"
    return {"HTTP_HOST": "127.0.0.1:6666"}


def links(message) -> list[str]:
    found = re.findall(r"https?://[^\s\"<]+", message.body + message.alternatives[0].content)
    assert found
    return found


def test_password_reset_link_comes_from_site_url_not_the_host_header(
    client, evil_host, django_capture_on_commit_callbacks
):
    UserFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "forgetful@example.com"}, **evil_host)
    [message] = mail.outbox
    assert all(link.startswith("https://shop.example.com/") for link in links(message)), links(message)


def test_every_signup_email_link_comes_from_site_url(client, evil_host, django_capture_on_commit_callbacks):
    UserFactory(email="known@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, "known@example.com")
        signup(client, "fresh@example.com")
    confirm = next(m for m in mail.outbox if m.to == ["fresh@example.com"])
    path = re.search(r"https://shop\.example\.com(/accounts/confirm/\S+/)", confirm.body).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"password": STRONG}, **evil_host)  # the welcome e-mail
    assert len(mail.outbox) == 3
    for message in mail.outbox:
        assert all(link.startswith("https://shop.example.com/") for link in links(message)), links(message)
