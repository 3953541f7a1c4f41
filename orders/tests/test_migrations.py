"""0003: existing orders' phones become E.164 where they parse, country names become codes."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [("orders", "0003_order_history_and_handover")]
AFTER = [("orders", "0004_order_phone_country_region")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    """Every app back at its newest migration (not just AFTER: later migrations exist, and the tests that run
    after this one need their columns)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_existing_phones_and_countries_are_converted(settings):
    settings.SHOP_COUNTRY = "FR"  # so that "United States" must be read, not defaulted
    old_apps = migrate(BEFORE)
    Order = old_apps.get_model("orders", "Order")
    common = {
        "full_name": "A",
        "address_line1": "1 Road",
        "city": "Town",
        "postcode": "1",
        "collection_date": date.today() + timedelta(days=2),
        "reserved_until": timezone.now(),
        "total": 0,
    }
    rows = {
        "us": ("(212) 555-0101", "United States"),
        "de": ("030 901820", "Germany"),
        "code": ("+44 20 7946 0958", "gb"),
        "junk": ("call me maybe", "Atlantis"),
        "uk": ("020 7946 0958", "United Kingdom"),
    }
    ids = {}
    for n, (key, (phone, country)) in enumerate(rows.items()):
        order = Order.objects.create(
            email=f"{key}@example.com", phone=phone, country=country, reference=f"PS-MIG{n}", access_token=key, **common
        )
        ids[key] = order.pk
    try:
        new_apps = migrate(AFTER)
        Order = new_apps.get_model("orders", "Order")
        converted = {key: Order.objects.values_list("phone", "country").get(pk=pk) for key, pk in ids.items()}
        assert converted == {
            "us": ("+12125550101", "US"),
            "de": ("+4930901820", "DE"),  # a local number read in the order's own country
            "code": ("+442079460958", "GB"),
            "junk": ("call me maybe", "FR"),  # kept as it was; an unknown country becomes the shop's
            "uk": ("+442079460958", "GB"),
        }
    finally:
        migrate_to_latest()
