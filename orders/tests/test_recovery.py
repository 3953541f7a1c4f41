"""After a failed, cancelled or expired payment: Try again, Cancel order, and what the order page says."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from orders.models import Order
from orders.services import (
    OrderError,
    TransitionNotAllowed,
    order_cancel_by_customer,
    order_expire,
    order_mark_paid,
    order_place,
    order_retry,
)
from orders.tests.conftest import buyer_details
from payments.models import Payment
from payments.services import payment_release

pytestmark = pytest.mark.django_db


def place(*animals_and_quantities, **overrides):
    quantities = {animal.pk: quantity for animal, quantity in animals_and_quantities}
    return order_place(quantities=quantities, **buyer_details(**overrides))


def stock(animal):
    return Animal.objects.get(pk=animal.pk).stock


# Cancel order


def test_customer_cancel_returns_stock_at_once_and_confirms_by_e_mail(mailoutbox, django_capture_on_commit_callbacks):
    animal = AnimalFactory(name="Bella", stock=2)
    order = place((animal, 2))
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        order_cancel_by_customer(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and order.cancelled_at is not None
    assert stock(animal) == 2
    assert len(mailoutbox) == 1
    assert f"order {order.reference} cancelled" in mailoutbox[0].subject
    assert "Bella" in mailoutbox[0].body and "Nothing was charged" in mailoutbox[0].body


def test_a_paid_order_cannot_be_cancelled_by_the_customer(mailoutbox):
    animal = AnimalFactory(stock=1)
    order = place((animal, 1))
    order_mark_paid(order_id=order.pk)
    with pytest.raises(TransitionNotAllowed, match="only an unpaid order"):
        order_cancel_by_customer(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and stock(animal) == 0


def test_a_guest_with_the_order_link_cancels_and_the_page_shows_cancelled(client):
    animal = AnimalFactory(stock=1)
    order = place((animal, 1))
    url = reverse("orders:cancel", args=[order.reference])
    assert client.post(url).status_code == 404  # no token: not theirs
    assert client.get(url, {"token": order.access_token}).status_code == 405  # only a POST cancels
    response = client.post(url, {"token": order.access_token}, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and stock(animal) == 1
    content = response.content.decode()
    assert 'class="badge text-bg-secondary">Cancelled<' in content
    assert "is cancelled; nothing was charged" in content
    assert "Try again" in content and "Pay now" not in content


def test_cancelling_twice_says_why_and_changes_nothing(client):
    animal = AnimalFactory(stock=1)
    order = place((animal, 1))
    url = reverse("orders:cancel", args=[order.reference])
    client.post(url, {"token": order.access_token})
    response = client.post(url, {"token": order.access_token}, follow=True)
    assert response.status_code == 200
    assert "only an unpaid order can be cancelled" in response.content.decode()
    assert stock(animal) == 1


# Try again


def test_retry_while_the_reservation_lasts_is_the_same_order():
    animal = AnimalFactory(stock=1)
    order = place((animal, 1))
    retry = order_retry(order_id=order.pk)
    assert retry.order == order and retry.gone == [] and Order.objects.count() == 1


def test_retry_after_expiry_places_a_new_order_with_the_same_lines_and_details():
    dog, litter = AnimalFactory(stock=1, price=Decimal("450.00")), AnimalFactory(stock=5, price=Decimal("300.00"))
    order = place((dog, 1), (litter, 3), full_name="Gina Guest", region="NY")
    order_expire(order_id=order.pk)
    assert (stock(dog), stock(litter)) == (1, 5)

    retry = order_retry(order_id=order.pk)

    new = retry.order
    assert new is not None and new.pk != order.pk and new.is_pending
    assert {item.animal_id: item.quantity for item in new.items.all()} == {dog.pk: 1, litter.pk: 3}
    assert (new.full_name, new.email, new.region, new.total) == ("Gina Guest", order.email, "NY", Decimal("1350.00"))
    assert new.collection_date == order.collection_date
    assert (stock(dog), stock(litter)) == (0, 2)


def test_retry_names_the_animals_that_are_gone_and_returns_the_rest_for_the_cart():
    sold, kept, short = AnimalFactory(name="Max", stock=1), AnimalFactory(stock=1), AnimalFactory(name="Pups", stock=3)
    order = place((sold, 1), (kept, 1), (short, 3))
    order_cancel_by_customer(order_id=order.pk)
    place((sold, 1))  # someone else buys Max
    place((short, 2))  # and two of the puppies

    retry = order_retry(order_id=order.pk)

    assert retry.order is None
    assert retry.gone == ["Max", "Pups"]
    assert retry.to_cart == {kept.pk: 1, short.pk: 1}
    assert Order.objects.count() == 3 and stock(kept) == 1  # nothing reserved


def test_retry_of_a_pending_order_past_its_reservation_expires_it_first():
    animal = AnimalFactory(stock=1)
    order = place((animal, 1))
    Order.objects.filter(pk=order.pk).update(reserved_until=timezone.now() - timedelta(minutes=1))
    retry = order_retry(order_id=order.pk)
    order.refresh_from_db()
    assert order.status == Order.Status.EXPIRED
    assert retry.order.pk != order.pk and stock(animal) == 0


def test_a_paid_order_has_nothing_to_retry():
    order = place((AnimalFactory(stock=1), 1))
    order_mark_paid(order_id=order.pk)
    with pytest.raises(OrderError, match="nothing to retry"):
        order_retry(order_id=order.pk)


def test_try_again_after_a_failed_payment_goes_straight_to_payment(client):
    animal = AnimalFactory(name="Bella", stock=1)
    order = place((animal, 1))
    start = client.post(reverse("payments:start", args=[order.reference]), {"token": order.access_token})
    payment = Payment.objects.get(order=order)
    payment_release(checkout_session_id=payment.checkout_session_id, status=Payment.Status.FAILED)

    page = client.get(reverse("payments:success"), {"session_id": payment.checkout_session_id})
    content = page.content.decode()
    assert start.status_code == 303
    assert "Your payment did not go through" in content and "nothing was charged" in content
    assert reverse("orders:retry", args=[order.reference]) in content

    response = client.post(reverse("orders:retry", args=[order.reference]))
    new = Order.objects.exclude(pk=order.pk).get()
    assert response.status_code == 303
    assert response["Location"] == new.payments.get().checkout_url
    assert stock(animal) == 0
    assert client.get(new.get_absolute_url()).status_code == 200  # the session remembers the new order too


def test_try_again_with_a_gone_animal_names_it_and_fills_the_cart_with_the_rest(client):
    gone, kept = AnimalFactory(name="Max", stock=1), AnimalFactory(name="Daisy", stock=1)
    order = place((gone, 1), (kept, 1))
    client.post(reverse("orders:cancel", args=[order.reference]), {"token": order.access_token})
    place((gone, 1))

    response = client.post(reverse("orders:retry", args=[order.reference]), follow=True)

    assert response.redirect_chain[-1][0] == reverse("cart:detail")
    content = response.content.decode()
    assert "No longer available: Max." in content and "back in your cart" in content
    assert client.session["cart"] == {str(kept.pk): 1}


def test_try_again_for_someone_else_s_order_is_404(client):
    order = place((AnimalFactory(stock=1), 1))
    order_expire(order_id=order.pk)
    assert client.post(reverse("orders:retry", args=[order.reference])).status_code == 404
    assert Order.objects.count() == 1


def test_the_history_says_the_customer_cancelled_with_their_account(client):
    from accounts.tests.factories import UserFactory

    user = UserFactory()
    order = place((AnimalFactory(stock=1), 1), user=user)
    client.force_login(user)
    client.post(reverse("orders:cancel", args=[order.reference]))
    event = order.events.get(status=Order.Status.CANCELLED)
    assert (event.by, event.by_customer) == (user, True)
    assert event.actor == f"the customer ({user.email})"


def test_the_history_says_a_guest_customer_cancelled_not_the_shop(client, admin_client):
    order = place((AnimalFactory(stock=1), 1))
    client.post(reverse("orders:cancel", args=[order.reference]), {"token": order.access_token})
    event = order.events.get(status=Order.Status.CANCELLED)
    assert (event.by, event.by_customer) == (None, True)
    page = admin_client.get(reverse("admin:orders_order_change", args=[order.pk])).text
    assert "the customer (guest)" in page


def test_a_staff_cancel_is_not_recorded_as_the_customer(admin_user):
    from orders.services import order_cancel

    order = place((AnimalFactory(stock=1), 1))
    order_cancel(order_id=order.pk, by=admin_user)
    event = order.events.get(status=Order.Status.CANCELLED)
    assert (event.by, event.by_customer, event.actor) == (admin_user, False, admin_user.email)
