import pytest

from accounts.models import Address, User
from accounts.services import EMAIL_TAKEN
from accounts.tests.factories import PASSWORD, AddressFactory

pytestmark = pytest.mark.django_db


def test_register_gives_the_web_sign_up_answers(api, user):
    taken = api.post("/users", {"email": user.email.upper(), "full_name": "X", "password": "pl4nt-a-tree!"})
    assert taken.status_code == 422 and taken.json()["detail"] == f"email: {EMAIL_TAKEN}"
    weak = api.post("/users", {"email": "new@example.com", "full_name": "New", "password": "password"})
    assert weak.status_code == 422 and "This password is too common." in weak.json()["detail"]
    assert not User.objects.filter(email="new@example.com").exists()


def test_me_patch_changes_details_and_needs_the_password_for_a_new_email(user_api, user):
    changed = user_api.patch("/users/me", {"full_name": "Sam Smith", "phone": "555-0199"})
    assert changed.status_code == 200 and changed.json()["full_name"] == "Sam Smith"
    refused = user_api.patch("/users/me", {"email": "sam@example.com"})
    assert refused.status_code == 422
    assert "To change your e-mail address, enter your current password." in refused.json()["detail"]
    assert User.objects.get(pk=user.pk).email == user.email
    moved = user_api.patch("/users/me", {"email": "sam@example.com", "current_password": PASSWORD})
    assert moved.json()["email"] == "sam@example.com"


def test_the_address_book(user_api, user):
    first = user_api.post(
        "/users/me/addresses", {"full_name": "Sam", "line1": "1 A St", "city": "X", "postcode": "1", "country": "US"}
    )
    assert first.status_code == 201 and first.json()["is_default"] is True
    second = user_api.post(
        "/users/me/addresses", {"full_name": "Sam", "line1": "2 B St", "city": "X", "postcode": "2", "country": "US"}
    ).json()
    assert user_api.post(f"/users/me/addresses/{second['id']}/default").json()["is_default"] is True
    assert user_api.patch(f"/users/me/addresses/{second['id']}", {"city": "Y"}).json()["city"] == "Y"
    assert user_api.delete(f"/users/me/addresses/{second['id']}").status_code == 204
    listed = user_api.get("/users/me/addresses").json()
    assert [address["line1"] for address in listed] == ["1 A St"] and listed[0]["is_default"]


def test_someone_elses_address_is_a_404(user_api):
    theirs = AddressFactory()
    assert user_api.patch(f"/users/me/addresses/{theirs.pk}", {"city": "Y"}).status_code == 404
    assert user_api.delete(f"/users/me/addresses/{theirs.pk}").status_code == 404
    assert Address.objects.filter(pk=theirs.pk, city="Springfield").exists()


def test_a_body_that_is_not_an_object_is_a_422(user_api):
    refused = user_api.patch("/users/me", [None, None])
    assert refused.status_code == 422 and refused.json()["code"] == "invalid"
