"""The shop's one money format: every price, subtotal and total the customer or staff read goes through
`format_money()` (in templates, the `|money` filter of `petshop_tags`).

Babel writes an amount as the shop's locale does ("$1,729.00" in en_US, "1.729,00 €" in de_DE); the locale and
the default currency are settings (`SHOP_LOCALE`, `SHOP_CURRENCY`).
"""

from decimal import Decimal

from babel.numbers import format_currency
from django.conf import settings


def format_money(amount: Decimal | int | str | None, currency: str | None = None) -> str:
    """`amount` in `currency` (default: the shop's), as the shop's locale writes it; "" for None.

    Amounts are Decimals (never floats): Babel formats them exactly, rounding half-even to the currency's digits.
    """
    if amount is None or amount == "":
        return ""
    return format_currency(Decimal(amount), (currency or settings.SHOP_CURRENCY).upper(), locale=settings.SHOP_LOCALE)
