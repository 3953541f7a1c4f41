"""Twenty API buyers of the last animal at the same moment, on PostgreSQL: one order, nineteen 409s."""

import threading

import pytest
from django.db import connection

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from api.tests.conftest import ApiClient, order_body
from orders.models import Order

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

BUYERS = 20


def test_twenty_api_buyers_of_the_last_animal_make_one_order(require_postgres):
    puppy = AnimalFactory(name="Last", stock=1)
    clients = [ApiClient() for _ in range(BUYERS)]
    carts = []
    for client in clients:
        cart_id = client.post("/carts").json()["id"]
        assert client.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 1}).status_code == 200
        carts.append(cart_id)

    barrier = threading.Barrier(BUYERS)
    answers = [None] * BUYERS

    def buy(index):
        try:
            barrier.wait()
            response = clients[index].post(
                "/orders",
                order_body(carts[index], email=f"buyer{index}@example.com"),
                headers={"Idempotency-Key": f"buyer-{index}-key"},
            )
            answers[index] = (response.status_code, response.json())
        finally:
            connection.close()

    threads = [threading.Thread(target=buy, args=(index,)) for index in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (BUYERS - 1)
    refusals = [body for status, body in answers if status == 409]
    assert all(body["code"] == "stock_gone" and "Last" in body["detail"] for body in refusals)
    assert Order.objects.count() == 1
    assert Animal.objects.get(pk=puppy.pk).stock == 0
