import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AddressFactory, UserFactory
from animals.models import Animal
from animals.tests.factories import AnimalFactory
from orders.models import Order, collection_dates
from orders.services import CHECKOUT_TOKENS_KEY, order_place
from orders.tests.conftest import buyer_details

pytestmark = pytest.mark.django_db
CHECKOUT = reverse("orders:checkout")


def fill_cart(client, quantities):
    session = client.session
    session["cart"] = {str(pk): quantity for pk, quantity in quantities.items()}
    session.save()


def checkout_token(client):
    """Open the checkout page as a browser does and return the one-time token of its form."""
    response = client.get(CHECKOUT)
    return response.context["form"].initial["checkout_token"]


def form_data(token, **overrides):
    details = buyer_details()
    data = {name: value for name, value in details.items() if name != "collection_date"}
    data.update(
        collection_date=details["collection_date"].isoformat(),
        adult_confirmed="on",
        note="",
        checkout_token=token,
    )
    data.update(overrides)
    return data


def messages_of(response):
    return [str(message) for message in response.context["messages"]] if response.context else []


def test_checkout_page_shows_fresh_lines_and_valid_collection_days(client, django_assert_max_num_queries):
    animal = AnimalFactory(name="Nala", price=Decimal("120.00"), stock=3)
    fill_cart(client, {animal.pk: 2})
    Animal.objects.filter(pk=animal.pk).update(price=Decimal("125.00"))
    with django_assert_max_num_queries(8):
        response = client.get(CHECKOUT)
    assert response.status_code == 200
    assert "orders/checkout.html" in [t.name for t in response.templates]
    assert response.context["total"] == Decimal("250.00")
    content = response.content.decode()
    assert "Nala" in content and "250.00" in content
    offered = [value for value, _ in response.context["form"].fields["collection_date"].choices if value]
    assert offered == [day.isoformat() for day in collection_dates(today=timezone.localdate())]
    assert animal.species.care_guide in content


def test_logged_in_customer_gets_details_and_default_address_prefilled(client):
    user = UserFactory(full_name="Sam Owner", phone="555-0199")
    AddressFactory(user=user, line1="7 Cat Road", city="Shelbyville", postcode="54321")
    client.force_login(user)
    fill_cart(client, {AnimalFactory().pk: 1})
    initial = client.get(CHECKOUT).context["form"].initial
    assert initial["email"] == user.email
    assert initial["phone"] == "555-0199"
    assert (initial["address_line1"], initial["city"], initial["postcode"]) == ("7 Cat Road", "Shelbyville", "54321")


def test_guest_checkout_places_the_order_goes_on_to_payment_and_shows_the_private_link(client, mailoutbox):
    animal = AnimalFactory(name="Bella", price=Decimal("300.00"), stock=1)
    fill_cart(client, {animal.pk: 1})
    token = checkout_token(client)

    response = client.post(CHECKOUT, form_data(token, note="Evening please"))

    order = Order.objects.get()
    assert response.status_code == 303
    assert response["Location"] == order.payments.get().checkout_url  # the demo provider's payment page
    assert order.user is None and order.note == "Evening please" and order.total == Decimal("300.00")
    assert client.session.get("cart") is None
    page = client.get(order.get_absolute_url())
    assert page.status_code == 200
    assert f"?token={order.access_token}" in page.content.decode()
    assert reverse("payments:start", args=[order.reference]) in page.content.decode()
    # The link is shown once, right after checkout; the session still opens the order.
    assert order.access_token not in client.get(order.get_absolute_url()).context["guest_link"]


def test_logged_in_checkout_belongs_to_the_customer(client):
    user = UserFactory()
    client.force_login(user)
    fill_cart(client, {AnimalFactory().pk: 1})
    client.post(CHECKOUT, form_data(checkout_token(client), email=user.email))
    assert Order.objects.get().user == user


def test_posted_prices_and_quantities_are_ignored(client):
    animal = AnimalFactory(price=Decimal("200.00"), stock=5)
    fill_cart(client, {animal.pk: 1})
    token = checkout_token(client)
    client.post(CHECKOUT, form_data(token, price="0.01", unit_price="0.01", quantity="5", total="0.01"))
    order = Order.objects.get()
    assert order.total == Decimal("200.00")
    assert order.items.get().quantity == 1


def test_empty_cart_redirects_to_the_cart_with_a_message(client):
    response = client.get(CHECKOUT, follow=True)
    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert any("empty" in message for message in messages_of(response))
    response = client.post(CHECKOUT, form_data("whatever"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    assert Order.objects.count() == 0


def _closed_day():
    today = timezone.localdate()
    return next(today + timedelta(days=n) for n in range(1, 8) if (today + timedelta(days=n)).weekday() == 0)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"collection_date": (timezone.localdate() - timedelta(days=1)).isoformat()}, "collection_date"),
        ({"collection_date": timezone.localdate().isoformat()}, "collection_date"),
        ({"collection_date": _closed_day().isoformat()}, "collection_date"),
        ({"collection_date": (timezone.localdate() + timedelta(days=40)).isoformat()}, "collection_date"),
        ({"collection_date": "not-a-date"}, "collection_date"),
        ({"adult_confirmed": ""}, "adult_confirmed"),
        ({"email": "not-an-email"}, "email"),
        ({"full_name": ""}, "full_name"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(client, settings, overrides, field):
    settings.SHOP_OPENING_WEEKDAYS = [1, 2, 3, 4, 5]
    animal = AnimalFactory(stock=1)
    fill_cart(client, {animal.pk: 1})
    response = client.post(CHECKOUT, form_data(checkout_token(client), **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Order.objects.count() == 0
    animal.refresh_from_db()
    assert animal.stock == 1


def test_missing_or_forged_checkout_token_saves_nothing(client):
    animal = AnimalFactory(stock=1)
    fill_cart(client, {animal.pk: 1})
    checkout_token(client)
    for token in ["", "forged-token"]:
        response = client.post(CHECKOUT, form_data(token))
        assert response.status_code == 200
        assert "expired" in str(response.context["form"].non_field_errors())
    assert Order.objects.count() == 0


def test_double_submission_makes_one_order(client):
    animal = AnimalFactory(stock=5)
    fill_cart(client, {animal.pk: 1})
    token = checkout_token(client)
    first = client.post(CHECKOUT, form_data(token))
    fill_cart(client, {animal.pk: 1})  # even with something in the cart again
    second = client.post(CHECKOUT, form_data(token), follow=True)
    order = Order.objects.get()
    assert first["Location"] == order.payments.get().checkout_url
    assert second.redirect_chain[0][0] == order.get_absolute_url()
    assert any("already placed" in message for message in messages_of(second))
    animal.refresh_from_db()
    assert animal.stock == 4


def test_an_animal_gone_meanwhile_is_named_and_the_cart_corrected(client):
    gone = AnimalFactory(name="Milo", stock=1)
    kittens = AnimalFactory(name="Kittens", stock=3)
    fill_cart(client, {gone.pk: 1, kittens.pk: 2})
    token = checkout_token(client)
    order_place(quantities={gone.pk: 1}, **buyer_details(email="faster@example.com"))

    response = client.post(CHECKOUT, form_data(token))

    assert response.status_code == 200
    assert any("Milo" in message for message in messages_of(response))
    assert client.session["cart"] == {str(kittens.pk): 2}
    assert Order.objects.count() == 1
    kittens.refresh_from_db()
    assert kittens.stock == 3


def test_a_line_gone_at_the_moment_of_placing_corrects_the_cart(client, monkeypatch):
    """The animal goes between the page's stock check and order_place's lock: the service names it."""
    puppy = AnimalFactory(name="Luna", stock=1)
    kittens = AnimalFactory(stock=3)
    fill_cart(client, {puppy.pk: 1, kittens.pk: 1})
    token = checkout_token(client)
    from orders import services

    real_place = services.order_place

    def place_after_someone_else(**kwargs):
        Animal.objects.filter(pk=puppy.pk).update(stock=0)
        return real_place(**kwargs)

    monkeypatch.setattr(services, "order_place", place_after_someone_else)
    response = client.post(CHECKOUT, form_data(token))
    assert response.status_code == 200
    assert "Luna" in str(response.context["form"].non_field_errors())
    assert client.session["cart"] == {str(kittens.pk): 1}
    assert Order.objects.count() == 0


def _cart_of(client, line_count):
    animals = [AnimalFactory(stock=2) for _ in range(line_count)]
    fill_cart(client, {animal.pk: 1 for animal in animals})
    return checkout_token(client)


def test_checkout_queries_grow_by_at_most_two_per_line(client, django_assert_max_num_queries):
    token = _cart_of(client, 1)
    with CaptureQueriesContext(connection) as one_line:
        assert client.post(CHECKOUT, form_data(token)).status_code == 303
    one_line_count = len(one_line)  # read now: the next request resets the query log
    token = _cart_of(client, 6)
    with django_assert_max_num_queries(one_line_count + 2 * 5):
        response = client.post(CHECKOUT, form_data(token))
    assert response.status_code == 303
    assert Order.objects.latest("pk").items.count() == 6


def _order_with_lines(count):
    animals = [AnimalFactory(stock=1) for _ in range(count)]
    return order_place(quantities={animal.pk: 1 for animal in animals}, **buyer_details())


def test_order_page_queries_do_not_grow_with_lines(client, django_assert_max_num_queries):
    small, large = _order_with_lines(1), _order_with_lines(8)
    with django_assert_max_num_queries(5):
        response = client.get(small.get_absolute_url(), {"token": small.access_token})
    assert response.status_code == 200
    with django_assert_max_num_queries(5):
        response = client.get(large.get_absolute_url(), {"token": large.access_token})
    assert response.status_code == 200
    assert len(response.context["items"]) == 8


def test_owner_sees_the_order_with_status_total_and_collection_date(client):
    user = UserFactory()
    order = order_place(quantities={AnimalFactory(name="Oscar").pk: 1}, user=user, **buyer_details())
    client.force_login(user)
    response = client.get(order.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "orders/order_detail.html" in [t.name for t in response.templates]
    assert order.reference in content and "Oscar" in content and str(order.total) in content
    assert "Pending payment" in content and "reserved for you until" in content
    assert f'name="token" value="{order.access_token}"' in content
    assert re.search(r"<title>Order PS-\w{6} ", content)


def test_paid_order_has_no_pay_button(client):
    user = UserFactory()
    order = order_place(quantities={AnimalFactory().pk: 1}, user=user, **buyer_details())
    Order.objects.filter(pk=order.pk).update(status=Order.Status.PAID)
    client.force_login(user)
    content = client.get(order.get_absolute_url()).content.decode()
    assert "Pay now" not in content and "Reserved until" not in content


def test_others_wrong_or_missing_token_get_404(client):
    owner = UserFactory()
    order = order_place(quantities={AnimalFactory().pk: 1}, user=owner, **buyer_details())
    url = order.get_absolute_url()
    assert client.get(url).status_code == 404
    assert client.get(url, {"token": "wrong"}).status_code == 404
    assert client.get(url, {"token": ""}).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert client.get(reverse("orders:detail", args=["PS-NOPE00"])).status_code == 404
    assert client.get(url, {"token": order.access_token}).status_code == 200


def test_checkout_tokens_kept_in_the_session_are_capped(client):
    fill_cart(client, {AnimalFactory().pk: 1})
    for _ in range(12):
        client.get(CHECKOUT)
    assert len(client.session[CHECKOUT_TOKENS_KEY]) == 5
