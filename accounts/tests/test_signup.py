"""Sign-up that tells nobody who has an account: a confirmation link for a new address, a warning for a known one."""

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from animals.tests.factories import AnimalFactory
from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

STRONG = "Kennel-biscuit-42-wag"
SITE_URL = "https://shop.example.com"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def signup(client, email="New.Customer@Example.com", password=STRONG, **extra):
    data = {"email": email, "full_name": "New Customer", "password1": password, "password2": password}
    return client.post(reverse("accounts:signup"), data, **extra)


def link_in(message, path_start: str) -> str:
    """The path of the one absolute link in `message` (text and HTML) under `path_start`, checking it is on SITE_URL."""
    urls = set(re.findall(rf"https?://[^/\s\"]+{re.escape(path_start)}[^\s\"<]*", message.body))
    assert len(urls) == 1, message.body
    url = urls.pop()
    assert url.startswith(SITE_URL + "/"), url
    assert url in message.alternatives[0].content
    return url.removeprefix(SITE_URL)


def confirm_path(message) -> str:
    return link_in(message, "/accounts/confirm/")


def test_a_new_and_a_known_address_get_the_same_answer(client):
    UserFactory(email="taken@example.com")

    new = signup(client, email="fresh@example.com")
    known = signup(client, email="TAKEN@Example.COM")

    assert new.status_code == known.status_code == 302
    assert new["Location"] == known["Location"] == reverse("accounts:check_inbox")
    page = client.get(new["Location"])
    assert "Check your inbox" in page.text
    assert "already" not in page.text
    assert User.objects.count() == 2
    assert "_auth_user_id" not in client.session


def test_a_new_address_gets_an_inactive_account_and_a_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)

    user = User.objects.get()
    assert user.email == "new.customer@example.com"
    assert user.password.startswith("argon2")
    assert (user.is_active, user.email_verified_at) == (False, None)
    [message] = mail.outbox
    assert message.to == ["new.customer@example.com"]
    assert "Confirm your e-mail address" in message.subject
    assert "3 days" in message.body
    confirm_path(message)
    # Not usable before the address is confirmed.
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": STRONG})
    assert response.status_code == 200
    assert "Just signed up? Confirm your address" in response.text
    assert "_auth_user_id" not in client.session


def test_the_confirmation_link_verifies_logs_in_and_keeps_the_cart(client, django_capture_on_commit_callbacks):
    animal = AnimalFactory()
    client.post(reverse("cart:add"), {"animal_id": animal.pk, "quantity": 1})
    cart_before = client.session["cart"]
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    path = confirm_path(mail.outbox[0])

    page = client.get(path)
    assert page.status_code == 200
    assert "Confirm my e-mail address" in page.text
    assert User.objects.get().email_verified_at is None  # a mail scanner's GET confirms nothing
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(path, {"password": STRONG})

    user = User.objects.get()
    assert response["Location"] == reverse("animals:home")
    assert user.is_active and user.email_verified_at is not None
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["cart"] == cart_before
    assert "Welcome" in mail.outbox[-1].subject
    assert client.post(reverse("accounts:login"), {"username": user.email, "password": STRONG}).status_code == 302


def test_the_confirmation_link_works_once(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    path = confirm_path(mail.outbox[0])
    client.post(path, {"password": STRONG})
    client.post(reverse("accounts:logout"))

    again = client.post(path, {"password": STRONG})

    assert again["Location"] == reverse("accounts:confirmation_resend")
    assert "_auth_user_id" not in client.session
    assert "expired or was already used" in client.get(path).text


def test_the_confirmation_link_lasts_three_days(client, monkeypatch, django_capture_on_commit_callbacks):
    started = time.time()
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    path = confirm_path(mail.outbox[0])

    monkeypatch.setattr(signing.time, "time", lambda: started + 3 * 86400 - 60)
    assert "Confirm my e-mail address" in client.get(path).text
    monkeypatch.setattr(signing.time, "time", lambda: started + 3 * 86400 + 60)
    client.post(path, {"password": STRONG})

    assert User.objects.get().email_verified_at is None
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("token", ["forged", signing.dumps({"user": 1, "state": "x"}, salt="other"), "a" * 5000])
def test_a_forged_confirmation_link_changes_nothing(client, token):
    user = UserFactory(is_active=False)
    response = client.post(reverse("accounts:confirm_email", args=[token]), {"password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.is_active, user.email_verified_at) == (False, None)
    assert "_auth_user_id" not in client.session


def test_a_known_address_gets_someone_tried_with_a_reset_link_and_keeps_its_password(
    client, django_capture_on_commit_callbacks
):
    owner = UserFactory(email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="Owner@Example.com", password="Attacker-chosen-99")

    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)
    assert owner.full_name != "New Customer"
    [message] = mail.outbox
    assert message.to == ["owner@example.com"]
    assert "tried to sign up" in message.subject
    path = link_in(message, "/accounts/password/reset/")
    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True


def test_signing_up_again_before_confirming_replaces_the_password_and_the_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, password="First-try-password-1")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, password="Second-try-password-2")

    first, second = (confirm_path(message) for message in mail.outbox)
    user = User.objects.get()
    assert user.check_password("Second-try-password-2")
    client.post(first, {"password": "Second-try-password-2"})
    assert "_auth_user_id" not in client.session
    client.post(second, {"password": "Second-try-password-2"})
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_link_asks_for_the_sign_ups_password_and_a_wrong_one_opens_nothing(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    path = confirm_path(mail.outbox[0])
    page = client.get(path)
    assert 'autocomplete="current-password"' in page.text
    assert page.context["form"]["email"].value() == "new.customer@example.com"  # shown, for a password manager
    assert f'href="{reverse("accounts:signup")}">Sign up again</a>' in page.text

    for data in [{"password": "Not-the-sign-up-password-7"}, {}]:
        page = client.post(path, data)
        assert page.status_code == 200
        user = User.objects.get()
        assert (user.is_active, user.email_verified_at) == (False, None)
        assert "_auth_user_id" not in client.session
    assert "That is not the password this sign-up was made with." in client.post(path, {"password": "x"}).text

    with django_capture_on_commit_callbacks(execute=True):
        client.post(path, {"password": STRONG})  # the same link still works with the right password
    assert User.objects.get().is_active


def test_a_stranger_who_signs_up_with_your_address_cannot_have_you_open_the_account(
    client, django_capture_on_commit_callbacks
):
    """Pre-hijacking: the stranger's sign-up (their password) sends the owner a link; the owner's click cannot open
    the account with the stranger's password, and signing up again makes it the owner's, the stranger locked out."""
    guest_order = OrderFactory(email="owner@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        signup(client, email="owner@example.com", password="Strangers-password-99")
    owner_browser = Client()
    stranger_link = confirm_path(mail.outbox[0])

    page = owner_browser.post(stranger_link, {"password": STRONG})

    assert "That is not the password this sign-up was made with." in page.text
    assert not User.objects.get().is_active
    guest_order.refresh_from_db()
    assert guest_order.user is None
    with django_capture_on_commit_callbacks(execute=True):
        signup(owner_browser, email="owner@example.com", password=STRONG)
    with django_capture_on_commit_callbacks(execute=True):
        owner_browser.post(confirm_path(mail.outbox[1]), {"password": STRONG})
    owner = User.objects.get()
    assert owner.is_active and owner.check_password(STRONG)
    guest_order.refresh_from_db()
    assert guest_order.user == owner
    assert client.post(stranger_link, {"password": "Strangers-password-99"})["Location"] == reverse(
        "accounts:confirmation_resend"
    )
    stranger = client.post(reverse("accounts:login"), {"username": owner.email, "password": "Strangers-password-99"})
    assert stranger.status_code == 200 and "_auth_user_id" not in client.session


def test_five_wrong_passwords_spend_a_link_and_a_new_sign_up_gets_a_fresh_one(
    client, redis_cache, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    path = confirm_path(mail.outbox[0])
    for attempt in range(5):
        assert "That is not the password" in client.post(path, {"password": f"Wrong-guess-{attempt}"}).text

    spent = client.post(path, {"password": STRONG})

    assert "Too many wrong passwords for this link." in spent.text
    assert not User.objects.get().is_active
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(confirm_path(mail.outbox[-1]), {"password": STRONG})
    assert User.objects.get().is_active


def test_the_login_page_offers_a_new_confirmation_link(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    login_page = client.get(reverse("accounts:login"))
    assert reverse("accounts:confirmation_resend") in login_page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:confirmation_resend"), {"email": "NEW.customer@example.com"})

    assert response["Location"] == reverse("accounts:check_inbox")
    assert len(mail.outbox) == 2
    client.post(confirm_path(mail.outbox[1]), {"password": STRONG})
    assert User.objects.get().email_verified_at is not None


@pytest.mark.parametrize("email", ["nobody@example.com", "confirmed@example.com"])
def test_resending_answers_the_same_and_sends_nothing_when_there_is_nothing_to_confirm(client, email):
    UserFactory(email="confirmed@example.com")
    response = client.post(reverse("accounts:confirmation_resend"), {"email": email})
    assert response["Location"] == reverse("accounts:check_inbox")
    assert mail.outbox == []


def test_staff_see_when_an_address_was_verified(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        signup(client)
    client.post(confirm_path(mail.outbox[0]), {"password": STRONG})
    user = User.objects.get()
    client.force_login(StaffFactory())

    changelist = client.get(reverse("admin:accounts_user_changelist"))
    change = client.get(reverse("admin:accounts_user_change", args=[user.pk]))

    assert "column-email_verified_at" in changelist.text
    assert "E-mail verified" in change.text


def test_changing_the_email_in_the_profile_clears_its_verification(client):
    user = UserFactory()
    User.objects.filter(pk=user.pk).update(email_verified_at="2026-01-01T00:00:00Z")
    client.force_login(user)
    client.post(
        reverse("accounts:profile"),
        {"full_name": user.full_name, "phone": "", "email": "moved@example.com", "current_password": PASSWORD},
    )
    user.refresh_from_db()
    assert (user.email, user.email_verified_at) == ("moved@example.com", None)
