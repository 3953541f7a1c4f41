"""The shop's one money format: every price, subtotal and total the customer or staff read goes through
`format_money()` (in templates, the `|money` filter of `petshop_tags`).

Babel writes an amount as the shop's locale does ("$1,729.00" in en_US, "1.729,00 €" in de_DE); the locale and
the default currency are settings (`SHOP_LOCALE`, `SHOP_CURRENCY`).
"""

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency
from django.conf import settings


def format_money(amount: Decimal | int | str | None, currency: str | None = None) -> str:
    """`amount` in `currency` (default: the shop's), as the shop's locale writes it; "" for None.

    Amounts are Decimals (never floats): Babel formats them exactly, rounding half-even to the currency's digits.
    """
    if amount is None or amount == "":
        return ""
    return _formatted(Decimal(amount), (currency or settings.SHOP_CURRENCY).upper(), settings.SHOP_LOCALE)


# A list page writes 24 prices and Babel takes a while over each; a shop has far fewer distinct prices than
# this, so the ones already written are kept (amounts equal as Decimals, 5 and 5.00, are written alike).
@lru_cache(maxsize=4096)
def _formatted(amount: Decimal, currency: str, locale: str) -> str:
    return format_currency(amount, currency, locale=locale)
