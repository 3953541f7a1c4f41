import pytest
from django.utils import timezone

from orders.models import collection_dates


def buyer_details(**overrides) -> dict:
    """Valid keyword arguments for order_place besides the quantities."""
    details = {
        "email": "buyer@example.com",
        "full_name": "Alex Buyer",
        "phone": "+12125550101",
        "address_line1": "1 Main Street",
        "city": "Springfield",
        "region": "NY",
        "postcode": "12345",
        "country": "US",
        "collection_date": collection_dates(today=timezone.localdate())[0],
    }
    details.update(overrides)
    return details


@pytest.fixture
def details():
    return buyer_details()
