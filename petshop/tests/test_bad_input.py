"""Bad input from a visitor gives a 4xx or a normal page, never a 500 (security review, issue 16)."""

import pytest
from django.test import Client

from accounts.tests.factories import StaffFactory
from animals.tests.factories import AnimalFactory

pytestmark = pytest.mark.django_db

NUL = "%00"


@pytest.fixture
def staff_client():
    client = Client()
    client.force_login(StaffFactory())
    return client


@pytest.mark.parametrize(
    "url",
    [
        f"/orders/{NUL}/",
        f"/orders/PS-ABC{NUL}/?token=x",
        f"/orders/PS-ABC/?token={NUL}",
        f"/payments/demo/{NUL}/",
        f"/payments/cancel/{NUL}/",
        f"/payments/success/?session_id={NUL}",
        f"/animals/?q={NUL}",
        f"/animals/?q=new&species={NUL}",
        f"/animals/?sort={NUL}",
        f"/animals/?page={NUL}",
        f"/?{NUL}=1",
        f"/accounts/confirm/{NUL}/",
        f"/accounts/password/reset/{NUL}/set-password/",
        f"/cart/?next={NUL}",
    ],
)
def test_a_nul_in_a_url_is_a_400(client, url):
    response = client.get(url)
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("url", "data"),
    [
        (f"/payments/start/{NUL}/", {}),
        (f"/payments/demo/{NUL}/", {"action": "pay"}),
        ("/accounts/login/", {"username": "a\x00@example.com", "password": "x"}),
        ("/admin/login/", {"username": "a\x00@example.com", "password": "x"}),
        ("/accounts/signup/", {"email": "a\x00@example.com", "full_name": "A", "password1": "x", "password2": "x"}),
        ("/accounts/password/reset/", {"email": "a\x00@example.com"}),
        ("/accounts/confirm/resend/", {"email": "a\x00@example.com"}),
        ("/cart/add/", {"animal_id": "1\x00", "quantity": "1"}),
        ("/cart/add/", {"animal_id": "1", "quantity": "1", "next": "/\x00"}),
        ("/checkout/", {"email": "a@example.com", "full_name": "\x00", "checkout_token": "\x00"}),
        ("/checkout/", {"\x00": "1"}),
    ],
)
def test_a_nul_in_a_form_is_a_400_and_changes_nothing(client, url, data):
    from axes.models import AccessAttempt

    from accounts.models import User

    response = client.post(url, data)
    assert response.status_code == 400
    assert not AccessAttempt.objects.exists()
    assert not User.objects.exists()


def test_a_nul_in_the_admin_search_is_a_400(staff_client):
    assert staff_client.get(f"/admin/orders/order/?q={NUL}").status_code == 400
    assert staff_client.get(f"/admin/accounts/user/?q=a{NUL}b").status_code == 400


def test_a_nul_in_the_session_cookie_is_a_400():
    client = Client()
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/cart/").status_code == 400


def test_a_nul_in_a_header_axes_records_is_a_400(client):
    response = client.post("/accounts/login/", {"username": "a@example.com", "password": "x"}, HTTP_USER_AGENT="x\x00")
    assert response.status_code == 400


def test_a_json_body_is_left_to_its_view(client):
    """The webhook's body is not a form: the middleware must not read it (the view checks its signature)."""
    response = client.post("/payments/webhook/stripe/", data='{"a": "\\u0000"}', content_type="application/json")
    assert response.status_code == 400
    assert response.text == "Invalid signature."


def test_ordinary_requests_pass(client):
    AnimalFactory(name="Newt")
    assert client.get("/animals/?q=new").status_code == 200
    assert client.post("/accounts/login/", {"username": "a@example.com", "password": "x"}).status_code == 200


# Finding 9: a huge page number on a list whose count is not cached yet.


@pytest.mark.parametrize(
    "number", ["99999999999999999999", "9223372036854775807", "1000001", "9" * 5000, "-99999999999999999"]
)
def test_a_huge_page_number_shows_the_last_page(client, number):
    for n in range(3):
        AnimalFactory(name=f"Newt {n}")
    response = client.get(f"/animals/?page={number}&q=new")
    assert response.status_code == 200
    assert "Newt 0" in response.text and "Newt 2" in response.text


def test_a_nul_sent_to_the_json_api_is_a_400_in_the_api_s_error_shape(client):
    response = client.get(f"/api/v1/animals?species=dog{NUL}")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "The request contains a NUL character.", "code": "bad_request"}
