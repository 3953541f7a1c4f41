"""Absolute links, for e-mails."""

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from reverse()) on the shop's public address, SITE_URL: every link in an e-mail is built here,
    never from the request's Host header, which a visitor chooses."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"
