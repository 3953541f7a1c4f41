from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from animals.tests.factories import AnimalFactory, AnimalPhotoFactory
from cart.context_processors import cart as cart_context
from cart.tests.conftest import cart_of, put_in_cart

pytestmark = pytest.mark.django_db

DETAIL = reverse("cart:detail")
ADD = reverse("cart:add")
UPDATE = reverse("cart:update")
REMOVE = reverse("cart:remove")


def texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# The cart page


def test_empty_cart_page_is_friendly_and_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(DETAIL)
    assert response.status_code == 200
    assert "cart/cart_detail.html" in [t.name for t in response.templates]
    assert response.context["lines"] == []
    assert response.context["cart_count"] == 0
    assert b"Your cart is empty." in response.content
    assert f'href="{reverse("animals:list")}"'.encode() in response.content
    assert b"Proceed to checkout" not in response.content


def test_cart_page_shows_each_line_the_subtotal_and_checkout(client):
    litter = AnimalFactory(name="Guppies", stock=8, price=Decimal("4.50"))
    AnimalPhotoFactory(animal=litter, alt_text="Three guppies in a tank")
    puppy = AnimalFactory(name="Bella", stock=1, price=Decimal("350.00"))
    put_in_cart(client, {litter.pk: 3, puppy.pk: 1})

    response = client.get(DETAIL)

    content = response.content.decode()
    assert [(line.animal, line.quantity) for line in response.context["lines"]] == [(litter, 3), (puppy, 1)]
    assert response.context["subtotal"] == Decimal("363.50")
    assert "Guppies" in content and "Bella" in content
    assert "4.50" in content and "13.50" in content and "363.50" in content
    assert 'alt="Three guppies in a tank"' in content
    assert litter.photos.get().thumbnail.url in content
    assert 'aria-label="No photo of Bella"' in content  # the placeholder, with the initial
    assert f'<label class="form-label visually-hidden" for="cart-quantity-{litter.pk}">' in content
    assert f'id="cart-quantity-{litter.pk}" name="quantity" value="3"' in content
    assert f'id="cart-quantity-{puppy.pk}"' not in content  # an individual animal: just "1"
    assert content.count(f'action="{REMOVE}"') == 2
    assert f'href="{reverse("orders:checkout")}"' in content
    assert "Proceed to checkout" in content


def test_cart_page_shows_the_current_price(client):
    puppy = AnimalFactory(price=Decimal("300.00"))
    put_in_cart(client, {puppy.pk: 1})
    puppy.price = Decimal("275.25")
    puppy.save()
    response = client.get(DETAIL)
    assert response.context["subtotal"] == Decimal("275.25")
    assert b"275.25" in response.content
    assert b"300.00" not in response.content


def test_cart_page_drops_gone_lines_and_reduces_shrunk_ones_with_messages(client):
    sold = AnimalFactory(name="Sold Pup")
    hidden = AnimalFactory(name="Hidden Pup")
    deleted = AnimalFactory(name="Deleted Pup")
    litter = AnimalFactory(name="Kittens", stock=6)
    put_in_cart(client, {sold.pk: 1, hidden.pk: 1, deleted.pk: 1, litter.pk: 5})
    sold.stock = 0
    sold.save()
    hidden.is_published = False
    hidden.save()
    deleted.delete()
    litter.stock = 2
    litter.save()

    response = client.get(DETAIL)

    content = response.content.decode()
    assert "Sold Pup is no longer available and was removed from your cart." in content
    assert "Hidden Pup is no longer available and was removed from your cart." in content
    assert "An animal in your cart is no longer listed and was removed." in content
    assert "Only 2 of Kittens left: your cart was reduced to 2." in content
    assert [(line.animal, line.quantity) for line in response.context["lines"]] == [(litter, 2)]
    assert response.context["cart_count"] == 2
    assert cart_of(client) == {str(litter.pk): 2}
    assert b"no longer" not in client.get(DETAIL).content  # said once


@pytest.mark.parametrize("line_count", [1, 20])
def test_cart_page_costs_the_same_queries_for_1_and_20_lines(client, line_count, django_assert_max_num_queries):
    animals = AnimalFactory.create_batch(line_count, stock=3)
    for animal in animals:
        AnimalPhotoFactory(animal=animal)
    put_in_cart(client, {animal.pk: 2 for animal in animals})
    # session, animals, photos: the same three whatever the number of lines
    with django_assert_max_num_queries(3):
        response = client.get(DETAIL)
    assert len(response.context["lines"]) == line_count


def test_cart_page_query_count_does_not_grow_with_lines(client):
    def count(client):
        with CaptureQueriesContext(connection) as queries:
            client.get(DETAIL)
        return len(queries)

    one = Client()
    put_in_cart(one, {AnimalFactory(stock=2).pk: 1})
    many = Client()
    put_in_cart(many, {AnimalFactory(stock=2).pk: 1 for _ in range(20)})
    assert count(one) == count(many)


def test_header_badge_shows_the_count(client):
    litter = AnimalFactory(stock=9)
    put_in_cart(client, {litter.pk: 4})
    response = client.get(DETAIL)
    assert response.context["cart_count"] == 4
    assert b'aria-label="4 items in cart">4</span>' in response.content


def test_context_processor_reads_only_the_session(client, django_assert_num_queries):
    put_in_cart(client, {AnimalFactory(stock=9).pk: 4})
    request = RequestFactory().get("/")
    request.session = client.session
    with django_assert_num_queries(1):  # loading the session itself; nothing else
        assert cart_context(request) == {"cart_count": 4}


def test_tampered_session_cookie_gives_a_new_empty_cart(client):
    client.cookies[settings.SESSION_COOKIE_NAME] = "tampered-0123456789abcdefghijklmnop"
    response = client.get(DETAIL)
    assert response.status_code == 200
    assert response.context["lines"] == []
    puppy = AnimalFactory()
    response = client.post(ADD, {"animal_id": puppy.pk, "quantity": 1})
    assert response.status_code == 302
    assert cart_of(client) == {str(puppy.pk): 1}


@pytest.mark.parametrize("junk", ["junk", [1, 2], {"-1": 3, "x": 1, "5": "many", "6": -2}])
def test_junk_under_cart_in_the_session_shows_an_empty_cart(client, junk):
    store = client.session
    store["cart"] = junk
    store.save()
    response = client.get(DETAIL)
    assert response.status_code == 200
    assert response.context["lines"] == []
    assert response.context["cart_count"] == 0


# Adding, updating, removing


def test_add_redirects_to_the_cart_with_a_message(client):
    puppy = AnimalFactory(name="Rex")
    response = client.post(ADD, {"animal_id": puppy.pk, "quantity": 1})
    assert response.status_code == 302
    assert response.url == DETAIL
    assert cart_of(client) == {str(puppy.pk): 1}
    response = client.get(DETAIL)
    assert b"Rex was added to your cart." in response.content
    assert response.context["cart_count"] == 1


def test_add_over_stock_caps_and_says_so(client):
    litter = AnimalFactory(name="Guppies", stock=3)
    response = client.post(ADD, {"animal_id": litter.pk, "quantity": 5}, follow=True)
    assert "Only 3 of Guppies available: your cart now holds 3." in texts(response)
    assert cart_of(client) == {str(litter.pk): 3}


def test_add_goes_back_to_a_safe_next(client):
    puppy = AnimalFactory()
    response = client.post(ADD, {"animal_id": puppy.pk, "quantity": 1, "next": puppy.get_absolute_url()})
    assert response.url == puppy.get_absolute_url()


@pytest.mark.parametrize("next_url", ["https://evil.example.com/", "//evil.example.com/", "javascript:alert(1)"])
def test_add_ignores_an_unsafe_next(client, next_url):
    puppy = AnimalFactory()
    response = client.post(ADD, {"animal_id": puppy.pk, "quantity": 1, "next": next_url})
    assert response.url == DETAIL


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("0", "The quantity must be at least 1."),
        ("-2", "The quantity must be at least 1."),
        ("abc", "Enter the quantity as a whole number."),
        ("1.5", "Enter the quantity as a whole number."),
        ("1000000000000", "The quantity can be at most 999."),
        ("", "Enter a quantity."),
    ],
)
def test_add_with_a_bad_quantity_changes_nothing(client, quantity, message):
    litter = AnimalFactory(stock=5)
    other = AnimalFactory()
    put_in_cart(client, {other.pk: 1})
    response = client.post(ADD, {"animal_id": litter.pk, "quantity": quantity}, follow=True)
    assert response.status_code == 200
    assert message in texts(response)
    assert cart_of(client) == {str(other.pk): 1}


@pytest.mark.parametrize("animal_id", ["abc", "0", "-4", "1.5", "99999999999999999999999", ""])
def test_add_with_a_bad_animal_id_changes_nothing(client, animal_id):
    response = client.post(ADD, {"animal_id": animal_id, "quantity": "1"}, follow=True)
    assert response.status_code == 200
    assert texts(response)[0] in {"That animal could not be found.", "Choose an animal."}
    assert cart_of(client) == {}


@pytest.mark.parametrize("attrs", [{"stock": 0}, {"is_published": False}])
def test_add_of_an_unavailable_animal_changes_nothing(client, attrs):
    animal = AnimalFactory(**attrs)
    response = client.post(ADD, {"animal_id": animal.pk, "quantity": 1}, follow=True)
    assert "Sorry, that animal is not available." in texts(response)
    assert cart_of(client) == {}


def test_add_of_an_unknown_animal_changes_nothing(client):
    response = client.post(ADD, {"animal_id": 424242, "quantity": 1}, follow=True)
    assert "Sorry, that animal is not available." in texts(response)
    assert cart_of(client) == {}


def test_update_changes_the_quantity(client):
    litter = AnimalFactory(name="Guppies", stock=9)
    put_in_cart(client, {litter.pk: 2})
    response = client.post(UPDATE, {"animal_id": litter.pk, "quantity": 7})
    assert response.url == DETAIL
    assert cart_of(client) == {str(litter.pk): 7}


def test_update_over_stock_caps_and_says_so(client):
    litter = AnimalFactory(name="Guppies", stock=4)
    put_in_cart(client, {litter.pk: 2})
    response = client.post(UPDATE, {"animal_id": litter.pk, "quantity": 50}, follow=True)
    assert "Only 4 of Guppies available: the quantity was set to 4." in texts(response)
    assert cart_of(client) == {str(litter.pk): 4}


@pytest.mark.parametrize("quantity", ["0", "-1", "x", "2.5", "1000000000000"])
def test_update_with_a_bad_quantity_changes_nothing(client, quantity):
    litter = AnimalFactory(stock=9)
    put_in_cart(client, {litter.pk: 2})
    response = client.post(UPDATE, {"animal_id": litter.pk, "quantity": quantity}, follow=True)
    assert response.status_code == 200
    assert texts(response)
    assert cart_of(client) == {str(litter.pk): 2}


def test_remove_takes_the_line_out(client):
    puppy = AnimalFactory(name="Rex")
    other = AnimalFactory()
    put_in_cart(client, {puppy.pk: 1, other.pk: 1})
    response = client.post(REMOVE, {"animal_id": puppy.pk}, follow=True)
    assert "Rex was removed from your cart." in texts(response)
    assert cart_of(client) == {str(other.pk): 1}


def test_remove_of_something_not_in_the_cart_changes_nothing(client):
    other = AnimalFactory()
    put_in_cart(client, {other.pk: 1})
    response = client.post(REMOVE, {"animal_id": "12345"}, follow=True)
    assert "That animal is not in your cart." in texts(response)
    assert cart_of(client) == {str(other.pk): 1}


@pytest.mark.parametrize("url", [ADD, UPDATE, REMOVE])
def test_get_to_a_post_only_url_is_405(client, url):
    assert client.get(url, {"animal_id": 1, "quantity": 1}).status_code == 405


def test_post_to_the_cart_page_is_405(client):
    assert client.post(DETAIL).status_code == 405


@pytest.mark.parametrize("url", [ADD, UPDATE, REMOVE])
def test_post_without_csrf_token_is_403_and_changes_nothing(url):
    litter = AnimalFactory(stock=5)
    client = Client(enforce_csrf_checks=True)
    put_in_cart(client, {litter.pk: 2})
    response = client.post(url, {"animal_id": litter.pk, "quantity": 1})
    assert response.status_code == 403
    assert cart_of(client) == {str(litter.pk): 2}


def test_post_with_csrf_token_from_the_page_works():
    client = Client(enforce_csrf_checks=True)
    litter = AnimalFactory(stock=5)
    put_in_cart(client, {litter.pk: 2})
    client.get(DETAIL)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(UPDATE, {"animal_id": litter.pk, "quantity": 3, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert cart_of(client) == {str(litter.pk): 3}


# Logging in and out


def test_logging_in_keeps_the_cart(client):
    user = UserFactory()
    litter = AnimalFactory(stock=5)
    client.post(ADD, {"animal_id": litter.pk, "quantity": 2})
    response = client.post(reverse("accounts:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert cart_of(client) == {str(litter.pk): 2}
    assert client.get(DETAIL).context["cart_count"] == 2


def test_logging_out_empties_the_cart(client):
    user = UserFactory()
    client.force_login(user)
    litter = AnimalFactory(stock=5)
    client.post(ADD, {"animal_id": litter.pk, "quantity": 2})
    assert cart_of(client) == {str(litter.pk): 2}
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert cart_of(client) == {}
    assert client.get(DETAIL).context["cart_count"] == 0
