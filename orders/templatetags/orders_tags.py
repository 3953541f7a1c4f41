"""Template helpers of the order pages and e-mails: the status badge and the collection details (prices: the
builtin `|money` filter, petshop/templatetags/money.py)."""

from django import template

from orders import collection

register = template.Library()


@register.simple_tag
def collection_details(day):
    """The shop's address, phone, hours on `day`, map link and what to bring (see orders.collection)."""
    return collection.details(day)


@register.inclusion_tag("orders/_status_badge.html")
def status_badge(order):
    return {"order": order}
