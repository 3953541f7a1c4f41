import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from animals.tests.factories import AnimalFactory
from orders.models import Order, OrderItem
from orders.services import order_complete, order_mark_paid, order_mark_ready, order_place
from orders.tests.conftest import buyer_details

pytestmark = pytest.mark.django_db
CHANGELIST = reverse("admin:orders_order_changelist")


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def place(stock=1, quantity=1, **overrides):
    animal = AnimalFactory(stock=stock, price=Decimal("99.95"))
    return order_place(quantities={animal.pk: quantity}, **buyer_details(**overrides)), animal


def run_action(client, action, orders):
    return client.post(CHANGELIST, {"action": action, "_selected_action": [order.pk for order in orders]}, follow=True)


def test_changelist_lists_searches_and_filters_in_constant_queries(staff_client, django_assert_max_num_queries):
    for n in range(6):
        place(email=f"person{n}@example.com")
    wanted, _ = place(email="findme@example.com")
    with django_assert_max_num_queries(12):
        response = staff_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 7
    assert [o.pk for o in staff_client.get(CHANGELIST, {"q": "findme"}).context["cl"].result_list] == [wanted.pk]
    assert [o.pk for o in staff_client.get(CHANGELIST, {"q": wanted.reference}).context["cl"].result_list] == [
        wanted.pk
    ]
    order_mark_paid(order_id=wanted.pk)
    paid = staff_client.get(CHANGELIST, {"status__exact": "paid"}).context["cl"].result_list
    assert [o.pk for o in paid] == [wanted.pk]


def test_change_page_shows_items_and_keeps_status_and_money_read_only(staff_client):
    order, _ = place()
    response = staff_client.get(reverse("admin:orders_order_change", args=[order.pk]))
    assert response.status_code == 200
    form_fields = response.context["adminform"].form.fields
    assert "status" not in form_fields and "total" not in form_fields
    assert order.items.get().animal_name in response.content.decode()
    response = staff_client.post(
        reverse("admin:orders_order_change", args=[order.pk]),
        {
            **buyer_details(),
            "collection_date": order.collection_date.isoformat(),
            "note": "Staff note",
            "status": "completed",
            "total": "0",
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "1",
            "items-0-id": str(order.items.get().pk),
            "items-0-order": str(order.pk),
        },
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.note == "Staff note"
    assert order.status == Order.Status.PENDING_PAYMENT and order.total == Decimal("99.95")


def test_no_adding_or_deleting_orders_in_the_admin(staff_client):
    order, _ = place()
    assert staff_client.get(reverse("admin:orders_order_add")).status_code == 403
    assert staff_client.post(reverse("admin:orders_order_delete", args=[order.pk])).status_code == 403
    assert Order.objects.count() == 1


def test_mark_ready_from_the_list_records_who(staff_client):
    order, _ = place()
    order_mark_paid(order_id=order.pk)
    response = run_action(staff_client, "mark_ready", [order])
    assert "1 order marked ready for collection." in [str(m) for m in response.context["messages"]]
    order.refresh_from_db()
    assert order.status == Order.Status.READY_FOR_COLLECTION and order.ready_at
    event = order.events.get(status=Order.Status.READY_FOR_COLLECTION)
    assert event.by == response.wsgi_request.user


def test_cancel_returns_the_stock(staff_client):
    order, animal = place(stock=3, quantity=2)
    run_action(staff_client, "cancel", [order])
    order.refresh_from_db()
    animal.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert animal.stock == 3


def test_a_disallowed_action_shows_an_error_and_changes_nothing(staff_client):
    done, animal = place()
    order_mark_paid(order_id=done.pk)
    order_mark_ready(order_id=done.pk)
    order_complete(order_id=done.pk)
    pending, _ = place()
    response = run_action(staff_client, "cancel", [done])
    assert response.status_code == 200
    errors = [str(m) for m in response.context["messages"] if m.level_tag == "error"]
    assert errors == [f"Order {done.reference} cannot go from completed to cancelled."]
    run_action(staff_client, "mark_ready", [pending])
    done.refresh_from_db()
    pending.refresh_from_db()
    animal.refresh_from_db()
    assert done.status == Order.Status.COMPLETED and animal.stock == 0
    assert pending.status == Order.Status.PENDING_PAYMENT


def test_export_csv(staff_client, django_assert_max_num_queries):
    first, _ = place(full_name="=HYPERLINK(evil)")
    second, _ = place(stock=4, quantity=3)
    with django_assert_max_num_queries(8):
        response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [first.pk, second.pk]})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "reference", "created", "status", "email", "name", "phone", "collection date", "total", "currency", "lines"
    ]  # fmt: skip
    assert [row[0] for row in rows[1:]] == [first.reference, second.reference]
    assert rows[1][4] == "'=HYPERLINK(evil)"
    assert rows[2][7] == "299.85" and rows[2][8] == "USD"
    assert rows[2][9] == f"3 x {second.items.get().animal_name} @ 99.95"
    assert rows[2][6] == second.collection_date.isoformat()


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_export_csv_neutralises_a_formula_in_every_customer_typed_cell(staff_client, start):
    order, _ = place(full_name=f"{start}SUM(A1)", phone=f"{start}1+1")
    Order.objects.filter(pk=order.pk).update(email=f"{start}cmd|'/Ccalc'!A0@example.com")  # a valid address
    OrderItem.objects.filter(order=order).update(animal_name=f"{start}HYPERLINK(evil)")
    response = staff_client.post(CHANGELIST, {"action": "export_csv", "_selected_action": [order.pk]})
    row = list(csv.reader(io.StringIO(response.content.decode(), newline="")))[1]
    assert row[3] == f"'{start}cmd|'/Ccalc'!A0@example.com"  # the e-mail column, unescaped before
    assert row[4] == f"'{start}SUM(A1)"
    assert row[5] == f"'{start}1+1"
    assert row[9] == f"1 x {start}HYPERLINK(evil) @ 99.95"  # starts with a digit: left as it is
    assert all(not cell.startswith(FORMULA_STARTS) for cell in row)


def test_mark_ready_e_mails_the_customer(staff_client, django_capture_on_commit_callbacks):
    from django.core import mail

    from notifications.models import Notification

    order, _ = place()
    order_mark_paid(order_id=order.pk)
    with django_capture_on_commit_callbacks(execute=True):
        run_action(staff_client, "mark_ready", [order])
    ready = Notification.objects.get(kind="order-ready")
    assert (ready.to, ready.status) == (order.email, Notification.Status.SENT)
    assert any("ready for collection" in message.subject for message in mail.outbox)
