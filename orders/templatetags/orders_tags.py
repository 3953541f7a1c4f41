"""Template helpers of the order pages and e-mails: the status badge, prices and the collection details."""

from django import template

from orders import collection

register = template.Library()


@register.filter
def money(amount, currency=""):
    """A price as the shop writes it: "450.00", or "450.00 USD" with a currency (the one place to change it)."""
    if amount is None:
        return ""
    text = f"{amount:.2f}"
    return f"{text} {currency.upper()}" if currency else text


@register.simple_tag
def collection_details(day):
    """The shop's address, phone, hours on `day`, map link and what to bring (see orders.collection)."""
    return collection.details(day)


@register.inclusion_tag("orders/_status_badge.html")
def status_badge(order):
    return {"order": order}
