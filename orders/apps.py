from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class OrdersConfig(AppConfig):
    name = "orders"

    def ready(self):
        checks.register(check_collection_settings)


def check_collection_settings(app_configs=None, **kwargs):
    """Unreadable opening hours or shop country stop the start, instead of failing on an order page."""
    from django_countries import countries

    from orders.collection import parse_opening_hours

    errors = []
    try:
        parse_opening_hours(settings.SHOP_OPENING_HOURS)
    except ValueError as error:
        errors.append(checks.Error(f"SHOP_OPENING_HOURS: {error}", id="orders.E001"))
    if settings.SHOP_COUNTRY not in countries:
        errors.append(
            checks.Error(f"SHOP_COUNTRY {settings.SHOP_COUNTRY!r} is not an ISO 3166 country code.", id="orders.E002")
        )
    return errors
