"""Accounts over the API: sign-up through the e-mail confirmation (the web's answers and limits), the user's
details and address book."""

import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.utils import timezone

from accounts.models import Address, User
from accounts.tests.factories import PASSWORD, AddressFactory
from api.tests.conftest import API, ApiClient
from api.v1.users import CHECK_INBOX

pytestmark = pytest.mark.django_db

STRONG = "pl4nt-a-tree!"


def register(api, email, *, password=STRONG, ip="10.2.0.1"):
    body = {"email": email, "full_name": "Robin", "password": password}
    return api.client.post(f"{API}/users", body, content_type="application/json", REMOTE_ADDR=ip)


def confirmation_token(message) -> str:
    """The token of the one confirmation link in an e-mail (the last part of /accounts/confirm/<token>/)."""
    [token] = set(re.findall(r"/accounts/confirm/([^/\s\"<]+)/", message.body))
    return token


def test_a_new_and_a_known_address_get_the_same_202_and_only_the_new_one_an_account(
    api, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        new = register(api, "Robin@Example.com")
        known = register(api, user.email.upper())
    assert new.status_code == known.status_code == 202
    assert new.json() == known.json() == {"detail": CHECK_INBOX}
    robin = User.objects.get(email="robin@example.com")
    assert (robin.is_active, robin.email_verified_at) == (False, None)
    assert User.objects.count() == 2
    confirm, attempt = sorted(mail.outbox, key=lambda message: message.to[0] != "robin@example.com")
    assert confirm.to == ["robin@example.com"] and confirmation_token(confirm)
    assert attempt.to == [user.email] and "/accounts/confirm/" not in attempt.body


def test_a_weak_password_is_the_sign_up_forms_422_and_nothing_is_made(api):
    weak = register(api, "new@example.com", password="password")
    assert weak.status_code == 422 and "This password is too common." in weak.json()["detail"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_sign_up_e_mails_stop_at_the_web_flood_limit_with_the_same_answer(
    api, settings, django_capture_on_commit_callbacks
):
    settings.ACCOUNT_EMAILS_PER_IP_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        answers = [register(api, f"someone{n}@example.com", ip="10.2.1.1") for n in range(4)]
        other = register(api, "other@example.com", ip="10.2.1.2")
    assert {answer.status_code for answer in answers} == {202} and other.status_code == 202
    assert sorted(message.to[0] for message in mail.outbox) == [
        "other@example.com",
        "someone0@example.com",
        "someone1@example.com",
    ]


def test_an_unconfirmed_account_gets_no_token_until_confirmed_by_its_link(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(api, "robin@example.com")
    credentials = {"email": "robin@example.com", "password": STRONG}
    refused = api.post("/auth/token/pair", credentials)
    assert refused.status_code == 401 and refused.json()["code"] == "invalid_credentials"
    assert AccessAttempt.objects.filter(username="robin@example.com", failures_since_start=1).exists()

    token = confirmation_token(mail.outbox[0])
    confirmed = api.post("/users/confirm", {"token": token, "password": STRONG})
    assert confirmed.status_code == 200, confirmed.content
    robin = User.objects.get(email="robin@example.com")
    assert robin.is_active and robin.email_verified_at is not None
    pair = api.post("/auth/token/pair", credentials)
    assert pair.status_code == 200
    assert ApiClient(pair.json()["access"]).get("/users/me").json()["email"] == "robin@example.com"

    again = api.post("/users/confirm", {"token": token, "password": STRONG})
    assert again.status_code == 400 and again.json()["code"] == "confirmation_failed"
    assert api.post("/users/confirm", {"token": "forged", "password": STRONG}).status_code == 400


def test_confirming_needs_the_password_chosen_at_registration(api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(api, "robin@example.com")
    token = confirmation_token(mail.outbox[0])

    wrong = api.post("/users/confirm", {"token": token, "password": "Someone-elses-password-1"})
    missing = api.post("/users/confirm", {"token": token})

    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    assert "That is not the password this sign-up was made with." in wrong.json()["detail"]
    assert missing.status_code == 422
    assert not User.objects.get(email="robin@example.com").is_active
    assert api.post("/users/confirm", {"token": token, "password": STRONG}).status_code == 200


def test_a_new_link_on_request_and_the_same_answer_for_any_address(api, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        register(api, "robin@example.com")
        resent = api.post("/users/confirm/resend", {"email": "Robin@example.com"})
        unknown = api.post("/users/confirm/resend", {"email": "nobody@example.com"})
        confirmed = api.post("/users/confirm/resend", {"email": user.email})
    assert resent.status_code == unknown.status_code == confirmed.status_code == 202
    assert resent.json() == unknown.json() == confirmed.json()
    assert [message.to for message in mail.outbox] == [["robin@example.com"]] * 2
    first, second = (confirmation_token(message) for message in mail.outbox)
    assert api.post("/users/confirm", {"token": second, "password": STRONG}).status_code == 200


def test_me_patch_changes_details_and_needs_the_password_for_a_new_email(user_api, user):
    User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    changed = user_api.patch("/users/me", {"full_name": "Sam Smith", "phone": "555-0199"})
    assert changed.status_code == 200 and changed.json()["full_name"] == "Sam Smith"
    refused = user_api.patch("/users/me", {"email": "sam@example.com"})
    assert refused.status_code == 422
    assert "To change your e-mail address, enter your current password." in refused.json()["detail"]
    assert User.objects.get(pk=user.pk).email == user.email
    moved = user_api.patch("/users/me", {"email": "sam@example.com", "current_password": PASSWORD})
    assert moved.json()["email"] == "sam@example.com"
    assert User.objects.get(pk=user.pk).email_verified_at is None  # as the web profile page: not confirmed yet


def test_the_address_book(user_api, user):
    first = user_api.post(
        "/users/me/addresses", {"full_name": "Sam", "line1": "1 A St", "city": "X", "postcode": "1", "country": "US"}
    )
    assert first.status_code == 201 and first.json()["is_default"] is True
    second = user_api.post(
        "/users/me/addresses", {"full_name": "Sam", "line1": "2 B St", "city": "X", "postcode": "2", "country": "US"}
    ).json()
    assert user_api.post(f"/users/me/addresses/{second['id']}/default").json()["is_default"] is True
    assert user_api.patch(f"/users/me/addresses/{second['id']}", {"city": "Y"}).json()["city"] == "Y"
    assert user_api.delete(f"/users/me/addresses/{second['id']}").status_code == 204
    listed = user_api.get("/users/me/addresses").json()
    assert [address["line1"] for address in listed] == ["1 A St"] and listed[0]["is_default"]


def test_someone_elses_address_is_a_404(user_api):
    theirs = AddressFactory()
    assert user_api.patch(f"/users/me/addresses/{theirs.pk}", {"city": "Y"}).status_code == 404
    assert user_api.delete(f"/users/me/addresses/{theirs.pk}").status_code == 404
    assert Address.objects.filter(pk=theirs.pk, city="Springfield").exists()


def test_a_body_that_is_not_an_object_is_a_422(user_api):
    refused = user_api.patch("/users/me", [None, None])
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
