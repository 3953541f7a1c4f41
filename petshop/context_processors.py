from django.conf import settings


def shop(request):
    """The shop's name and currency."""
    return {"SHOP_NAME": settings.SHOP_NAME, "SHOP_CURRENCY": settings.SHOP_CURRENCY.upper()}
