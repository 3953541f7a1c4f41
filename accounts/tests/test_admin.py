import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import AddressFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_can_search_and_open_customers_in_the_admin(client, django_assert_max_num_queries):
    customer = UserFactory(email="robin@example.com")
    AddressFactory(user=customer, line1="1 Sherwood Way")
    UserFactory.create_batch(5)
    client.force_login(StaffFactory())
    with django_assert_max_num_queries(10):
        response = client.get(reverse("admin:accounts_user_changelist"), {"q": "robin"})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [customer]
    response = client.get(reverse("admin:accounts_user_change", args=[customer.pk]))
    assert response.status_code == 200
    assert "1 Sherwood Way" in response.text


def test_staff_can_add_a_customer_in_the_admin(client):
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "Added@Example.com",
            "full_name": "Added Customer",
            "usable_password": "true",
            "password1": "Kennel-biscuit-42-wag",
            "password2": "Kennel-biscuit-42-wag",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email="added@example.com")
    assert user.check_password("Kennel-biscuit-42-wag")
    assert not user.is_staff


def test_admin_refuses_a_duplicate_email_in_another_case(client):
    UserFactory(email="taken@example.com")
    client.force_login(StaffFactory())
    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "email": "TAKEN@example.com",
            "full_name": "Copy",
            "usable_password": "true",
            "password1": "Kennel-biscuit-42-wag",
            "password2": "Kennel-biscuit-42-wag",
            "addresses-TOTAL_FORMS": "0",
            "addresses-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "already uses" in response.text
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1
