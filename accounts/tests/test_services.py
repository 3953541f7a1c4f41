import pytest
from django.db import DatabaseError

from accounts import services
from accounts.models import Address
from accounts.tests.factories import AddressFactory, UserFactory
from petshop.tests.threads import run_together

FIELDS = {
    "label": "",
    "full_name": "A B",
    "line1": "1 Road",
    "line2": "",
    "city": "Town",
    "postcode": "1",
    "country": "UK",
}


@pytest.mark.django_db
def test_signup_sends_the_confirmation_email_only_after_commit(django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.user_signup(email="a@example.com", full_name="A", password="Kennel-biscuit-42", ip="10.0.0.1")
    assert mailoutbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert mailoutbox[0].to == ["a@example.com"]
    assert "Confirm" in mailoutbox[0].subject


@pytest.mark.django_db
def test_address_services_refuse_another_customers_address():
    theirs = AddressFactory(is_default=False)
    me = UserFactory()
    with pytest.raises(Address.DoesNotExist):
        services.address_set_default(user=me, address_id=theirs.pk)
    with pytest.raises(Address.DoesNotExist):
        services.address_update(user=me, address_id=theirs.pk, fields={"city": "Elsewhere"})
    with pytest.raises(Address.DoesNotExist):
        services.address_delete(user=me, address_id=theirs.pk)
    theirs.refresh_from_db()
    assert (theirs.is_default, theirs.city) == (False, "Springfield")


@pytest.mark.django_db
def test_deleting_the_last_address_leaves_an_empty_book():
    address = AddressFactory()
    services.address_delete(user=address.user, address_id=address.pk)
    assert not Address.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_default_changes_leave_exactly_one_default(require_postgres):
    user = UserFactory()
    addresses = [services.address_create(user=user, fields=FIELDS) for _ in range(4)]
    results = run_together(
        len(addresses),
        lambda index: services.address_set_default(user=user, address_id=addresses[index].pk),
        expected=(DatabaseError,),  # a broken lock shows up as an IntegrityError or a deadlock
    )
    assert not [result for result in results if isinstance(result, DatabaseError)]
    assert Address.objects.filter(user=user, is_default=True).count() == 1


@pytest.mark.django_db
def test_user_profile_update_saves_only_the_given_fields():
    from accounts.services import user_profile_update
    from accounts.tests.factories import UserFactory

    user = UserFactory(full_name="Old", phone="1")
    user_profile_update(user=user, fields={"full_name": "New"})
    user.refresh_from_db()
    assert (user.full_name, user.phone) == ("New", "1")
