from datetime import date, datetime, time

import pytest
from django.urls import reverse

from animals.tests.factories import AnimalFactory
from orders.collection import Hours, calendar_file, map_url, parse_opening_hours, phone_display
from orders.services import order_place
from orders.tests.conftest import buyer_details

TUESDAY = date(2026, 12, 8)
SUNDAY = date(2026, 12, 13)


def test_opening_hours_are_read_per_weekday():
    hours = parse_opening_hours("Mon-Fri 10:00-18:00; Sat 9:30-16:00")
    assert hours[0] == hours[4] == Hours(time(10), time(18))
    assert hours[5] == Hours(time(9, 30), time(16))
    assert 6 not in hours
    assert str(hours[5]) == "09:30–16:00"


@pytest.mark.parametrize("text", ["Mon-Fri", "Funday 10:00-12:00", "Mon 18:00-10:00", "Mon 25:00-26:00"])
def test_unreadable_opening_hours_say_how_to_write_them(text):
    with pytest.raises(ValueError):
        parse_opening_hours(text)


def test_the_map_link_is_an_openstreetmap_search_for_the_address():
    assert map_url("12 Market Street, Springfield") == (
        "https://www.openstreetmap.org/search?query=12+Market+Street%2C+Springfield"
    )


def parse_ics(text: str) -> list[tuple[str, dict, str]]:
    """A small RFC 5545 reader: CRLF lines, unfolded, split into (name, parameters, value)."""
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    unfolded = text.replace("\r\n ", "")
    properties = []
    for line in unfolded.split("\r\n")[:-1]:
        assert len(line.encode()) > 0
        head, _, value = line.partition(":")
        name, *params = head.split(";")
        properties.append((name, dict(param.split("=", 1) for param in params), value))
    return properties


def unescape(value: str) -> str:
    return value.replace("\\n", "\n").replace("\\,", ",").replace("\\;", ";").replace("\\\\", "\\")


def test_the_calendar_file_is_one_event_at_the_shop_during_opening_hours(settings):
    settings.TIME_ZONE = "America/Chicago"
    settings.SHOP_OPENING_HOURS = "Tue-Fri 10:00-18:00"
    settings.SHOP_ADDRESS = "12 Market Street, Springfield; IL"
    text = calendar_file(reference="PS-ABC234", day=TUESDAY, order_url="https://shop.example/o", host="shop.example")
    for raw_line in text.split("\r\n"):
        assert len(raw_line.encode()) <= 75
    props = parse_ics(text)
    names = [name for name, _, _ in props]
    assert names[0] == "BEGIN" and names[-1] == "END"
    assert names.count("BEGIN") == 2 and ("BEGIN", {}, "VEVENT") in props
    values = {name: value for name, _, value in props}
    assert values["VERSION"] == "2.0"
    assert values["UID"] == "PS-ABC234-collection@shop.example"
    # 10:00-18:00 in Chicago in December is 16:00-00:00 UTC.
    assert datetime.strptime(values["DTSTART"], "%Y%m%dT%H%M%SZ") == datetime(2026, 12, 8, 16, 0)
    assert datetime.strptime(values["DTEND"], "%Y%m%dT%H%M%SZ") == datetime(2026, 12, 9, 0, 0)
    assert unescape(values["LOCATION"]) == "12 Market Street, Springfield; IL"
    assert "photo ID" in unescape(values["DESCRIPTION"])
    assert "PS-ABC234" in values["SUMMARY"]


def test_a_day_without_hours_is_an_all_day_event(settings):
    settings.SHOP_OPENING_HOURS = "Tue-Fri 10:00-18:00"
    props = parse_ics(calendar_file(reference="PS-ABC234", day=SUNDAY, order_url="u", host="h"))
    assert ("DTSTART", {"VALUE": "DATE"}, "20261213") in props
    assert "DTEND" not in [name for name, _, _ in props]


@pytest.mark.django_db
def test_the_calendar_view_serves_the_order_s_collection_day_to_whoever_may_see_it(client):
    order = order_place(quantities={AnimalFactory().pk: 1}, **buyer_details())
    url = reverse("orders:calendar", args=[order.reference])
    assert client.get(url).status_code == 404  # no token, not the owner
    response = client.get(url, {"token": order.access_token})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert f'filename="{order.reference}-collection.ics"' in response["Content-Disposition"]
    props = parse_ics(response.content.decode())
    start = dict((name, value) for name, _, value in props).get("DTSTART", "")
    assert start.startswith(order.collection_date.strftime("%Y%m%d"))


def test_the_shop_phone_is_written_nationally_at_home_and_internationally_abroad(settings):
    settings.SHOP_COUNTRY = "US"
    assert phone_display("+12175550100") == "(217) 555-0100"
    assert phone_display("+4930901820") == "+49 30 901820"
    assert phone_display("not a number") == "not a number"


def test_start_up_checks_refuse_unreadable_hours_and_an_unknown_country(settings):
    from orders.apps import check_collection_settings

    assert check_collection_settings() == []
    settings.SHOP_OPENING_HOURS = "weekdays 9-5"
    settings.SHOP_COUNTRY = "XX"
    assert [error.id for error in check_collection_settings()] == ["orders.E001", "orders.E002"]
