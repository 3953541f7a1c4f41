import pytest

from animals.forms import AnimalFilterForm, FilterChoices
from animals.models import Species
from animals.tests.factories import BreedFactory, SpeciesFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def species_list():
    dogs = SpeciesFactory(name="Dog", slug="dogs")
    BreedFactory(species=dogs, name="Beagle", slug="beagle")
    BreedFactory(species=SpeciesFactory(name="Cat", slug="cats"), name="Siamese", slug="siamese")
    return Species.objects.with_breeds()


def test_forms_made_with_the_same_choices_share_their_fields_and_validation_leaves_them_unchanged(species_list):
    choices = FilterChoices(species_list)
    fields = dict(choices.fields)
    breed_choices = list(choices.fields["breed"].choices)
    bad = AnimalFilterForm({"price_min": "-1", "breed": "nope", "q": "x" * 200}, choices=choices)
    good = AnimalFilterForm({"price_min": "5", "breed": "beagle"}, choices=choices)
    assert bad.fields is good.fields is choices.fields
    assert set(bad.errors) == {"price_min", "breed", "q"}
    assert good.valid_data() == {"price_min": 5, "breed": "beagle"}
    assert not good.errors
    assert choices.fields == fields
    assert list(choices.fields["breed"].choices) == breed_choices


def test_a_species_page_offers_only_its_breeds_and_no_species_choice(species_list):
    dogs = next(s for s in species_list if s.slug == "dogs")
    choices = FilterChoices(species_list, dogs)
    assert "species" not in choices.fields
    assert list(choices.fields["breed"].choices) == [("", "Any breed"), ("Dog", [("beagle", "Beagle")])]
    assert not AnimalFilterForm({"breed": "siamese"}, choices=choices).is_valid()
    # The search still matches every breed's name (the species filter narrows the results anyway).
    assert [b.name for b in choices.breeds] == ["Beagle", "Siamese"]


def test_filter_controls_show_the_submitted_values_escaped_and_the_chosen_options(species_list):
    from django.http import QueryDict
    from django.template import Context, Template

    choices = FilterChoices(species_list)
    data = QueryDict('q={value}"><script>&price_min=abc&available=on&breed=beagle&sort=price_desc')
    fields = {
        f["html"].html.split('name="')[1].split('"')[0]: f
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
