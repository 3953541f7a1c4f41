from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from orders.tests.factories import OrderFactory, OrderItemFactory
from payments.models import Payment


def make_order(*, prices=(Decimal("350.00"),), currency="usd", stock_left=0, **kwargs):
    """A pending order with one line per price (each animal's remaining stock is `stock_left`) and its total."""
    order = OrderFactory(currency=currency, **kwargs)
    for price in prices:
        OrderItemFactory(order=order, unit_price=price, animal__price=price, animal__stock=stock_left)
    order.total = sum(prices, Decimal("0.00"))
    order.save(update_fields=["total"])
    return order


class PaymentFactory(DjangoModelFactory):
    class Meta:
        model = Payment

    order = factory.LazyFunction(make_order)
    provider = Payment.Provider.STRIPE
    checkout_session_id = factory.Sequence(lambda n: f"cs_test_factory_{n}")
    checkout_url = factory.LazyAttribute(lambda o: f"https://checkout.stripe.test/{o.checkout_session_id}")
    amount = factory.LazyAttribute(lambda o: o.order.total)
    currency = factory.LazyAttribute(lambda o: o.order.currency)
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(minutes=40))
