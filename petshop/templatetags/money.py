"""`{{ amount|money }}` and `{{ amount|money:order.currency }}`: the shop's one money format (petshop.money),
a builtin of every template (settings.TEMPLATES)."""

from django import template

from petshop.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=None):
    return format_money(amount, currency or None)
