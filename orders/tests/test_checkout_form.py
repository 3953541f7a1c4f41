"""The checkout form: phones in E.164, countries as codes with a region where needed, and the cart's version."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import AddressFactory, UserFactory
from animals.tests.factories import AnimalFactory
from orders.forms import cart_version, parse_cart_version
from orders.models import Order
from orders.tests.test_views import CHECKOUT, checkout_token, fill_cart, form_data

pytestmark = pytest.mark.django_db


def open_checkout(client, quantities):
    fill_cart(client, quantities)
    response = client.get(CHECKOUT)
    form = response.context["form"]
    return form.initial["checkout_token"], form.initial["cart_version"], response.content.decode()


def test_the_phone_is_stored_in_e164_and_shown_formatted(client):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    client.post(CHECKOUT, form_data(token, phone="(212) 555-0199", cart_version=version))
    order = Order.objects.get()
    assert order.phone == "+12125550199"
    assert "(212) 555-0199" in client.get(order.get_absolute_url()).content.decode()


def test_a_foreign_number_is_kept_international(client):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    client.post(CHECKOUT, form_data(token, phone="+49 30 901820", cart_version=version))
    order = Order.objects.get()
    assert order.phone == "+4930901820"
    assert "+49 30 901820" in client.get(order.get_absolute_url()).content.decode()


@pytest.mark.parametrize("phone", ["abc", "555-0101", "12"])
def test_a_phone_that_is_not_a_number_is_refused_and_nothing_is_ordered(client, phone):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    response = client.post(CHECKOUT, form_data(token, phone=phone, cart_version=version))
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    assert Order.objects.count() == 0


def test_local_numbers_are_read_in_the_shop_s_country(client, settings):
    settings.SHOP_COUNTRY = "DE"
    animal = AnimalFactory(stock=1)
    token, version, content = open_checkout(client, {animal.pk: 1})
    assert '<option value="DE" selected>Germany</option>' in content
    client.post(
        CHECKOUT,
        form_data(token, phone="030 901820", country="DE", region="Berlin", postcode="10115", cart_version=version),
    )
    assert Order.objects.get().phone == "+4930901820"


def test_the_country_is_a_select_defaulting_to_the_shop_s_country_and_the_address_reason_is_given(client):
    _, _, content = open_checkout(client, {AnimalFactory().pk: 1})
    assert '<select name="country"' in content
    assert '<option value="US" selected>United States of America</option>' in content
    assert "keep the buyer&#x27;s name and address on the record of every animal we sell" in content


def test_a_country_with_states_needs_one_and_others_do_not(client):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    response = client.post(CHECKOUT, form_data(token, country="US", region="", cart_version=version))
    assert response.context["form"].errors["region"] == ["Please enter the state: addresses in this country need one."]
    assert Order.objects.count() == 0
    client.post(CHECKOUT, form_data(token, country="FR", region="ignored", postcode="75001", cart_version=version))
    order = Order.objects.get()
    assert (order.country.code, order.region) == ("FR", "")
    assert order.address_lines[-2:] == ["75001 Springfield", "France"]


def test_an_unknown_country_is_refused(client):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    response = client.post(CHECKOUT, form_data(token, country="United States", cart_version=version))
    assert "country" in response.context["form"].errors
    assert Order.objects.count() == 0


def test_a_saved_address_with_a_country_name_prefills_its_code(client):
    user = UserFactory()
    AddressFactory(user=user, country="Germany", is_default=True)
    client.force_login(user)
    fill_cart(client, {AnimalFactory().pk: 1})
    assert client.get(CHECKOUT).context["form"].initial["country"] == "DE"
    user.addresses.update(country="United States")
    assert client.get(CHECKOUT).context["form"].initial["country"] == "US"
    user.addresses.update(country="Atlantis")
    assert client.get(CHECKOUT).context["form"].initial["country"] == "US"  # unknown: the shop's country


# The cart's version


def test_the_cart_version_reads_back():
    assert cart_version({15: 3, 12: 1}) == "12x1.15x3"
    assert parse_cart_version("12x1.15x3") == {12: 1, 15: 3}
    assert parse_cart_version("12x1.junk") is None


def test_a_cart_changed_in_another_tab_shows_the_changes_instead_of_ordering(client):
    bella = AnimalFactory(name="Bella", stock=1, price=Decimal("450.00"))
    pups = AnimalFactory(name="Pups", stock=5, price=Decimal("300.00"))
    token, version, _ = open_checkout(client, {pups.pk: 1})
    fill_cart(client, {pups.pk: 3, bella.pk: 1})  # the other tab

    response = client.post(CHECKOUT, form_data(token, cart_version=version))

    assert response.status_code == 200 and Order.objects.count() == 0
    form = response.context["form"]
    assert form.changes == ["Bella: added (1).", "Pups: 3 instead of 1."]
    content = response.content.decode()
    assert "Your cart changed since this page was shown" in content and "Pups: 3 instead of 1." in content
    assert response.context["total"] == Decimal("1350.00")
    # The form now carries the cart as shown: confirming places exactly that.
    new_version = form.data["cart_version"]
    assert new_version == cart_version({pups.pk: 3, bella.pk: 1})
    response = client.post(CHECKOUT, form_data(token, cart_version=new_version))
    assert response.status_code == 303
    order = Order.objects.get()
    assert {item.animal_id: item.quantity for item in order.items.all()} == {pups.pk: 3, bella.pk: 1}


def test_a_removed_line_is_named_too(client):
    bella, max_ = AnimalFactory(name="Bella", stock=1), AnimalFactory(name="Max", stock=1)
    token, version, _ = open_checkout(client, {bella.pk: 1, max_.pk: 1})
    fill_cart(client, {bella.pk: 1})
    response = client.post(CHECKOUT, form_data(token, cart_version=version))
    assert response.context["form"].changes == ["Max: removed (was 1)."]


def test_an_unchanged_cart_places_the_order(client):
    animal = AnimalFactory(stock=1)
    token, version, _ = open_checkout(client, {animal.pk: 1})
    assert client.post(CHECKOUT, form_data(token, cart_version=version)).status_code == 303
    assert Order.objects.count() == 1


def test_checkout_page_sends_its_cart_version(client):
    animal = AnimalFactory(stock=3)
    fill_cart(client, {animal.pk: 2})
    token = checkout_token(client)
    assert token
    content = client.get(reverse("orders:checkout")).content.decode()
    assert f'name="cart_version" value="{animal.pk}x2"' in content
