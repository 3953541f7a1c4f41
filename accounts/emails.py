"""The e-mails about a customer account (kinds of the notifications outbox)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User
from notifications.kinds import notification_kind


@notification_kind("welcome", template="accounts/email/welcome")
def welcome(*, user_id: int) -> dict:
    site_url = settings.SITE_URL.rstrip("/")
    return {
        "subject": f"Welcome to {settings.SHOP_NAME}",
        "user": User.objects.get(pk=user_id),
        "shop_url": f"{site_url}{reverse('animals:list')}",
        "profile_url": f"{site_url}{reverse('accounts:profile')}",
    }


@notification_kind("password-reset", template="accounts/email/password_reset", sensitive=True)
def password_reset(*, user_id: int, uid: str, token: str) -> dict:
    site = urlsplit(settings.SITE_URL)
    return {
        "subject": render_to_string("accounts/email/password_reset_subject.txt", {"SHOP_NAME": settings.SHOP_NAME}),
        "user": User.objects.get(pk=user_id),
        "uid": uid,
        "token": token,
        "protocol": site.scheme,
        "domain": site.netloc,
    }
