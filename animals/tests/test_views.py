import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from animals.models import Animal
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory, BreedFactory, SpeciesFactory
from orders.models import Order
from orders.tests.factories import OrderFactory, OrderItemFactory

pytestmark = pytest.mark.django_db

LIST = reverse("animals:list")


def names(response):
    return [animal.name for animal in response.context["page_obj"]]


def list_names(client, **params):
    return names(client.get(LIST, params))


@pytest.fixture
def dogs():
    return SpeciesFactory(name="Dog", slug="dogs", plural="Dogs")


@pytest.fixture
def cats():
    return SpeciesFactory(name="Cat", slug="cats", plural="Cats")


def test_home_shows_species_and_newest_available_animals(client, dogs):
    AnimalFactory(name="Rex", breed=BreedFactory(species=dogs))
    AnimalFactory(name="Gone", breed=BreedFactory(species=dogs), stock=0)
    AnimalFactory(name="Hidden", is_published=False)
    response = client.get(reverse("animals:home"))
    assert response.status_code == 200
    assert [a.name for a in response.context["newest"]] == ["Rex"]
    assert reverse("animals:species", kwargs={"species_slug": "dogs"}) in response.text
    assert "1 available" in response.text


def test_list_shows_published_animals_with_card_details(client, dogs, settings):
    settings.SHOP_CURRENCY, settings.SHOP_LOCALE = "eur", "de_DE"
    animal = AnimalFactory(name="Rex", breed=BreedFactory(species=dogs, name="Beagle"), price=Decimal("350.00"))
    AnimalPhotoFactory(animal=animal, alt_text="Rex on the sofa")
    AnimalFactory(name="Hidden", is_published=False)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "animals/animal_list.html" in [t.name for t in response.templates]
    assert names(response) == ["Rex"]
    assert 'alt="Rex on the sofa"' in response.text
    assert "350,00\xa0€" in response.text  # the shop's currency in its locale (petshop.money)
    assert "Beagle" in response.text
    assert "Available" in response.text
    assert animal.get_absolute_url() in response.text


def test_status_badges(client):
    AnimalFactory(name="Sold one", stock=0)
    reserved = AnimalFactory(name="Held one", stock=0)
    OrderItemFactory(animal=reserved, order=OrderFactory(status=Order.Status.PENDING_PAYMENT))
    text = client.get(LIST).text
    assert "Sold</span>" not in text  # left out unless asked for
    assert "Reserved</span>" in text
    assert "Sold</span>" in client.get(LIST, {"sold": "on"}).text


@pytest.mark.parametrize(
    ("stock", "status", "badge"),
    [(0, Order.Status.PENDING_PAYMENT, "Reserved"), (0, Order.Status.PAID, "Sold"), (1, None, "Available")],
)
def test_the_detail_page_shows_the_status(client, stock, status, badge):
    animal = AnimalFactory(stock=stock)
    if status:
        OrderItemFactory(animal=animal, order=OrderFactory(status=status))
    assert f"{badge}</span>" in client.get(animal.get_absolute_url()).text


def test_filter_by_species_breed_and_sex(client, dogs, cats):
    beagle = BreedFactory(species=dogs, name="Beagle", slug="beagle")
    AnimalFactory(name="Rex", breed=beagle, sex=Animal.Sex.MALE)
    AnimalFactory(name="Bella", breed=beagle, sex=Animal.Sex.FEMALE)
    AnimalFactory(name="Tom", breed=BreedFactory(species=cats), sex=Animal.Sex.MALE)
    assert sorted(list_names(client, species="dogs")) == ["Bella", "Rex"]
    assert sorted(list_names(client, breed="beagle")) == ["Bella", "Rex"]
    assert sorted(list_names(client, sex="male")) == ["Rex", "Tom"]
    assert list_names(client, species="dogs", sex="male") == ["Rex"]


def test_a_breed_slug_shared_by_two_species_filters_each_where_it_applies(client, dogs, cats):
    AnimalFactory(name="Rex", breed=BreedFactory(species=dogs, name="Mixed", slug="mixed"))
    AnimalFactory(name="Tom", breed=BreedFactory(species=cats, name="Mixed", slug="mixed"))
    AnimalFactory(name="Bob", breed=BreedFactory(species=dogs, name="Pug", slug="pug"))
    assert sorted(list_names(client, breed="mixed")) == ["Rex", "Tom"]
    assert list_names(client, species="cats", breed="mixed") == ["Tom"]
    species_page = reverse("animals:species", kwargs={"species_slug": "dogs"})
    assert names(client.get(species_page, {"breed": "mixed"})) == ["Rex"]


def test_filter_by_age_band(client):
    today = date.today()
    AnimalFactory(name="Baby", date_of_birth=today - timedelta(days=60))
    AnimalFactory(name="Young", date_of_birth=today - timedelta(days=250))
    AnimalFactory(name="Adult", date_of_birth=today - timedelta(days=700))
    AnimalFactory(name="Senior", date_of_birth=today - timedelta(days=2000))
    assert list_names(client, age="baby") == ["Baby"]
    assert list_names(client, age="young") == ["Young"]
    assert list_names(client, age="adult") == ["Adult"]
    assert list_names(client, age="senior") == ["Senior"]


def test_filter_by_price_range_and_availability(client):
    AnimalFactory(name="Cheap", price=Decimal("10.00"))
    AnimalFactory(name="Mid", price=Decimal("100.00"))
    AnimalFactory(name="Dear", price=Decimal("1000.00"))
    AnimalFactory(name="Sold", price=Decimal("100.00"), stock=0)
    assert list_names(client, price_min="50", price_max="500") == ["Mid"]
    assert sorted(list_names(client, price_min="50", price_max="500", sold="on")) == ["Mid", "Sold"]
    assert list_names(client, price_min="50", price_max="500", available="on") == ["Mid"]


def test_search_matches_name_breed_and_description(client):
    AnimalFactory(name="Rex", description="Loves water")
    AnimalFactory(name="Bella", breed=BreedFactory(name="Labrador"))
    AnimalFactory(name="Other", description="Quiet")
    assert list_names(client, q="rex") == ["Rex"]
    assert list_names(client, q="labra") == ["Bella"]
    assert list_names(client, q="WATER") == ["Rex"]


def test_sorting(client):
    today = date.today()
    AnimalFactory(name="A", price=Decimal("30.00"), date_of_birth=today - timedelta(days=300))
    AnimalFactory(name="B", price=Decimal("10.00"), date_of_birth=today - timedelta(days=100))
    AnimalFactory(name="C", price=Decimal("20.00"), date_of_birth=today - timedelta(days=200))
    assert list_names(client) == ["C", "B", "A"]  # newest first
    assert list_names(client, sort="newest") == ["C", "B", "A"]
    assert list_names(client, sort="price_asc") == ["B", "C", "A"]
    assert list_names(client, sort="price_desc") == ["A", "C", "B"]
    assert list_names(client, sort="youngest") == ["B", "C", "A"]
    assert list_names(client, sort="oldest") == ["A", "C", "B"]


def test_pagination_keeps_the_filters(client):
    AnimalFactory.create_batch(30, sex=Animal.Sex.MALE)
    AnimalFactory.create_batch(3, sex=Animal.Sex.FEMALE)
    response = client.get(LIST, {"sex": "male", "sort": "price_asc"})
    assert len(response.context["page_obj"]) == 24
    assert 'href="?sex=male&amp;sort=price_asc&amp;page=2"' in response.text
    second = client.get(LIST, {"sex": "male", "sort": "price_asc", "page": "2"})
    assert len(second.context["page_obj"]) == 6
    assert 'href="?sex=male&amp;sort=price_asc&amp;page=1"' in second.text


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", 1), ("-1", 2), ("999", 2), ("", 1), ("2", 2)],
)
def test_bad_page_numbers_give_the_first_or_last_page(client, page, expected):
    AnimalFactory.create_batch(25)
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected
    assert len(response.context["page_obj"]) == (24 if expected == 1 else 1)
    assert "25 animals found, page" in response.text


@pytest.mark.parametrize("page", ["1", "3", "0", "x"])
def test_no_animals_at_all_is_one_empty_page(client, page):
    response = client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page_obj"].number == 1
    assert names(response) == []
    assert "0 animals found." in response.text
    assert "No animals match these filters." in response.text


def test_a_page_past_the_end_of_a_filtered_list_is_its_last_page(client, dogs, django_assert_max_num_queries):
    AnimalFactory.create_batch(30, breed=BreedFactory(species=dogs), sex=Animal.Sex.MALE)
    AnimalFactory(name="Tom")
    client.get(LIST)  # the species and breeds are cached from now on
    with django_assert_max_num_queries(3):  # the empty page, the count, the last page
        response = client.get(LIST, {"species": "dogs", "page": "9"})
    assert response.context["page_obj"].number == 2
    assert len(response.context["page_obj"]) == 6
    assert "30 animals found, page 2 of 2." in response.text
    assert 'href="?species=dogs&amp;page=1" rel="prev"' in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"price_min": "abc"},
        {"price_min": "-5"},
        {"price_max": "1e400"},
        {"price_max": "NaN"},
        {"species": "unicorns"},
        {"breed": "no-such-breed"},
        {"sex": "both"},
        {"age": "ancient"},
        {"sort": "random"},
        {"q": "x" * 5000},
        {"available": "maybe"},
    ],
)
def test_bad_filter_values_are_ignored(client, params):
    AnimalFactory(name="Rex")
    response = client.get(LIST, params)
    assert response.status_code == 200
    assert names(response) == ["Rex"]


def test_an_ignored_filter_says_so_beside_the_field(client):
    response = client.get(LIST, {"price_min": "-5"})
    assert "This filter was ignored." in response.text


def test_html_in_names_and_search_is_escaped(client):
    animal = AnimalFactory(name="<script>alert(1)</script>")
    list_text = client.get(LIST, {"q": "<b>bold</b>"}).text
    assert "<b>bold</b>" not in list_text
    assert "&lt;b&gt;bold&lt;/b&gt;" in list_text
    text = client.get(LIST).text + client.get(animal.get_absolute_url()).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_every_value_on_a_card_is_escaped(client):
    species = SpeciesFactory(name='Dog "<i>"', slug="dogs")
    animal = AnimalFactory(name='Rex "<b>"', breed=BreedFactory(name="Pug & <u>Co</u>", species=species))
    AnimalPhotoFactory(animal=animal, alt_text='Rex" onerror="alert(1)')
    card = client.get(LIST).text.split('<article class="card')[1].split("</article>")[0]
    assert 'alt="Rex&quot; onerror=&quot;alert(1)"' in card
    assert ">Rex &quot;&lt;b&gt;&quot;</a>" in card
    assert "Dog &quot;&lt;i&gt;&quot; · Pug &amp; &lt;u&gt;Co&lt;/u&gt; · " in card
    assert "<b>" not in card and "<i>" not in card and "<u>" not in card


def test_species_and_breed_names_in_the_filter_are_escaped(client):
    BreedFactory(name="<b>Pug</b>", slug="pug", species=SpeciesFactory(name="<i>Dog</i>", slug="dogs"))
    text = client.get(LIST, {"breed": "pug"}).text
    assert '<optgroup label="&lt;i&gt;Dog&lt;/i&gt;"><option value="pug" selected>&lt;b&gt;Pug&lt;/b&gt;<' in text
    assert '<option value="dogs">&lt;i&gt;Dog&lt;/i&gt;</option>' in text
    assert "<b>Pug</b>" not in text


def test_species_page_lists_only_that_species(client, dogs, cats):
    AnimalFactory(name="Rex", breed=BreedFactory(species=dogs))
    AnimalFactory(name="Tom", breed=BreedFactory(species=cats))
    response = client.get(reverse("animals:species", kwargs={"species_slug": "dogs"}))
    assert response.status_code == 200
    assert names(response) == ["Rex"]
    assert "<title>Dogs for sale" in response.text
    assert 'name="species"' not in response.text


def test_a_search_page_says_what_was_searched_for_escaped(client, dogs):
    AnimalFactory(name="Rex", breed=BreedFactory(species=dogs))

    found = client.get(LIST, {"q": "rex"})
    on_species = client.get(reverse("animals:species", kwargs={"species_slug": "dogs"}), {"q": "rex"})
    markup = client.get(LIST, {"q": "<b>rex</b>"})

    assert '<h1 class="h2 mb-2">Animals matching “rex”</h1>' in found.text
    assert "<title>Animals matching “rex”" in found.text
    assert "Dogs matching “rex”" in on_species.text
    assert "matching “&lt;b&gt;rex&lt;/b&gt;”" in markup.text and "<b>rex</b>" not in markup.text


def test_unknown_species_is_a_404(client):
    assert client.get(reverse("animals:species", kwargs={"species_slug": "dragons"})).status_code == 404


def test_detail_shows_facts_gallery_care_guide_and_others(client, dogs):
    dogs.care_guide = "Walk twice a day."
    dogs.save()
    breed = BreedFactory(species=dogs, name="Beagle")
    animal = AnimalFactory(name="Rex", breed=breed, colour="Tricolour", vaccinated=True, health_note="All good")
    AnimalPhotoFactory(animal=animal, is_main=False, position=1, alt_text="Rex asleep")
    main = AnimalPhotoFactory(animal=animal, is_main=True, position=2, alt_text="Rex running")
    AnimalFactory.create_batch(5, breed=breed)
    AnimalFactory(name="Sold pal", breed=breed, stock=0)
    response = client.get(animal.get_absolute_url())
    assert response.status_code == 200
    text = response.text
    assert text.index('alt="Rex running"') < text.index('alt="Rex asleep"')
    assert main.display.url in text
    assert main.image.url not in text  # never the original upload
    for fact in ["Beagle", "Tricolour", "All good", "Walk twice a day.", animal.age_display]:
        assert fact in text
    assert text.count('class="card h-100 animal-card') == 4
    assert "Sold pal" not in text
    assert reverse("cart:add") in text


def test_add_to_cart_form_only_when_available(client):
    sold = AnimalFactory(stock=0)
    response = client.get(sold.get_absolute_url())
    assert response.status_code == 200
    assert reverse("cart:add") not in response.text
    assert "Sold</span>" in response.text


@pytest.mark.parametrize("case", ["unpublished", "wrong_species", "unknown"])
def test_detail_404s(client, case):
    animal = AnimalFactory(is_published=case != "unpublished")
    species_slug = "other" if case == "wrong_species" else animal.species.slug
    animal_slug = "nobody" if case == "unknown" else animal.slug
    SpeciesFactory(slug="other")
    url = reverse("animals:detail", kwargs={"species_slug": species_slug, "animal_slug": animal_slug})
    assert client.get(url).status_code == 404


def test_titles_and_descriptions_are_unique_per_page(client, dogs):
    animal = AnimalFactory(name="Rex", breed=BreedFactory(species=dogs))
    urls = [
        reverse("animals:home"),
        LIST,
        reverse("animals:species", kwargs={"species_slug": "dogs"}),
        animal.get_absolute_url(),
    ]
    pages = [client.get(url).text for url in urls]
    titles = {text.split("<title>")[1].split("</title>")[0] for text in pages}
    descriptions = {text.split('<meta name="description" content="')[1].split('"')[0] for text in pages}
    assert len(titles) == len(descriptions) == 4


@pytest.mark.parametrize("params", [{}, {"species": "dogs", "q": "a", "sort": "price_desc", "price_min": "1"}])
def test_list_query_budget(client, django_assert_max_num_queries, dogs, params):
    breed = BreedFactory(species=dogs)
    for animal in AnimalFactory.create_batch(30, breed=breed):
        AnimalPhotoFactory(animal=animal)
        AnimalPhotoFactory(animal=animal, is_main=False)
    OrderItemFactory(animal=AnimalFactory(breed=breed, stock=0), order=OrderFactory())
    with django_assert_max_num_queries(4):  # species and breeds (then kept in the process), the count, the page
        client.get(LIST, {"sex": "female"})
    with django_assert_max_num_queries(3):
        response = client.get(LIST, params)
    assert len(response.context["page_obj"]) == 24
    with django_assert_max_num_queries(1):  # the count is kept too
        client.get(LIST, params)


def test_list_query_budget_for_a_logged_in_customer(client, django_assert_max_num_queries, django_user_model):
    AnimalFactory.create_batch(30)
    client.get(LIST)  # species and breeds are kept from now on
    client.force_login(django_user_model.objects.create_user(email="c@example.com", password="x"))
    with django_assert_max_num_queries(4):  # the session, the user, the count, the page
        client.get(LIST, {"page": "2", "sex": "male"})


def test_detail_query_budget_with_many_photos(client, django_assert_max_num_queries):
    animal = AnimalFactory()
    AnimalPhotoFactory(animal=animal)
    AnimalPhotoFactory.create_batch(12, animal=animal, is_main=False)
    AnimalFactory.create_batch(6, breed=animal.breed)
    # The animal with its species and breed, its photos, the other cards.
    with django_assert_max_num_queries(3):
        response = client.get(animal.get_absolute_url())
    assert response.text.count("<img") >= 13


def test_home_query_budget(client, django_assert_max_num_queries):
    for animal in AnimalFactory.create_batch(12):
        AnimalPhotoFactory(animal=animal)
    with django_assert_max_num_queries(2):  # the species with their counts (then kept), the newest cards
        client.get(reverse("animals:home"))
    with django_assert_max_num_queries(1):
        client.get(reverse("animals:home"))


def test_the_filter_form_shows_the_chosen_values(client, dogs):
    BreedFactory(species=dogs, name="Beagle", slug="beagle")
    text = client.get(
        LIST, {"sex": "male", "breed": "beagle", "available": "on", "q": "<i>rex</i>", "sort": "oldest"}
    ).text
    assert '<option value="male" selected>' in text
    assert '<optgroup label="Dog"><option value="beagle" selected>Beagle</option>' in text
    assert '<option value="oldest" selected>' in text
    assert 'id="id_available" checked' in text
    assert 'value="&lt;i&gt;rex&lt;/i&gt;"' in text
    assert '<label class="form-label" for="id_price_min">' in text


def test_one_request_s_filter_leaves_nothing_behind_for_the_next(client, dogs):
    # The filter forms share their fields (FilterChoices, kept per catalogue version): errors, chosen values
    # and the species page's narrower breed choices stay with their own request.
    BreedFactory(species=dogs, name="Beagle", slug="beagle")
    BreedFactory(name="Siamese", slug="siamese")
    first = client.get(LIST, {"price_min": "-5", "sort": "oldest", "breed": "beagle"}).text
    assert "This filter was ignored." in first
    assert '<option value="oldest" selected>' in first
    second = client.get(LIST).text
    assert "This filter was ignored." not in second
    assert " selected>" not in second
    assert '<option value="siamese">' in second
    species_page = client.get(reverse("animals:species", args=["dogs"])).text
    assert '<option value="beagle">' in species_page
    assert '<option value="siamese">' not in species_page
    assert '<option value="siamese">' in client.get(LIST).text


def test_the_animal_page_gives_the_birth_date_in_english(client, settings):
    # USE_I18N is off (an English-only shop): dates still come out in English words.
    assert settings.USE_I18N is False
    animal = AnimalFactory(date_of_birth=date(2025, 3, 5))
    assert "(born 5 March 2025)" in client.get(animal.get_absolute_url()).text


@pytest.mark.parametrize(("older", "expected"), [(6, 4), (4, 4), (3, 3), (0, 0)])
def test_the_others_on_an_animal_page_never_include_the_animal_itself(client, dogs, older, expected):
    others = AnimalFactory.create_batch(older, species=dogs, breed=None)
    rex = AnimalFactory(name="Rex", species=dogs, breed=None)  # the newest: first of its species' list
    text = client.get(rex.get_absolute_url()).text
    assert text.count('class="card h-100 animal-card') == expected
    assert f'href="{rex.get_absolute_url()}"' not in text
    for other in others[::-1][:expected]:  # the newest first
        assert f'href="{other.get_absolute_url()}"' in text


def test_page_links_elide_the_middle_and_mark_the_current_page(client, monkeypatch):
    monkeypatch.setattr("animals.selectors.PAGE_SIZE", 2)
    AnimalFactory.create_batch(24, sex=Animal.Sex.MALE)  # 12 pages
    text = client.get(LIST, {"sex": "male", "page": "6"}).text
    pagination = text[text.index('<ul class="pagination') : text.index("</ul>", text.index('<ul class="pagination'))]
    links = re.findall(r'href="\?sex=male&amp;page=(\d+)"(?: rel="(\w+)")?>([^<]+)</a>', pagination)
    assert links == [
        ("5", "prev", "Previous"),
        ("1", "", "1"),
        ("4", "", "4"),
        ("5", "", "5"),
        ("7", "", "7"),
        ("8", "", "8"),
        ("12", "", "12"),
        ("7", "next", "Next"),
    ]
    assert '<li class="page-item active" aria-current="page"><span class="page-link">6</span></li>' in pagination
    assert pagination.count('<li class="page-item disabled"><span class="page-link">…</span></li>') == 2


def test_the_animal_page_links_back_to_the_list_and_its_species(client, dogs):
    animal = AnimalFactory(species=dogs, breed=None)
    text = client.get(animal.get_absolute_url()).text
    assert f'<li class="breadcrumb-item"><a href="{LIST}">Animals</a></li>' in text
    assert f'<a href="{reverse("animals:species", args=["dogs"])}">Dogs</a>' in text


def test_the_home_page_links_to_each_species_and_the_lists(client, dogs):
    AnimalFactory(species=dogs, breed=None)
    text = client.get(reverse("animals:home")).text
    assert f'href="{reverse("animals:species", args=["dogs"])}"' in text
    assert f'href="{LIST}?available=on"' in text
    assert f'href="{LIST}">See all animals</a>' in text
