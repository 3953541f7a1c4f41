"""`{% animal_cards animals SHOP_CURRENCY %}` and `{% status_badge status %}`: the markup of `animals.rendering`."""

from django import template

from animals import rendering

register = template.Library()


@register.simple_tag
def animal_cards(animals, currency):
    """The cards of `animals` (from `selectors.card_animals()`), each in a Bootstrap grid column."""
    return rendering.animal_cards(animals, currency)


@register.simple_tag
def status_badge(status):
    """The badge of an animal's status (available, reserved or sold)."""
    return rendering.status_badge(status)
