import pytest
from django.utils import timezone

from orders.models import collection_dates


def buyer_details(**overrides) -> dict:
    """Valid keyword arguments for order_place besides the quantities."""
    details = {
        "email": "buyer@example.com",
        "full_name": "Alex Buyer",
        "phone": "555-0101",
        "address_line1": "1 Main Street",
        "city": "Springfield",
        "postcode": "12345",
        "country": "United States",
        "collection_date": collection_dates(today=timezone.localdate())[0],
    }
    details.update(overrides)
    return details


@pytest.fixture
def details():
    return buyer_details()
