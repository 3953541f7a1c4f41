"""The catalogue's hand-written markup: animal cards, status badges and the filter's controls.

A list page shows 24 cards and nine filter controls (one of them with dozens of breeds); through the template
engine they took a large share of the page's time, so their markup is written here as format strings. Every
value from the database, the settings or the request is escaped here (`html.escape`, what Django's `escape`
runs) before it goes into them; nothing else in the project builds HTML strings.
"""

from html import escape

from django.core.files.storage import default_storage
from django.templatetags.static import static
from django.utils.safestring import SafeString, mark_safe

from animals.models import Animal
from petshop.money import format_money

CARD = (
    '<div class="col"><article class="card h-100 animal-card shadow-sm">'
    '<img src="{image}" class="card-img-top" alt="{alt_text}" width="400" height="300" loading="lazy">'
    '<div class="card-body">'
    '<h3 class="h5 card-title mb-1"><a class="stretched-link text-decoration-none" href="{url}">{name}</a></h3>'
    '<p class="card-text small text-body-secondary mb-2">{facts}</p>'
    "{highlights}"
    '<div class="d-flex justify-content-between align-items-center">'
    '<span class="fw-semibold">{price}</span>{badge}</div>'
    "{heart}</div></article></div>\n"
)
# The card's heart: no state and no token (the card is cached and shared by every anonymous visitor); it submits
# the page's per-visitor form "favourite-form" (favourites/_heart_form.html), whose script marks the saved ones.
HEART = (
    '<button type="submit" form="favourite-form" name="animal" value="{pk}" '
    'class="btn btn-sm btn-outline-danger favourite-heart mt-2" aria-label="Save {name} to favourites">♡</button>'
)
HIGHLIGHTS = '<p class="card-text small text-success mb-2 animal-highlights">{}</p>'
BADGES = {
    Animal.Status.AVAILABLE: SafeString('<span class="badge text-bg-success">Available</span>'),
    Animal.Status.RESERVED: SafeString('<span class="badge text-bg-warning">Reserved</span>'),
    Animal.Status.SOLD: SafeString('<span class="badge text-bg-secondary">Sold</span>'),
}


def status_badge(status) -> SafeString:
    return BADGES[status]


def card_facts(animal) -> str:
    """What a card says of the animal, as text: "Dog · Beagle · Female · 5 months" (the JSON API's cards too)."""
    facts = [animal.species.name, animal.breed.name if animal.breed else ""]
    if animal.sex != Animal.Sex.UNKNOWN:  # "Unknown" says nothing on a card (a group, a young bird)
        facts.append(animal.get_sex_display())
    facts.append(animal.age_display)
    return " · ".join(fact for fact in facts if fact)


def animal_cards(animals, currency: str) -> SafeString:
    """The cards of `animals`, each in a Bootstrap grid column.

    The animals come from `selectors.card_animals()`: species and breed selected, main photo and reservation
    annotated. Prices are written by `petshop.money.format_money()` in `currency`.
    """
    no_photo = static("animals/no-photo.svg")
    # An animal's URL is its species page's plus its slug (test_rendering checks it against
    # get_absolute_url()): one reverse() per species instead of one per card, measured worth it on the
    # list pages (bench/README.md).
    species_urls = {}
    cards = []
    for animal in animals:
        species_url = species_urls.get(animal.species_id)
        if species_url is None:
            species_url = species_urls[animal.species_id] = animal.species.get_absolute_url()
        if animal.main_thumbnail:
            image, alt_text = default_storage.url(animal.main_thumbnail), animal.main_alt_text
        else:
            image, alt_text = no_photo, f"No photo of {animal.name} yet"
        # The good facts that apply to the animal's species (never "Vaccinated" on a fish).
        highlights = animal.highlights()
        cards.append(
            CARD.format(
                image=escape(image),
                alt_text=escape(alt_text),
                url=escape(f"{species_url}{animal.slug}/"),
                name=escape(animal.display_name),
                facts=escape(card_facts(animal)),
                highlights=HIGHLIGHTS.format(escape(" · ".join(highlights))) if highlights else "",
                price=escape(format_money(animal.price, currency)),
                badge=BADGES[animal.status],
                heart=HEART.format(pk=animal.pk, name=escape(animal.name)),
            )
        )
    # Every value was escaped above: bandit reviewed and silenced.
    return mark_safe("".join(cards))  # noqa: S308 # nosec B308 B703


# A filter field's label and control, by kind: what Django's widget templates would render, without the
# template engine.
CONTROLS = {
    "checkbox": (
        '<input class="form-check-input" type="checkbox" name="{name}" id="{id}"{checked}>\n'
        '<label class="form-check-label" for="{id}">{label}</label>'
    ),
    "select": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<select class="form-select" name="{name}" id="{id}">{options}</select>'
    ),
    "number": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<input class="form-control" type="number" min="0" step="0.01" inputmode="decimal" name="{name}" id="{id}" '
        'value="{value}">'
    ),
    "search": (
        '<label class="form-label" for="{id}">{label}</label>\n'
        '<input class="form-control" type="search" name="{name}" id="{id}" value="{value}" maxlength="100">'
    ),
}


def option_items(choices) -> tuple:
    """A select's `choices` (groups as (label, choices)) as its <option>s and <optgroup>s, escaped once: a tuple
    of (value, HTML, HTML when selected), value None for a group's tags."""
    items = []
    for value, label in choices:
        if isinstance(label, list | tuple):
            items.append((None, f'<optgroup label="{escape(str(value))}">', None))
            items.extend(option_items(label))
            items.append((None, "</optgroup>", None))
        else:
            value_html, label_html = escape(str(value)), escape(str(label))
            items.append(
                (
                    value,
                    f'<option value="{value_html}">{label_html}</option>',
                    f'<option value="{value_html}" selected>{label_html}</option>',
                )
            )
    return tuple(items)


def options_html(options) -> SafeString:
    """A select's `option_items()` as HTML, none selected."""
    # Escaped in option_items(): bandit reviewed and silenced.
    return mark_safe("".join(plain for _, plain, _ in options))  # noqa: S308 # nosec B308 B703


def filter_control(*, kind: str, name: str, label: str, value, options=()) -> SafeString:
    """One filter field's label and control (CONTROLS[kind]); `value` is what the form shows in it, `options`
    the select's `option_items()`."""
    chosen = str(value) if value else None
    # Every value is escaped here or in option_items(): bandit reviewed and silenced.
    return mark_safe(  # noqa: S308 # nosec B308 B703
        CONTROLS[kind].format(
            name=escape(name),
            id=escape(f"id_{name}"),
            label=escape(str(label)),
            value=escape(chosen) if chosen else "",
            checked=" checked" if value else "",
            options="".join(
                selected if item_value is not None and item_value == chosen else plain
                for item_value, plain, selected in options
            ),
        )
    )
