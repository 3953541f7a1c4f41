"""The buttons on an order's admin page: each a confirmation page (GET) and a POST through a service."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import NoReverseMatch, reverse

from accounts.tests.factories import StaffFactory, UserFactory
from orders.models import Order
from orders.services import order_cancel, order_mark_paid, order_mark_ready
from orders.tests.test_admin import place
from payments.models import Payment, Refund
from payments.tests.factories import PaymentFactory

pytestmark = pytest.mark.django_db
CHECKLIST = {"id_checked": "on", "care_pack_given": "on", "microchip_transferred": "on"}


@pytest.fixture
def staff(client):
    user = StaffFactory()
    client.force_login(user)
    return user


def url(name, order):
    return reverse(f"admin:orders_order_{name}", args=[order.pk])


def paid_order(stock=1, quantity=1):
    order, animal = place(stock=stock, quantity=quantity)
    order_mark_paid(order_id=order.pk)
    PaymentFactory(order=order, provider=Payment.Provider.DEMO, status=Payment.Status.PAID, amount=order.total)
    return order, animal


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def buttons(client, order):
    return [label for label, _ in client.get(url("change", order)).context["order_actions"]]


def test_buttons_are_exactly_the_moves_the_status_allows(client, staff):
    pending, _ = place()
    assert buttons(client, pending) == ["Cancel order"]
    paid, _ = paid_order()
    assert buttons(client, paid) == ["Mark ready", "Cancel order", "Refund"]
    order_mark_ready(order_id=paid.pk)
    assert buttons(client, paid) == ["Hand over", "Cancel order", "Refund"]
    cancelled, _ = place()
    order_cancel(order_id=cancelled.pk)
    assert buttons(client, cancelled) == []


def test_mark_ready_asks_first_then_records_who_and_when(client, staff):
    order, _ = paid_order()
    page = client.get(url("mark_ready", order))
    assert page.status_code == 200 and b"customer is told so by e-mail" in page.content
    order.refresh_from_db()
    assert order.status == Order.Status.PAID  # a GET changes nothing

    response = client.post(url("mark_ready", order), follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.READY_FOR_COLLECTION
    assert f"Order {order.reference} is ready for collection." in messages_of(response)
    event = order.events.get(status=Order.Status.READY_FOR_COLLECTION)
    assert event.by == staff
    history = response.content.decode()
    assert "Order history" in history and "Ready for collection" in history and staff.get_username() in history


def test_a_second_click_is_refused_with_a_clear_message(client, staff):
    order, _ = paid_order()
    client.post(url("mark_ready", order), follow=True)
    response = client.post(url("mark_ready", order), follow=True)
    assert messages_of(response) == [f"Order {order.reference} is already ready for collection."]
    assert order.events.filter(status=Order.Status.READY_FOR_COLLECTION).count() == 1


def test_confirmation_page_says_when_the_status_no_longer_allows_it(client, staff):
    order, _ = place()
    response = client.get(url("mark_ready", order))
    assert b"cannot do this any more" in response.content
    assert b'value="Mark ready"' not in response.content


def test_hand_over_needs_every_item_of_the_checklist(client, staff):
    order, _ = paid_order()
    order_mark_ready(order_id=order.pk)
    response = client.post(url("hand_over", order), {"id_checked": "on", "care_pack_given": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"microchip_transferred": ["This field is required."]}
    order.refresh_from_db()
    assert order.status == Order.Status.READY_FOR_COLLECTION and order.handed_over_by is None


def test_hand_over_completes_the_order_and_records_who_and_when(client, staff):
    order, _ = paid_order()
    order_mark_ready(order_id=order.pk)
    assert b"Photo ID seen and the buyer is 18 or older" in client.get(url("hand_over", order)).content

    response = client.post(url("hand_over", order), CHECKLIST, follow=True)

    order.refresh_from_db()
    assert order.status == Order.Status.COMPLETED and order.completed_at and order.handed_over_by == staff
    assert f"Order {order.reference} is handed over and completed." in messages_of(response)
    event = order.events.get(status=Order.Status.COMPLETED)
    assert event.by == staff and "care pack given" in event.description


def test_hand_over_of_an_order_not_ready_is_refused(client, staff):
    order, _ = paid_order()
    response = client.post(url("hand_over", order), CHECKLIST, follow=True)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert messages_of(response) == [f"Order {order.reference} cannot go from paid to completed."]


def test_cancel_returns_the_stock_after_confirmation(client, staff):
    order, animal = place(stock=3, quantity=2)
    assert b"go back to stock" in client.get(url("cancel", order)).content
    client.post(url("cancel", order))
    order.refresh_from_db()
    animal.refresh_from_db()
    assert order.status == Order.Status.CANCELLED and animal.stock == 3
    assert order.events.get(status=Order.Status.CANCELLED).by == staff


def test_refund_restock_is_ticked_by_default_until_handed_over(client, staff):
    order, _ = paid_order()
    assert client.get(url("refund", order)).context["form"]["restock"].value() is True
    order_mark_ready(order_id=order.pk)
    assert client.get(url("refund", order)).context["form"]["restock"].value() is True
    done, _ = paid_order()
    order_mark_ready(order_id=done.pk)
    client.post(url("hand_over", done), CHECKLIST)
    assert client.get(url("refund", done)).context["form"]["restock"].value() is False


def test_refund_of_chosen_lines_asks_for_confirmation_then_refunds(client, staff):
    order, animal = paid_order(stock=4, quantity=3)
    line = order.items.get()

    summary = client.post(url("refund", order), {"scope": "lines", "items": [line.pk], "restock": "on"})

    assert summary.status_code == 200 and summary.context["confirming"]
    assert "Please confirm the refund" in summary.text and "$299.85" in summary.text
    assert not Refund.objects.exists()

    response = client.post(
        url("refund", order), {"scope": "lines", "items": [line.pk], "restock": "on", "confirm": "1"}, follow=True
    )

    order.refresh_from_db()
    animal.refresh_from_db()
    assert Refund.objects.get().amount == Decimal("299.85")
    assert order.status == Order.Status.REFUNDED and animal.stock == 4
    assert f"Refunded $299.85 for {order.reference}." in messages_of(response)
    event = order.events.get(status=Order.Status.REFUNDED)
    assert event.by == staff and "$299.85 refunded" in event.description and "back to stock" in event.description


def test_refund_without_restock_keeps_the_stock(client, staff):
    order, animal = paid_order(stock=2)
    client.post(url("refund", order), {"scope": "whole", "confirm": "1"})
    animal.refresh_from_db()
    assert Refund.objects.get().restocked is False and animal.stock == 1


def test_refund_with_no_line_ticked_shows_the_error_and_changes_nothing(client, staff):
    order, _ = paid_order()
    response = client.post(url("refund", order), {"scope": "lines", "confirm": "1"})
    assert response.status_code == 200
    assert "Tick at least one line" in response.text
    assert not Refund.objects.exists()


def test_refund_twice_is_refused_with_a_clear_message(client, staff):
    order, _ = paid_order()
    client.post(url("refund", order), {"scope": "whole", "confirm": "1"}, follow=True)
    response = client.post(url("refund", order), {"scope": "whole", "confirm": "1"}, follow=True)
    assert messages_of(response) == ["This order has no paid payment left to refund."]
    assert Refund.objects.count() == 1


def test_an_unpaid_order_has_nothing_to_refund(client, staff):
    order, _ = place()
    assert b"no paid payment left to refund" in client.get(url("refund", order)).content


@pytest.fixture
def viewer(client):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_order"))
    client.force_login(user)
    return user


def test_staff_who_may_only_look_see_no_buttons_and_cannot_post(client, viewer):
    order, _ = paid_order()
    page = client.get(url("change", order))
    assert page.status_code == 200 and page.context["order_actions"] == []
    assert "Mark ready" not in page.text and "Order history" in page.text
    for name, data in [("mark_ready", {}), ("cancel", {}), ("hand_over", CHECKLIST), ("refund", {"scope": "whole"})]:
        assert client.get(url(name, order)).status_code == 403
        assert client.post(url(name, order), {**data, "confirm": "1"}).status_code == 403
    order.refresh_from_db()
    assert order.status == Order.Status.PAID and not Refund.objects.exists()


def test_payments_admin_no_longer_refunds(client, staff):
    order, _ = paid_order()
    payment = order.payments.get()
    page = client.get(reverse("admin:payments_payment_change", args=[payment.pk]))
    assert "refund from the order" in page.text
    assert client.get(reverse("admin:payments_payment_changelist")).context["action_form"] is None
    with pytest.raises(NoReverseMatch):
        reverse("admin:payments_payment_refund", args=[payment.pk])


def test_order_page_shows_the_history_in_constant_queries(client, staff, django_assert_max_num_queries):
    order, _ = paid_order(stock=5, quantity=2)
    order_mark_ready(order_id=order.pk, by=staff)
    with django_assert_max_num_queries(16):
        response = client.get(url("change", order))
    events = list(response.context["events"])
    assert [event.status for event in events] == [Order.Status.PAID, Order.Status.READY_FOR_COLLECTION]
    assert events[0].by is None and events[1].by == staff
    assert "the shop" in response.text
