from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.templatetags.static import static

from animals import rendering
from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Animal, Breed, Species
from animals.selectors import card_animals
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory

HOSTILE = '"><script>x</script>'
ESCAPED = "&quot;&gt;&lt;script&gt;x&lt;/script&gt;"


def card_of(**values):
    """An unsaved animal as `card_animals()` gives it, with `values` on it or its species and breed."""
    species = Species(name=values.pop("species_name", "Dog"), slug="dogs")
    breed = Breed(name=values.pop("breed_name", "Beagle"), species=species)
    animal = Animal(
        name="A",
        slug="a",
        species=species,
        breed=breed,
        sex=Animal.Sex.MALE,
        date_of_birth=date.today() - timedelta(days=100),
        price=Decimal("5.00"),
        stock=1,
    )
    animal.main_thumbnail, animal.main_alt_text, animal.is_reserved = "animals/thumbs/a.jpg", "A", False
    vars(animal).update(values)
    return animal


def test_a_card_shows_its_values_and_status_badge():
    html = Template("{% load catalogue %}{% animal_cards cards currency %}").render(
        Context({"cards": [card_of(stock=0, is_reserved=True, price=Decimal("1729.00"))], "currency": "USD"})
    )
    assert 'src="/media/animals/thumbs/a.jpg"' in html and 'href="/animals/dogs/a/"' in html
    assert "Dog · Beagle · Male · 3 months" in html
    assert '<span class="fw-semibold">$1,729.00</span>' in html  # petshop.money's format (en_US)
    assert '<span class="badge text-bg-warning">Reserved</span>' in html


@pytest.mark.parametrize(
    "values",
    [
        {"name": HOSTILE},
        {"main_thumbnail": HOSTILE},
        {"main_alt_text": HOSTILE},
        {"species_name": HOSTILE},
        {"breed_name": HOSTILE},
    ],  # the price is a Decimal, written by petshop.money (the currency's escaping is tested below)
)
def test_every_value_of_a_card_is_escaped(values):
    html = str(rendering.animal_cards([card_of(**values)], "EUR"))
    assert "<script>" not in html
    assert ESCAPED in html or "%22%3E%3Cscript%3Ex%3C/script%3E" in html  # a file name is quoted by the storage


def test_the_currency_is_escaped():
    html = str(rendering.animal_cards([card_of()], "<b>"))
    assert "&lt;B&gt;5.00" in html and "<b>" not in html.lower()


@pytest.mark.django_db
def test_cards_show_the_main_photo_else_the_first_else_no_photo():
    with_main = AnimalFactory(name="Main")
    AnimalPhotoFactory(animal=with_main, is_main=False, position=0, alt_text="side")
    main = AnimalPhotoFactory(animal=with_main, is_main=True, position=5, alt_text="main one")
    without_main = AnimalFactory(name="First")
    AnimalPhotoFactory(animal=without_main, is_main=False, position=3, alt_text="later")
    first = AnimalPhotoFactory(animal=without_main, is_main=False, position=1, alt_text="first")
    AnimalFactory(name="Bare")
    html = {a.name: str(rendering.animal_cards([a], "EUR")) for a in card_animals(Animal.objects.all())}
    assert f'src="{main.thumbnail.url}" class="card-img-top" alt="main one"' in html["Main"]
    assert f'src="{first.thumbnail.url}" class="card-img-top" alt="first"' in html["First"]
    assert f'src="{static("animals/no-photo.svg")}" class="card-img-top" alt="No photo of Bare yet"' in html["Bare"]


@pytest.mark.django_db
def test_cards_give_url_facts_and_status_from_one_query(django_assert_num_queries):
    dog = SpeciesFactory(name="Dog", slug="dogs")
    rex = AnimalFactory(name="Rex", breed=BreedFactory(species=dog, name="Beagle"), sex=Animal.Sex.MALE)
    mix = AnimalFactory(name="Mix", breed=None, species=dog, stock=0, sex=Animal.Sex.FEMALE)
    held = AnimalFactory(name="Held", species=dog, breed=None, stock=0)
    OrderItemFactory(animal=held, order=OrderFactory(status=Order.Status.PENDING_PAYMENT))
    with django_assert_num_queries(1):
        html = str(rendering.animal_cards(card_animals(Animal.objects.order_by("pk")), "EUR"))
    cards = html.split('<div class="col">')[1:]
    assert f'href="{rex.get_absolute_url()}">Rex</a>' in cards[0] and "Dog · Beagle · Male · " in cards[0]
    assert f'href="{mix.get_absolute_url()}">Mix</a>' in cards[1] and "Dog · Female · " in cards[1]
    assert [card.split('class="badge ')[1].split(">")[1].split("<")[0] for card in cards] == [
        "Available",
        "Sold",
        "Reserved",
    ]


@pytest.fixture
def choices(db):
    dogs = SpeciesFactory(name="Dog", slug="dogs")
    BreedFactory(species=dogs, name="Beagle", slug="beagle")
    BreedFactory(species=SpeciesFactory(name='Cat <"&>', slug="cats"), name="<Siamese>", slug="siamese")
    return FilterChoices(list(Species.objects.with_breeds()))


def test_filter_controls_show_the_submitted_values_escaped_and_the_chosen_options(choices):
    data = QueryDict('q={value}"><script>&price_min=abc&available=on&breed=beagle&sort=price_desc')
    fields = {
        str(f["html"]).split('name="')[1].split('"')[0]: f
        for f in AnimalFilterForm(data, choices=choices).filter_fields()
    }
    rendered = Template("{{ html }}").render(Context({"html": fields["q"]["html"]}))
    assert 'value="{value}&quot;&gt;&lt;script&gt;"' in rendered  # shown as it is, once escaped
    assert '<label class="form-label" for="id_q">Search</label>' in rendered
    assert 'value="abc"' in str(fields["price_min"]["html"])  # an invalid value is shown back with its error
    assert fields["price_min"]["errors"]
    assert " checked" in str(fields["available"]["html"])
    assert '<option value="beagle" selected>Beagle</option>' in str(fields["breed"]["html"])
    assert '<option value="price_desc" selected>' in str(fields["sort"]["html"])
    unchecked = AnimalFilterForm(QueryDict("available=false"), choices=choices).filter_fields()
    assert not any(" checked" in str(f["html"]) for f in unchecked)


def test_species_and_breed_names_in_the_filter_controls_are_escaped(choices):
    fields = AnimalFilterForm(QueryDict(""), choices=choices).filter_fields()
    html = "".join(str(f["html"]) for f in fields)
    assert '<optgroup label="Cat &lt;&quot;&amp;&gt;">' in html
    assert '<option value="siamese">&lt;Siamese&gt;</option>' in html
    assert "<Siamese>" not in html


@pytest.mark.django_db
def test_a_card_links_to_the_animal_page():
    dogs, cats = SpeciesFactory(slug="dogs"), SpeciesFactory(slug="cats")
    animals = [AnimalFactory(species=dogs, breed=None), AnimalFactory(species=cats, breed=None)]
    animals.append(AnimalFactory(species=dogs, breed=None))
    html = str(rendering.animal_cards(card_animals(Animal.objects.order_by("pk")), "EUR"))
    assert [f'href="{animal.get_absolute_url()}"' in html for animal in animals] == [True, True, True]
