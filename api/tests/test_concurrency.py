"""Twenty API buyers of the last animal at the same moment, on PostgreSQL: one order, nineteen 409s."""

import pytest

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from api.tests.conftest import ApiClient, order_body
from orders.models import Order
from petshop.tests.threads import run_together

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

    def buy(index):
        response = clients[index].post(
            "/orders",
            order_body(carts[index], email=f"buyer{index}@example.com"),
            headers={"Idempotency-Key": f"buyer-{index}-key"},
        )
        return response.status_code, response.json()

    answers = run_together(BUYERS, buy)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201] + [409] * (BUYERS - 1)
    refusals = [body for status, body in answers if status == 409]
    assert all(body["code"] == "stock_gone" and "Last" in body["detail"] for body in refusals)
    assert Order.objects.count() == 1
    assert Animal.objects.get(pk=puppy.pk).stock == 0
