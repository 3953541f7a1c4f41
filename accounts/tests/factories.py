import factory
from factory.django import DjangoModelFactory

from accounts.models import Address, User

PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"customer{n}@example.com")
    full_name = factory.Sequence(lambda n: f"Customer {n}")
    phone = "555-0100"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


class AddressFactory(DjangoModelFactory):
    class Meta:
        model = Address

    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda o: o.user.full_name)
    line1 = "12 Kennel Lane"
    city = "Springfield"
    postcode = "12345"
    country = "United States"
    is_default = True
