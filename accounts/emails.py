"""The e-mails about a customer account (kinds of the notifications outbox).

Every link in them is absolute, built from SITE_URL (absolute_url), never from the request's Host header.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import email_confirmation_token
from notifications.kinds import notification_kind
from petshop.links import absolute_url


def password_reset_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


@notification_kind("welcome", template="accounts/email/welcome")
def welcome(*, user_id: int) -> dict:
    return {
        "subject": f"Welcome to {settings.SHOP_NAME}",
        "user": User.objects.get(pk=user_id),
        "shop_url": absolute_url(reverse("animals:list")),
        "profile_url": absolute_url(reverse("accounts:profile")),
    }


@notification_kind("signup-confirmation", template="accounts/email/signup_confirmation", sensitive=True)
def signup_confirmation(*, user_id: int) -> dict:
    """The link that confirms a new account's address and logs the customer in."""
    user = User.objects.get(pk=user_id)
    return {
        "subject": f"Confirm your e-mail address for {settings.SHOP_NAME}",
        "user": user,
        "confirm_url": absolute_url(reverse("accounts:confirm_email", args=[email_confirmation_token(user)])),
        "days": settings.ACCOUNT_CONFIRMATION_DAYS,
    }


@notification_kind("signup-attempt", template="accounts/email/signup_attempt", sensitive=True)
def signup_attempt(*, user_id: int) -> dict:
    """Someone signed up with an address that already has an account: tell its owner, with a reset link."""
    user = User.objects.get(pk=user_id)
    return {
        "subject": f"Someone tried to sign up to {settings.SHOP_NAME} with your address",
        "user": user,
        "reset_url": password_reset_url(user),
        "login_url": absolute_url(reverse("accounts:login")),
    }


@notification_kind("password-reset", template="accounts/email/password_reset", sensitive=True)
def password_reset(*, user_id: int) -> dict:
    user = User.objects.get(pk=user_id)
    return {
        "subject": f"Reset your {settings.SHOP_NAME} password",
        "user": user,
        "reset_url": password_reset_url(user),
    }
