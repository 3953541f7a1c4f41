"""Issue 19's account details: the log-in e-mail input, the logout message, asking before deleting an address."""

import pytest
from django.urls import reverse

from accounts.models import Address
from accounts.tests.factories import AddressFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_log_in_e_mail_field_is_an_e_mail_input_with_autocomplete(client):
    content = client.get(reverse("accounts:login")).content.decode()
    assert 'type="email" name="username"' in content
    assert 'autocomplete="username"' in content


def test_logging_out_says_so(client):
    client.force_login(UserFactory())
    response = client.post(reverse("accounts:logout"), follow=True)
    assert "You are logged out." in [str(message) for message in response.context["messages"]]
    assert "You are logged out." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_profile_s_delete_button_leads_to_a_question_not_a_deletion(client):
    user = UserFactory()
    address = AddressFactory(user=user, is_default=False)
    client.force_login(user)
    content = client.get(reverse("accounts:profile")).content.decode()
    url = reverse("accounts:address_delete", args=[address.pk])
    assert f'href="{url}"' in content
    assert f'action="{url}"' not in content
    client.get(url)
    assert Address.objects.filter(pk=address.pk).exists()


def test_confirming_deletes_the_address(client):
    user = UserFactory()
    address = AddressFactory(user=user, is_default=False)
    client.force_login(user)
    response = client.post(reverse("accounts:address_delete", args=[address.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert not Address.objects.filter(pk=address.pk).exists()


def test_the_question_for_someone_else_s_address_is_a_404(client):
    theirs = AddressFactory()
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:address_delete", args=[theirs.pk])).status_code == 404
