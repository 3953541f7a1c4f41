"""An API buyer from sign-up to a paid order, with the demo payment provider."""

import re

import pytest
from django.core import mail
from django.test import Client

from animals.models import Animal
from animals.tests.factories import AnimalFactory
from api.tests.conftest import ApiClient, order_body
from notifications.models import Notification
from orders.models import Order

pytestmark = pytest.mark.django_db


def test_register_verify_token_browse_cart_order_pay(api, django_capture_on_commit_callbacks):
    puppy = AnimalFactory(name="Biscuit", stock=1)

    with django_capture_on_commit_callbacks(execute=True):  # the outbox row is sent after the commit
        registered = api.post(
            "/users", {"email": "Robin@Example.com", "full_name": "Robin", "password": "pl4nt-a-tree!"}
        )
    assert registered.status_code == 202, registered.content
    credentials = {"email": "robin@example.com", "password": "pl4nt-a-tree!"}
    assert api.post("/auth/token/pair", credentials).status_code == 401  # not confirmed yet

    assert Notification.objects.get(kind="signup-confirmation").to == "robin@example.com"
    [message] = mail.outbox
    [token] = re.findall(r"/accounts/confirm/([^/\s]+)/", message.body)
    assert api.post("/users/confirm", {"token": token, "password": "pl4nt-a-tree!"}).status_code == 200

    pair = api.post("/auth/token/pair", credentials).json()
    assert api.post("/auth/token/verify", {"token": pair["access"]}).status_code == 200
    buyer = ApiClient(pair["access"])
    assert buyer.get("/users/me").json()["full_name"] == "Robin"

    browsed = buyer.get("/animals", q="biscuit", available="true").json()
    assert [card["id"] for card in browsed["results"]] == [puppy.pk]
    assert buyer.get(f"/animals/{puppy.pk}").json()["name"] == "Biscuit"

    cart = buyer.post("/carts").json()
    added = buyer.post(f"/carts/{cart['id']}/lines", {"animal_id": puppy.pk, "quantity": 1})
    assert added.status_code == 200, added.content
    assert added.json()["detail"] == "Biscuit was added to your cart."
    assert added.json()["total"] == str(puppy.price)

    key = {"Idempotency-Key": "journey-0001"}
    version = buyer.get(f"/carts/{cart['id']}").json()["version"]
    placed = buyer.post("/orders", order_body(cart["id"], cart_version=version), headers=key)
    assert placed.status_code == 201, placed.content
    again = buyer.post("/orders", order_body(cart["id"]), headers=key)
    assert again.status_code == 200
    assert again.json()["reference"] == placed.json()["reference"]
    assert Order.objects.count() == 1
    reference = placed.json()["reference"]
    assert Animal.objects.get(pk=puppy.pk).stock == 0
    assert buyer.get(f"/carts/{cart['id']}").json()["lines"] == []

    payment = buyer.post("/payments", {"order_reference": reference})
    assert payment.status_code == 201, payment.content
    assert payment.json()["provider"] == "demo"
    demo_path = re.sub(r"^https?://[^/]+", "", payment.json()["checkout_url"])
    assert Client().post(demo_path, {"action": "pay"}).status_code == 302

    order = buyer.get(f"/orders/{reference}").json()
    assert order["status"] == "paid"
    assert [item["name"] for item in order["items"]] == ["Biscuit"]
    assert [found["reference"] for found in buyer.get("/orders").json()["results"]] == [reference]


def test_a_guest_reads_pays_and_cancels_with_the_order_token(api):
    puppy = AnimalFactory(stock=2)
    cart_id = api.post("/carts").json()["id"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 2})
    placed = api.post("/orders", order_body(cart_id), headers={"Idempotency-Key": "guest-key-1"}).json()
    reference, token = placed["reference"], placed["token"]

    assert api.get(f"/orders/{reference}").status_code == 404
    assert api.get(f"/orders/{reference}", token="wrong").status_code == 404
    assert api.get(f"/orders/{reference}", token=token).json()["status"] == "pending_payment"
    assert api.post("/payments", {"order_reference": reference}).status_code == 404
    assert api.post("/payments", {"order_reference": reference, "order_token": token}).status_code == 201

    cancelled = api.post(f"/orders/{reference}/cancel?token={token}")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "cancelled"
    assert Animal.objects.get(pk=puppy.pk).stock == 2
    again = api.post(f"/orders/{reference}/cancel?token={token}")
    assert again.status_code == 409 and again.json()["code"] == "not_cancellable"
    refused = api.post("/payments", {"order_reference": reference, "order_token": token})
    assert refused.status_code == 409 and refused.json()["code"] == "payment_refused"


def test_an_order_of_an_animal_gone_meanwhile_is_a_409_and_the_cart_is_corrected(api):
    puppy = AnimalFactory(name="Pip", stock=1)
    cart_id = api.post("/carts").json()["id"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 1})
    Animal.objects.filter(pk=puppy.pk).update(stock=0)
    refused = api.post("/orders", order_body(cart_id), headers={"Idempotency-Key": "gone-key-1"})
    assert refused.status_code == 409
    assert refused.json() == {
        "detail": "Pip is no longer available and was removed from your cart.",
        "code": "stock_gone",  # as when it goes while the order is placed (test_concurrency)
    }
    assert api.get(f"/carts/{cart_id}").json()["lines"] == []
    assert Order.objects.count() == 0


def test_checkout_form_answers_are_the_web_ones(api):
    puppy = AnimalFactory(stock=1)
    cart_id = api.post("/carts").json()["id"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 1})
    refused = api.post("/orders", order_body(cart_id, adult_confirmed=False), headers={"Idempotency-Key": "adult-key"})
    assert refused.status_code == 422
    assert refused.json()["detail"] == (
        "adult_confirmed: Please confirm that you are an adult and have read the care information."
    )
    missing_key = api.post("/orders", order_body(cart_id))
    assert missing_key.status_code == 422 and missing_key.json()["code"] == "invalid"
    assert Order.objects.count() == 0


def test_an_order_for_a_cart_that_changed_since_the_buyer_saw_it_is_a_409(api):
    puppy, kitten = AnimalFactory(name="Pip", stock=1), AnimalFactory(name="Kit", stock=1)
    cart_id = api.post("/carts").json()["id"]
    seen = api.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 1}).json()["version"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": kitten.pk, "quantity": 1})  # another tab adds a kitten
    refused = api.post("/orders", order_body(cart_id, cart_version=seen), headers={"Idempotency-Key": "seen-key-1"})
    assert refused.status_code == 409 and refused.json() == {
        "detail": "Your cart has changed: Kit: added (1).",
        "code": "cart_changed",
    }
    assert Order.objects.count() == 0
    now = api.get(f"/carts/{cart_id}").json()["version"]
    placed = api.post("/orders", order_body(cart_id, cart_version=now), headers={"Idempotency-Key": "seen-key-1"})
    assert placed.status_code == 201 and len(placed.json()["items"]) == 2


def test_the_checkout_fields_are_the_web_forms(api):
    puppy = AnimalFactory(stock=1)
    cart_id = api.post("/carts").json()["id"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": puppy.pk, "quantity": 1})
    key = {"Idempotency-Key": "fields-key"}
    no_state = api.post("/orders", order_body(cart_id, region=""), headers=key)
    assert no_state.status_code == 422 and "region: Please enter the state" in no_state.json()["detail"]
    bad_phone = api.post("/orders", order_body(cart_id, phone="12"), headers=key)
    assert bad_phone.status_code == 422 and bad_phone.json()["detail"].startswith("phone: ")
    bad_country = api.post("/orders", order_body(cart_id, country="XX"), headers=key)
    assert bad_country.status_code == 422 and bad_country.json()["detail"].startswith("country: ")
    assert Order.objects.count() == 0
    placed = api.post("/orders", order_body(cart_id, phone="(212) 555-0199", region="NY"), headers=key)
    assert placed.status_code == 201, placed.content
    order = Order.objects.get()
    assert (order.phone, order.country, order.region) == ("+12125550199", "US", "NY")
