import pytest

from accounts.tests.factories import PASSWORD, UserFactory
from animals.tests.factories import AnimalFactory
from api.tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


def test_a_guest_cart_takes_lines_with_the_web_cart_rules(api):
    solo, litter = AnimalFactory(name="Solo", stock=1), AnimalFactory(name="Litter", stock=3)
    cart_id = api.post("/carts").json()["id"]
    assert api.post(f"/carts/{cart_id}/lines", {"animal_id": solo.pk, "quantity": 1}).status_code == 200
    twice = api.post(f"/carts/{cart_id}/lines", {"animal_id": solo.pk, "quantity": 1})
    assert twice.status_code == 409 and twice.json() == {
        "detail": "Solo is already in your cart.",
        "code": "cart_refused",
    }
    capped = api.post(f"/carts/{cart_id}/lines", {"animal_id": litter.pk, "quantity": 5}).json()
    assert capped["detail"] == "Only 3 of Litter available: your cart now holds 3."
    changed = api.put(f"/carts/{cart_id}/lines/{litter.pk}", {"quantity": 2}).json()
    assert changed["count"] == 3 and changed["detail"] == "Litter: quantity updated to 2."
    removed = api.delete(f"/carts/{cart_id}/lines/{solo.pk}").json()
    assert [line["name"] for line in removed["lines"]] == ["Litter"]
    assert api.get(f"/carts/{cart_id}").json()["total"] == str(litter.price * 2)


def test_a_cart_is_corrected_against_stock_when_read(api):
    litter = AnimalFactory(name="Kits", stock=3)
    cart_id = api.post("/carts").json()["id"]
    api.post(f"/carts/{cart_id}/lines", {"animal_id": litter.pk, "quantity": 3})
    litter.stock = 1
    litter.save()
    read = api.get(f"/carts/{cart_id}").json()
    assert read["notes"] == ["Only 1 of Kits left: your cart was reduced to 1."]
    assert api.get(f"/carts/{cart_id}").json()["count"] == 1


def test_an_unavailable_animal_cannot_be_added(api):
    hidden = AnimalFactory(is_published=False)
    cart_id = api.post("/carts").json()["id"]
    refused = api.post(f"/carts/{cart_id}/lines", {"animal_id": hidden.pk, "quantity": 1})
    assert refused.status_code == 409 and refused.json()["detail"] == "Sorry, that animal is not available."


def test_unknown_junk_and_web_session_ids_are_not_carts(api, client):
    assert api.get("/carts/nosuchcart123").status_code == 404
    assert api.get("/carts/" + "x" * 65).status_code == 404
    client.get("/")
    client.session.save()
    web_session = client.session.session_key
    assert web_session and api.get(f"/carts/{web_session}").status_code == 404


def test_a_users_cart_opens_only_with_that_users_token(user, user_api):
    cart_id = user_api.post("/carts").json()["id"]
    assert user_api.get(f"/carts/{cart_id}").status_code == 200
    assert ApiClient().get(f"/carts/{cart_id}").status_code == 404
    other = UserFactory()
    other_token = ApiClient().post("/auth/token/pair", {"email": other.email, "password": PASSWORD}).json()["access"]
    assert ApiClient(other_token).get(f"/carts/{cart_id}").status_code == 404


def test_a_bad_token_is_a_401_even_where_guests_are_welcome():
    assert ApiClient("bad-token").post("/carts").status_code == 401
