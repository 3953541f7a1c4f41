"""The shop's one money format (petshop.money.format_money and the builtin `|money` filter), and every page,
e-mail and admin list that shows a price using it."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from animals.tests.factories import AnimalFactory
from notifications.services import notification_render
from orders.services import order_place
from orders.tests.conftest import buyer_details
from petshop.money import format_money

PRICE = Decimal("1729.00")


def test_the_default_locale_and_currency_write_dollars(settings):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "en_US", "usd"
    assert format_money(PRICE) == "$1,729.00"
    assert format_money(Decimal("1234567.5")) == "$1,234,567.50"


def test_german_locale_and_euros(settings):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "de_DE", "eur"
    assert format_money(PRICE) == "1.729,00\xa0€"  # a no-break space keeps the sign with the amount


def test_prices_written_before_are_kept_per_locale_and_currency(settings):
    """format_money keeps what it wrote: the same amount in another locale or currency is written anew."""
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "en_US", "usd"
    assert [format_money(amount) for amount in ("5", Decimal("5.00"), 5)] == ["$5.00"] * 3
    settings.SHOP_LOCALE = "de_DE"
    assert format_money("5") == "5,00\xa0$"
    settings.SHOP_CURRENCY = "eur"
    assert format_money("5") == "5,00\xa0€"


def test_an_explicit_currency_wins_over_the_shop_s(settings):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "en_US", "usd"
    assert format_money(PRICE, "eur") == "€1,729.00"
    assert format_money(PRICE, "gbp") == "£1,729.00"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("0"), "$0.00"),
        (Decimal("0.00"), "$0.00"),
        (Decimal("-12.5"), "-$12.50"),
        (Decimal("4.99"), "$4.99"),
        (Decimal("0.005"), "$0.00"),  # half-even to the currency's two digits, as Babel rounds
        (350, "$350.00"),
        ("19.90", "$19.90"),
    ],
)
def test_amounts_of_every_kind(settings, amount, expected):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "en_US", "usd"
    assert format_money(amount) == expected


def test_nothing_is_written_for_no_amount():
    assert format_money(None) == ""


def test_the_filter_is_in_every_template_without_a_load(settings):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "de_DE", "eur"
    html = Template("{{ price|money }} / {{ price|money:'usd' }} / {{ nothing|money }}").render(
        Context({"price": PRICE, "nothing": None})
    )
    assert html == "1.729,00\xa0€ / 1.729,00\xa0$ / "


# Every place a customer or staff reads a price.


@pytest.fixture
def priced(db):
    return AnimalFactory(name="Bella", price=PRICE, stock=2)


def fill_cart(client, animal, quantity=1):
    session = client.session
    session["cart"] = {str(animal.pk): quantity}
    session.save()


@pytest.mark.django_db
def test_cards_on_the_list_and_the_home_page(client, priced):
    for url in (reverse("animals:list"), reverse("animals:home")):
        assert "$1,729.00" in client.get(url).text, url


@pytest.mark.django_db
def test_the_animal_page_and_its_description(client, priced):
    text = client.get(priced.get_absolute_url()).text
    assert '<p class="fs-4 fw-semibold mb-2">$1,729.00' in text
    assert "old, $1,729.00 at" in text  # the meta description
    assert "USD" not in text


@pytest.mark.django_db
def test_the_cart_s_lines_and_subtotal(client, priced):
    fill_cart(client, priced, 2)
    text = client.get(reverse("cart:detail")).text
    assert "$1,729.00" in text and "$3,458.00" in text


@pytest.mark.django_db
def test_the_checkout_s_lines_and_total(client, priced):
    fill_cart(client, priced, 2)
    text = client.get(reverse("orders:checkout")).text
    assert "$1,729.00" in text and "$3,458.00" in text


@pytest.mark.django_db
def test_the_order_page(client, priced):
    order = order_place(quantities={priced.pk: 2}, **buyer_details())
    text = client.get(f"{order.get_absolute_url()}?token={order.access_token}").text
    assert "$1,729.00" in text and "$3,458.00" in text


@pytest.mark.django_db
def test_the_order_e_mail(priced):
    order = order_place(quantities={priced.pk: 1}, **buyer_details())
    _subject, body, html = notification_render(kind="order-received", context={"order_id": order.pk})
    assert "Total: $1,729.00" in body and "$1,729.00" in html


@pytest.mark.django_db
def test_the_order_page_in_euros(client, priced, settings):
    settings.SHOP_LOCALE, settings.SHOP_CURRENCY = "de_DE", "eur"
    order = order_place(quantities={priced.pk: 1}, **buyer_details())
    text = client.get(f"{order.get_absolute_url()}?token={order.access_token}").text
    assert "1.729,00\xa0€" in text


@pytest.mark.django_db
def test_the_admin_order_list(client, priced):
    order_place(quantities={priced.pk: 1}, **buyer_details())
    client.force_login(StaffFactory())
    assert "$1,729.00" in client.get(reverse("admin:orders_order_changelist")).text
