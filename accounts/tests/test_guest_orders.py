"""Guest orders join an account once its address is verified: never before, never for an unverified address."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from accounts.tests.test_signup import SITE_URL, STRONG, confirm_path, signup
from orders.models import Order
from orders.services import order_claim_guest_orders
from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL  # the links the tests follow are checked against it


def my_orders(client) -> str:
    return client.get(reverse("accounts:orders")).text


def test_a_guest_order_appears_in_my_orders_only_once_the_same_address_is_confirmed(
    client, django_capture_on_commit_callbacks
):
    guest = OrderFactory(email="Jo.Guest@Example.com")
    someone_else = OrderFactory(email="other@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="jo.guest@example.com")
    user = User.objects.get(email="jo.guest@example.com")
    assert Order.objects.for_user(user).count() == 0  # signed up, not confirmed: nothing yet

    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path(mail.outbox[0]), {"password": STRONG})

    guest.refresh_from_db()
    assert guest.user == user
    page = my_orders(client)
    assert guest.reference in page and someone_else.reference not in page
    assert client.get(guest.get_absolute_url()).status_code == 200  # the owner's page, no token needed
    someone_else.refresh_from_db()
    assert someone_else.user is None


def test_an_unverified_account_gets_no_guest_orders():
    user = UserFactory(email="unverified@example.com")  # active, never verified (an account from before)
    guest = OrderFactory(email="unverified@example.com")
    assert order_claim_guest_orders(user_id=user.pk) == 0
    guest.refresh_from_db()
    assert guest.user is None


def test_an_unverified_account_logging_in_sees_no_guest_order(client):
    user = UserFactory(email="unverified@example.com")
    guest = OrderFactory(email="unverified@example.com")
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert "_auth_user_id" in client.session
    assert guest.reference not in my_orders(client)


def test_orders_of_another_account_are_never_taken():
    owner = UserFactory(email="owner@example.com")
    theirs = OrderFactory(email="shared@example.com", user=owner)
    user = UserFactory(email="shared@example.com", email_verified_at=timezone.now())
    assert order_claim_guest_orders(user_id=user.pk) == 0
    theirs.refresh_from_db()
    assert theirs.user == owner


def test_a_verified_account_gets_the_guest_orders_of_its_address_at_its_next_log_in(client):
    user = UserFactory(email="verified@example.com", email_verified_at=timezone.now())
    later = OrderFactory(email="VERIFIED@example.com")  # placed as a guest after the account was verified
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert later.reference in my_orders(client)


def test_a_changed_address_loses_its_verification_and_claims_nothing(client):
    user = UserFactory(email="old@example.com", email_verified_at=timezone.now())
    guest = OrderFactory(email="new@example.com")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": user.full_name, "phone": "", "email": "new@example.com", "current_password": PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.email, user.email_verified_at) == ("new@example.com", None)
    assert order_claim_guest_orders(user_id=user.pk) == 0
    guest.refresh_from_db()
    assert guest.user is None


def test_a_password_reset_from_the_emailed_link_verifies_an_older_account_and_brings_its_guest_orders(
    client, django_capture_on_commit_callbacks
):
    user = UserFactory(email="older@example.com")  # made before verification existed
    guest = OrderFactory(email="older@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:password_reset"), {"email": "older@example.com"})
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(path, follow=True)
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG})
    assert done["Location"] == reverse("accounts:password_reset_complete")

    user.refresh_from_db()
    guest.refresh_from_db()
    assert user.email_verified_at is not None
    assert guest.user == user


def test_a_refused_reset_link_verifies_nothing(client):
    user = UserFactory(email="older@example.com")
    client.post(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}),
        {"new_password1": STRONG, "new_password2": STRONG},
    )
    user.refresh_from_db()
    assert user.email_verified_at is None
