"""`{% animal_cards cards SHOP_CURRENCY %}`: the cards of a row of animals (list, home and detail pages), and
`{% status_badge status %}`: an animal's status as a badge (the cards and the animal page).

A list page shows 24 cards of eight values each: through the template engine, or through one
`format_html` per card, they took a third of the page's time. So the cards' markup is one format string,
filled with values escaped by the standard library's `html.escape` (what Django's `escape` runs), and
handed to the template as an `@html_safe` object.
"""

from html import escape

from django import template
from django.utils.html import html_safe
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


@html_safe
class AnimalCardsHTML:
    """The markup of `cards`; every value from the database or the settings is escaped here."""

    def __init__(self, cards, currency):
        self.cards = cards
        self.currency = currency

    def __str__(self):
        currency = escape(self.currency)
        return "".join(
            CARD.format(
                image=escape(card.image),
                alt_text=escape(card.alt_text),
                url=escape(card.url),
                name=escape(card.name),
                facts=escape(card.facts),
                price=escape(str(card.price)),
                currency=currency,
                badge=BADGES[card.status],
            )
            for card in self.cards
        )


@register.simple_tag
def animal_cards(cards, currency):
    """The cards (`AnimalCard`s from `AnimalQuerySet.cards()`), each in a Bootstrap grid column."""
    return AnimalCardsHTML(cards, currency)


@register.simple_tag
def status_badge(status):
    """The badge of an animal's status (available, reserved or sold)."""
    return BADGES[status]
