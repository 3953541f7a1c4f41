from datetime import date, timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from animals.tests.factories import AnimalFactory
from orders.models import Order, OrderItem


class OrderFactory(DjangoModelFactory):
    """An order without lines; use OrderItemFactory (or order_place) for the lines and the total."""

    class Meta:
        model = Order

    email = factory.Sequence(lambda n: f"buyer{n}@example.com")
    full_name = "Alex Buyer"
    phone = "+12125550101"
    address_line1 = "1 Main Street"
    city = "Springfield"
    postcode = "12345"
    country = "US"
    collection_date = factory.LazyFunction(lambda: date.today() + timedelta(days=3))
    reserved_until = factory.LazyFunction(lambda: timezone.now() + timedelta(minutes=30))


class OrderItemFactory(DjangoModelFactory):
    class Meta:
        model = OrderItem

    order = factory.SubFactory(OrderFactory)
    animal = factory.SubFactory(AnimalFactory, stock=0)
    animal_name = factory.LazyAttribute(lambda o: o.animal.name)
    unit_price = factory.LazyAttribute(lambda o: o.animal.price)
    quantity = 1
