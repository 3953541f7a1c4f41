"""E-mails about a customer account, sent after the transaction that changed it has committed.

One small function per e-mail, taking ids; every link in them is absolute, built from SITE_URL (absolute_url).
"""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.models import User
from accounts.tokens import email_confirmation_token
from petshop.links import absolute_url

logger = logging.getLogger(__name__)


def password_reset_url(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def _send(user: User, subject: str, template: str, context: dict) -> None:
    context = {"user": user, "SHOP_NAME": settings.SHOP_NAME, **context}
    text = render_to_string(f"accounts/email/{template}.txt", context)
    html = render_to_string(f"accounts/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, to=[user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError):
        # The account is as it was saved whatever the mail server says; the failure is logged.
        logger.warning("account e-mail not sent", extra={"user_id": user.pk, "template": template}, exc_info=True)


def send_welcome(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    context = {
        "shop_url": absolute_url(reverse("animals:list")),
        "profile_url": absolute_url(reverse("accounts:profile")),
    }
    _send(user, f"Welcome to {settings.SHOP_NAME}", "welcome", context)


def send_signup_confirmation(user_id: int) -> None:
    """The link that confirms a new account's address and logs the customer in."""
    user = User.objects.get(pk=user_id)
    context = {
        "confirm_url": absolute_url(reverse("accounts:confirm_email", args=[email_confirmation_token(user)])),
        "days": settings.ACCOUNT_CONFIRMATION_DAYS,
    }
    _send(user, f"Confirm your e-mail address for {settings.SHOP_NAME}", "signup_confirmation", context)


def send_signup_attempt(user_id: int) -> None:
    """Someone signed up with an address that already has an account: tell its owner, with a reset link."""
    user = User.objects.get(pk=user_id)
    context = {"reset_url": password_reset_url(user), "login_url": absolute_url(reverse("accounts:login"))}
    _send(user, f"Someone tried to sign up to {settings.SHOP_NAME} with your address", "signup_attempt", context)


def send_password_reset(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    _send(user, f"Reset your {settings.SHOP_NAME} password", "password_reset", {"reset_url": password_reset_url(user)})
