"""`{% animal_cards cards %}`: the cards of a row of animals (list, home and detail pages).

A list page shows 24 cards, and the template engine spent more time on their eight values each than on
the rest of the page, so the card's markup is one format string, filled and escaped by `format_html_join`.
"""

from django import template
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from animals.models import Animal

register = template.Library()

CARD = (
    '<div class="col"><article class="card h-100 animal-card shadow-sm">'
    '<img src="{image}" class="card-img-top" alt="{alt_text}" width="400" height="300" loading="lazy">'
    '<div class="card-body">'
    '<h3 class="h5 card-title mb-1"><a class="stretched-link text-decoration-none" href="{url}">{name}</a></h3>'
    '<p class="card-text small text-body-secondary mb-2">{facts}</p>'
    '<div class="d-flex justify-content-between align-items-center">'
    '<span class="fw-semibold">{price} {currency}</span>{badge}</div>'
    "</div></article></div>\n"
)
BADGES = {
    Animal.Status.AVAILABLE: SafeString('<span class="badge text-bg-success">Available</span>'),
    Animal.Status.RESERVED: SafeString('<span class="badge text-bg-warning">Reserved</span>'),
    Animal.Status.SOLD: SafeString('<span class="badge text-bg-secondary">Sold</span>'),
}


@register.simple_tag
def animal_cards(cards, currency):
    """The cards (`AnimalCard`s from `AnimalQuerySet.cards()`), each in a Bootstrap grid column."""
    return format_html_join(
        "",
        CARD,
        (
            {
                "image": card.image,
                "alt_text": card.alt_text,
                "url": card.url,
                "name": card.name,
                "facts": card.facts,
                "price": card.price,
                "currency": currency,
                "badge": BADGES[card.status],
            }
            for card in cards
        ),
    )
