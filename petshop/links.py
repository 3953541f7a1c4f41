"""Links: the header's (without arguments, reversed once per script prefix instead of by a {% url %} on every
page), and absolute ones for e-mails."""

import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse


def absolute_url(path: str) -> str:
    """`path` (from reverse()) on the shop's public address, SITE_URL: every link in an e-mail is built here,
    never from the request's Host header, which a visitor chooses."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


# Links that take no arguments, by their names in templates ({{ nav.cart }}): the header's, and the add-to-cart form's.
NAV_URLS = {
    "home": "animals:home",
    "animals": "animals:list",
    "cart": "cart:detail",
    "login": "accounts:login",
    "signup": "accounts:signup",
    "logout": "accounts:logout",
    "orders": "accounts:orders",
    "profile": "accounts:profile",
    "cart_add": "cart:add",
}


@functools.cache
def _nav_urls(script_prefix):
    return {name: reverse(url_name) for name, url_name in NAV_URLS.items()}


def nav_urls():
    """NAV_URLS reversed, once per script prefix (the only part of them that can change while the site runs).
    The dict is shared: read it, never change it."""
    return _nav_urls(get_script_prefix())
