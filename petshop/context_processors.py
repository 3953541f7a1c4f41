import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse

# The links of every page's header, by their names in templates ({{ nav.cart }}).
NAV_URLS = {
    "home": "animals:home",
    "animals": "animals:list",
    "cart": "cart:detail",
    "login": "accounts:login",
    "signup": "accounts:signup",
    "logout": "accounts:logout",
    "orders": "accounts:orders",
    "profile": "accounts:profile",
}


@functools.cache
def _nav_urls(script_prefix):
    """NAV_URLS reversed, once per script prefix (the only part of them that can change while the site runs)."""
    return {name: reverse(url_name) for name, url_name in NAV_URLS.items()}


def shop(request):
    """The shop's name and currency, and the header's links (reversed once: {% url %} on every page costs more)."""
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "SHOP_CURRENCY": settings.SHOP_CURRENCY.upper(),
        "nav": _nav_urls(get_script_prefix()),
    }
