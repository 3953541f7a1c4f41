"""The lock-out cannot be reset by someone else's success, and counts every check of a current password."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

STRONG = "Kennel-biscuit-42-wag"
ATTACKER_IP = "10.9.0.1"


def login(client, email, password, ip=ATTACKER_IP):
    return client.post(reverse("accounts:login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def victim_can_log_in(victim) -> bool:
    from django.test import Client

    return login(Client(), victim.email, PASSWORD, ip="10.9.9.9").status_code == 302


def test_logging_in_to_ones_own_account_does_not_reset_the_victims_failures(client):
    victim, attacker = UserFactory(), UserFactory()

    for _ in range(4):
        login(client, victim.email, "guess")
    assert login(client, attacker.email, PASSWORD).status_code == 302  # resets the attacker's failures only
    client.post(reverse("accounts:logout"))
    login(client, victim.email, "guess")  # the fifth for the victim

    assert not victim_can_log_in(victim)


def test_a_success_clears_that_accounts_failures_and_no_one_elses(client):
    victim, attacker = UserFactory(), UserFactory()
    login(client, victim.email, "guess", ip="10.9.0.2")
    login(client, attacker.email, "oops", ip="10.9.0.2")

    login(client, attacker.email, PASSWORD, ip="10.9.0.2")

    assert set(AccessAttempt.objects.values_list("username", flat=True)) == {victim.email}


def change_password(client, old, ip=ATTACKER_IP):
    return client.post(
        reverse("accounts:password_change"),
        {"old_password": old, "new_password1": STRONG, "new_password2": STRONG},
        REMOTE_ADDR=ip,
    )


def change_email(client, current_password, ip=ATTACKER_IP):
    return client.post(
        reverse("accounts:profile"),
        {"full_name": "Thief", "phone": "", "email": "thief@example.com", "current_password": current_password},
        REMOTE_ADDR=ip,
    )


@pytest.mark.parametrize("attempt", [change_password, change_email])
def test_guessing_the_current_password_locks_the_account_like_the_login(client, attempt):
    victim = UserFactory()
    client.force_login(victim)  # a session left open on a shared computer

    for _ in range(4):
        assert attempt(client, "guess").status_code == 200
    locked = attempt(client, "guess")
    right_one_now = attempt(client, PASSWORD)

    assert locked.status_code == right_one_now.status_code == 429
    victim.refresh_from_db()
    assert victim.check_password(PASSWORD) and victim.email != "thief@example.com"
    assert not victim_can_log_in(victim)


def test_login_and_current_password_failures_add_up(client):
    from django.test import Client

    victim = UserFactory()
    client.force_login(victim)  # before the failures: a log-in clears that account's own
    for _ in range(3):
        login(Client(), victim.email, "guess", ip="10.9.0.3")
    change_password(client, "guess", ip="10.9.0.4")
    change_email(client, "guess", ip="10.9.0.5")

    assert not victim_can_log_in(victim)


def test_the_right_current_password_still_works_and_counts_nothing(client):
    user = UserFactory()
    client.force_login(user)
    assert change_password(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


@pytest.mark.parametrize("url", [reverse("accounts:login"), "/admin/login/"])
@pytest.mark.parametrize("length", [255, 256, 300, 10_000])
def test_login_with_a_very_long_email_is_a_normal_refusal(client, url, length):
    StaffFactory()
    email = "a" * (length - len("@example.com")) + "@example.com"
    response = client.post(url, {"username": email, "password": "whatever"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
