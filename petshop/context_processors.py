from django.conf import settings

from petshop.links import nav_urls


def shop(request):
    """The shop's name and currency, and the header's links (reversed once: {% url %} on every page costs more)."""
    return {
        "SHOP_NAME": settings.SHOP_NAME,
        "SHOP_CURRENCY": settings.SHOP_CURRENCY.upper(),
        "nav": nav_urls(),
    }
