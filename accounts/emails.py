"""E-mails about a customer account, sent after the transaction that changed it has committed."""

import logging
from smtplib import SMTPException

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.models import User

logger = logging.getLogger(__name__)


def send_welcome(user_id: int) -> None:
    user = User.objects.get(pk=user_id)
    site_url = settings.SITE_URL.rstrip("/")
    context = {
        "user": user,
        "SHOP_NAME": settings.SHOP_NAME,
        "shop_url": f"{site_url}{reverse('animals:list')}",
        "profile_url": f"{site_url}{reverse('accounts:profile')}",
    }
    text = render_to_string("accounts/email/welcome.txt", context)
    html = render_to_string("accounts/email/welcome.html", context)
    message = EmailMultiAlternatives(f"Welcome to {settings.SHOP_NAME}", text, to=[user.email])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (SMTPException, OSError):
        # The account exists whatever the mail server says; the failure is logged.
        logger.warning("welcome e-mail not sent", extra={"user_id": user.pk}, exc_info=True)
