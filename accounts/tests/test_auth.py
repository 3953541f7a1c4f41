import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.hashers import make_password
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import PASSWORD, StaffFactory, UserFactory
from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db

STRONG = "Kennel-biscuit-42-wag"


def signup_data(**overrides):
    data = {
        "email": "New.Customer@Example.com",
        "full_name": "New Customer",
        "password1": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


# Sign-up


def test_signup_page_renders_labelled_fields(client):
    response = client.get(reverse("accounts:signup"))
    assert response.status_code == 200
    for field in ["email", "full_name", "password1", "password2"]:
        assert re.search(rf'<label\s+for="id_{field}"', response.text)
    assert "accounts/signup.html" in [t.name for t in response.templates]


@pytest.mark.parametrize(
    ("overrides", "field", "text"),
    [
        ({"email": "not-an-address"}, "email", "valid email"),
        ({"password1": "12345", "password2": "12345"}, "password2", "too short"),
        ({"password1": "password", "password2": "password"}, "password2", "too common"),
        ({"password2": STRONG + "x"}, "password2", "didn’t match"),
        ({"full_name": "x" * 10_000}, "full_name", "at most 150 characters"),
        ({"full_name": ""}, "full_name", "required"),
    ],
)
def test_signup_bad_input_is_a_field_error_and_saves_nothing(client, overrides, field, text):
    response = client.post(reverse("accounts:signup"), signup_data(**overrides))
    assert response.status_code == 200
    assert text in " ".join(response.context["form"].errors[field])
    assert f'id="error_1_id_{field}"' in response.text  # shown beside its field
    assert User.objects.count() == 0
    assert "_auth_user_id" not in client.session


def test_signup_without_csrf_token_is_refused_and_saves_nothing():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("accounts:signup"), signup_data())
    assert response.status_code == 403
    assert "form expired" in response.text
    assert User.objects.count() == 0


# Log in / log out


def test_login_page_labels_the_username_field_email(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    assert re.search(r'<label\s+for="id_username"', response.text)
    assert "E-mail" in response.text


def test_login_cycles_the_session_key_and_keeps_the_cart(client):
    user = UserFactory()
    animal = AnimalFactory()
    session = client.session
    session["cart"] = {str(animal.pk): 1}
    session.save()
    client.cookies["sessionid"] = session.session_key
    old_key = session.session_key

    response = client.post(reverse("accounts:login"), {"username": user.email.upper(), "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("animals:home")
    assert client.session.session_key != old_key
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["cart"] == {str(animal.pk): 1}


def test_logout_by_post_empties_the_session_cart(client):
    user = UserFactory()
    client.force_login(user)
    session = client.session
    session["cart"] = {"1": 1}
    session.save()
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert "cart" not in client.session


def test_logout_by_get_is_refused(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:logout"))
    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_login_honours_a_local_next(client):
    user = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "next": "/accounts/orders/"}
    )
    assert response["Location"] == "/accounts/orders/"


@pytest.mark.parametrize("forged", ["https://evil.example/", "//evil.example/", "https:///evil.example"])
def test_login_ignores_a_forged_next(client, forged):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD, "next": forged})
    assert response.status_code == 302
    assert response["Location"] == reverse("animals:home")


def test_wrong_password_is_a_clear_message(client):
    user = UserFactory()
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct e-mail address and password" in response.text
    assert "_auth_user_id" not in client.session


def test_login_upgrades_an_older_password_hash_to_argon2(client):
    user = UserFactory()
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    user.refresh_from_db()
    assert user.password.startswith("argon2$")
    assert user.check_password(PASSWORD)


# Brute force (django-axes)


def fail_login(client, email, ip="10.0.0.1"):
    return client.post(reverse("accounts:login"), {"username": email, "password": "wrong"}, REMOTE_ADDR=ip)


def test_five_failures_for_one_account_lock_it_even_from_other_addresses(client):
    user = UserFactory()
    for n in range(5):
        fail_login(client, user.email, ip=f"10.0.0.{n + 1}")
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.1.99"
    )
    assert response.status_code == 429
    assert "Too many failed log-in attempts" in response.text
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_five_failures_from_one_address_lock_that_address_for_every_account(client):
    for n in range(5):
        fail_login(client, f"guess{n}@example.com", ip="10.0.0.7")
    other = UserFactory()
    response = client.post(
        reverse("accounts:login"), {"username": other.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_then_success_resets_the_count(client):
    user = UserFactory()
    for _ in range(4):
        fail_login(client, user.email)
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.email, failures_since_start__gt=0).exists()


# Admin


def test_customer_cannot_log_into_the_admin(client):
    user = UserFactory()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": user.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 200
    assert "staff account" in response.text
    assert client.get("/admin/").status_code == 302


def test_staff_can_log_into_the_admin(client):
    staff = StaffFactory()
    response = client.post(
        "/admin/login/?next=/admin/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


# Password reset and change


def test_password_reset_by_email_link_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends after the commit
        response = client.post(reverse("accounts:password_reset"), {"email": "Forgetful@example.com"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["forgetful@example.com"]
    assert message.alternatives[0].mimetype == "text/html"
    path = re.search(r"https?://[^/\s]+(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(path, follow=True)
    assert form_page.context["validlink"] is True
    new_password = "A-brand-new-secret-99"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password})
    assert done["Location"] == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new_password)

    stale = client.get(path, follow=True)
    assert stale.context["validlink"] is False
    assert "no longer works" in stale.text


def test_password_reset_answers_the_same_for_an_unknown_address(client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_stale_reset_link_changes_nothing(client):
    user = UserFactory()
    old_hash = user.password
    response = client.get(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}), follow=True
    )
    assert response.status_code == 200
    assert response.context["validlink"] is False
    response = client.post(
        reverse("accounts:password_reset_confirm", kwargs={"uidb64": "MQ", "token": "bad-token"}),
        {"new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password == old_hash


def test_password_change_keeps_the_customer_logged_in(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_password_change_with_wrong_old_password_changes_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_letter_case_does_not_buy_extra_attempts_for_one_account(client, settings):
    settings.AXES_USERNAME_CALLABLE = "accounts.lockout.lockout_username"
    user = UserFactory(email="robin@example.com")
    for n, spelling in enumerate(["Robin@example.com", "ROBIN@example.com", "robin@EXAMPLE.com", "rObin@example.com"]):
        fail_login(client, spelling, ip=f"10.0.2.{n + 1}")
    fail_login(client, "robin@example.com", ip="10.0.2.9")
    response = client.post(
        reverse("accounts:login"), {"username": user.email, "password": PASSWORD}, REMOTE_ADDR="10.0.3.1"
    )
    assert response.status_code == 429


def test_login_form_sends_the_customer_back_to_the_page_that_asked(client):
    user = UserFactory()
    login_url = client.get(reverse("accounts:orders"))["Location"]
    response = client.post(login_url, {"username": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("accounts:orders")
