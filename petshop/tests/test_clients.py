"""The client's address behind NUM_PROXIES proxies, as the lock-out, the e-mail flood limits and the API throttle
see it: one visitor's limit is theirs alone, and a forged X-Forwarded-For escapes none of them."""

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from api.v1.throttling import SettingRateThrottle
from petshop.clients import client_ip

PROXY = "10.0.0.2"  # the load balancer: REMOTE_ADDR of every request
STRONG = "Kennel-biscuit-42-wag"


def request_from(remote_addr, forwarded=None):
    extra = {"REMOTE_ADDR": remote_addr}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, PROXY),
        (0, "203.0.113.5", PROXY),  # no proxy configured: the header is anybody's to write, and ignored
        (1, None, PROXY),
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.66, 203.0.113.5", "203.0.113.5"),  # the client wrote the first one itself
        (2, "198.51.100.66, 203.0.113.5, 10.0.0.9", "203.0.113.5"),
        (3, "203.0.113.5", "203.0.113.5"),  # fewer addresses than proxies: the leftmost
        (1, "2001:db8::1", "2001:db8::1"),
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_saw(settings, proxies, forwarded, expected):
    settings.NUM_PROXIES = proxies
    assert client_ip(request_from(PROXY, forwarded)) == expected


def log_in(email, password, *, forwarded):
    return Client().post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_behind_a_proxy_an_attackers_lock_out_is_theirs_and_a_forged_header_does_not_escape_it(settings):
    settings.NUM_PROXIES = 1
    settings.AXES_LOCKOUT_PARAMETERS = ["ip_address"]
    accounts = UserFactory.create_batch(6)
    customer = UserFactory()

    for account in accounts[:5]:
        log_in(account.email, "guess", forwarded="203.0.113.5")
    forged = log_in(accounts[5].email, PASSWORD, forwarded="198.51.100.1, 203.0.113.5")

    assert forged.status_code == 429  # the attacker's address is locked, whatever they write in front of it
    assert log_in(customer.email, PASSWORD, forwarded="198.51.100.7").status_code == 302  # behind the same proxy


@pytest.mark.django_db
def test_behind_a_proxy_the_email_flood_limit_counts_per_client(settings, django_capture_on_commit_callbacks):
    settings.NUM_PROXIES = 1
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 2

    def sign_up(number, forwarded):
        data = {"email": f"new{number}@example.com", "full_name": "New", "password1": STRONG, "password2": STRONG}
        Client().post(reverse("accounts:signup"), data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)

    with django_capture_on_commit_callbacks(execute=True):
        for number in range(3):
            sign_up(number, forwarded="203.0.113.5")
        sign_up(3, forwarded="198.51.100.7")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "new0@example.com",
        "new1@example.com",
        "new3@example.com",
    ]


@pytest.mark.django_db
def test_behind_a_proxy_the_api_throttles_each_client(settings, monkeypatch):
    monkeypatch.setattr(SettingRateThrottle, "timer", staticmethod(lambda: 1_000_020.0))  # one minute throughout
    settings.NUM_PROXIES = 1
    settings.API_THROTTLE_ANON = "2/min"

    def new_cart(forwarded):
        return Client().post("/api/v1/carts", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    assert [new_cart("203.0.113.5") for _ in range(3)] == [201, 201, 429]
    assert new_cart("198.51.100.66, 203.0.113.5") == 429
    assert new_cart("198.51.100.7") == 201
