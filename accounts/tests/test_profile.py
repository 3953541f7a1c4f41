import re

import pytest
from django.urls import reverse

from accounts.models import Address
from accounts.tests.factories import PASSWORD, AddressFactory, UserFactory
from orders.tests.factories import OrderFactory

pytestmark = pytest.mark.django_db

ACCOUNT_PAGES = [
    ("accounts:profile", None),
    ("accounts:orders", None),
    ("accounts:address_add", None),
    ("accounts:password_change", None),
]


@pytest.mark.parametrize(("name", "kwargs"), ACCOUNT_PAGES)
def test_account_pages_require_login(client, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={url}"


def test_address_pages_require_login(client):
    address = AddressFactory()
    assert client.get(reverse("accounts:address_edit", args=[address.pk])).status_code == 302
    assert client.post(reverse("accounts:address_delete", args=[address.pk])).status_code == 302
    assert client.post(reverse("accounts:address_default", args=[address.pk])).status_code == 302
    assert Address.objects.filter(pk=address.pk).exists()


# Profile


def test_profile_shows_own_details_and_addresses(client, django_assert_max_num_queries):
    user = UserFactory(full_name="Robin Hood", phone="555-0199")
    AddressFactory(user=user, line1="1 Sherwood Way")
    AddressFactory(line1="99 Other Street")  # someone else's
    client.force_login(user)
    with django_assert_max_num_queries(4):
        response = client.get(reverse("accounts:profile"))
    assert response.status_code == 200
    assert "1 Sherwood Way" in response.text
    assert "99 Other Street" not in response.text
    assert response.context["form"].initial["full_name"] == "Robin Hood"
    for field in ["full_name", "phone", "email", "current_password"]:
        assert re.search(rf'<label\s+for="id_{field}"', response.text)


def test_profile_saves_name_and_phone_without_password(client):
    user = UserFactory(email="robin@example.com")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"), {"full_name": "Robin Locksley", "phone": "555-0123", "email": "robin@example.com"}
    )
    assert response["Location"] == reverse("accounts:profile")
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("Robin Locksley", "555-0123")


def test_changing_email_needs_the_current_password(client):
    user = UserFactory(email="robin@example.com")
    client.force_login(user)
    data = {"full_name": "Robin", "phone": "", "email": "new@example.com"}
    response = client.post(reverse("accounts:profile"), {**data, "current_password": "wrong"})
    assert response.status_code == 200
    assert 'id="error_1_id_current_password"' in response.text
    user.refresh_from_db()
    assert user.email == "robin@example.com"

    data.update(email="New@Example.com", current_password=PASSWORD)
    response = client.post(reverse("accounts:profile"), data)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_changing_email_to_another_accounts_address_is_refused(client):
    UserFactory(email="taken@example.com")
    user = UserFactory(email="robin@example.com")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"full_name": "Robin", "phone": "", "email": "TAKEN@example.com", "current_password": PASSWORD},
    )
    assert response.status_code == 200
    assert "already uses" in response.context["form"].errors["email"][0]
    user.refresh_from_db()
    assert user.email == "robin@example.com"


def test_a_ten_thousand_character_name_is_a_field_error(client):
    user = UserFactory(full_name="Robin")
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"full_name": "x" * 10_000, "phone": "", "email": user.email})
    assert response.status_code == 200
    assert response.context["form"].errors["full_name"]
    user.refresh_from_db()
    assert user.full_name == "Robin"


# Address book


def address_data(**overrides):
    data = {
        "label": "Home",
        "full_name": "Robin Hood",
        "line1": "1 Sherwood Way",
        "line2": "",
        "city": "Nottingham",
        "postcode": "NG1 1AA",
        "country": "United Kingdom",
    }
    data.update(overrides)
    return data


def test_first_address_becomes_the_default(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:address_add"), address_data())
    assert response["Location"] == reverse("accounts:profile")
    address = user.addresses.get()
    assert address.is_default
    assert (address.city, address.postcode) == ("Nottingham", "NG1 1AA")


def test_adding_an_address_as_default_moves_the_default(client):
    user = UserFactory()
    first = AddressFactory(user=user, is_default=True)
    client.force_login(user)
    client.post(reverse("accounts:address_add"), address_data(line1="2 New Road", make_default="on"))
    first.refresh_from_db()
    assert not first.is_default
    assert user.addresses.get(is_default=True).line1 == "2 New Road"


def test_adding_an_address_with_missing_fields_saves_nothing(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(reverse("accounts:address_add"), address_data(line1="", city="x" * 500))
    assert response.status_code == 200
    assert 'id="error_1_id_line1"' in response.text
    assert response.context["form"].errors["city"]
    assert not user.addresses.exists()


def test_address_book_is_limited(client):
    user = UserFactory()
    AddressFactory.create_batch(10, user=user, is_default=False)
    client.force_login(user)
    response = client.post(reverse("accounts:address_add"), address_data())
    assert response.status_code == 200
    assert "up to 10 addresses" in response.text
    assert user.addresses.count() == 10


def test_editing_own_address(client):
    user = UserFactory()
    address = AddressFactory(user=user)
    client.force_login(user)
    assert client.get(reverse("accounts:address_edit", args=[address.pk])).status_code == 200
    response = client.post(reverse("accounts:address_edit", args=[address.pk]), address_data(city="York"))
    assert response["Location"] == reverse("accounts:profile")
    address.refresh_from_db()
    assert address.city == "York"


def test_making_another_address_the_default(client):
    user = UserFactory()
    first = AddressFactory(user=user, is_default=True)
    second = AddressFactory(user=user, is_default=False)
    client.force_login(user)
    response = client.post(reverse("accounts:address_default", args=[second.pk]))
    assert response["Location"] == reverse("accounts:profile")
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.is_default, second.is_default) == (False, True)
    assert user.addresses.filter(is_default=True).first() == second


def test_deleting_the_default_address_promotes_the_next_one(client):
    user = UserFactory()
    first = AddressFactory(user=user, is_default=True)
    second = AddressFactory(user=user, is_default=False)
    client.force_login(user)
    response = client.post(reverse("accounts:address_delete", args=[first.pk]))
    assert response["Location"] == reverse("accounts:profile")
    assert list(user.addresses.all()) == [second]
    second.refresh_from_db()
    assert second.is_default


def test_delete_asks_first_and_default_refuses_get(client):
    user = UserFactory()
    address = AddressFactory(user=user, line1="9 Question Lane")
    client.force_login(user)
    response = client.get(reverse("accounts:address_delete", args=[address.pk]))
    assert response.status_code == 200
    assert "accounts/address_confirm_delete.html" in [t.name for t in response.templates]
    assert "Delete this address?" in response.text and "9 Question Lane" in response.text
    assert f'action="{reverse("accounts:address_delete", args=[address.pk])}"' not in response.text  # posts to itself
    assert client.get(reverse("accounts:address_default", args=[address.pk])).status_code == 405
    assert Address.objects.filter(pk=address.pk).exists()


def test_another_customers_address_is_a_404_and_stays_unchanged(client):
    theirs = AddressFactory(city="Springfield", is_default=False)
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:address_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:address_edit", args=[theirs.pk]), address_data()).status_code == 404
    assert client.post(reverse("accounts:address_default", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("accounts:address_delete", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert (theirs.city, theirs.is_default) == ("Springfield", False)


# Orders


def test_orders_lists_only_own_orders_newest_first(client, django_assert_max_num_queries):
    user = UserFactory()
    older = OrderFactory(user=user)
    newer = OrderFactory(user=user)
    OrderFactory(user=UserFactory())  # someone else's
    OrderFactory()  # a guest's
    client.force_login(user)
    with django_assert_max_num_queries(5):  # session, user, count, orders, their lines
        response = client.get(reverse("accounts:orders"))
    assert response.status_code == 200
    assert response.context["orders"] == [newer, older]
    assert newer.get_absolute_url() in response.text
    assert newer.reference in response.text


def test_orders_query_count_does_not_grow_with_orders(client, django_assert_max_num_queries):
    user = UserFactory()
    OrderFactory.create_batch(25, user=user)
    client.force_login(user)
    with django_assert_max_num_queries(5):  # session, user, count, orders, their lines
        response = client.get(reverse("accounts:orders"))
    assert len(response.context["orders"]) == 20
    assert "Page 1 of 2" in response.text
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:orders"), {"page": "2"})
    assert len(response.context["orders"]) == 5


@pytest.mark.parametrize("page", ["abc", "999", "-1"])
def test_orders_bad_page_number_is_not_an_error(client, page):
    user = UserFactory()
    OrderFactory(user=user)
    client.force_login(user)
    response = client.get(reverse("accounts:orders"), {"page": page})
    assert response.status_code == 200
    assert len(response.context["orders"]) == 1


def test_orders_empty_list(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:orders"))
    assert response.status_code == 200
    assert "You have no orders yet." in response.text
