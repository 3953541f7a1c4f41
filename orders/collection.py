"""Collecting an order in the shop: opening hours, the map link and the calendar file (RFC 5545)."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from phonenumber_field.phonenumber import to_python as to_phone_number
from phonenumbers import region_code_for_number

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_RANGE = re.compile(
    r"^(?P<first>[a-z]{3})(?:-(?P<last>[a-z]{3}))?\s+(?P<opens>\d{1,2}:\d{2})-(?P<closes>\d{1,2}:\d{2})$"
)
WHAT_TO_BRING = [
    "A photo ID: we check that the buyer is 18 or older.",
    "A carrier for small animals (cats, rabbits, guinea pigs, birds...).",
    "Your order reference or this page.",
]


@dataclass(frozen=True)
class Hours:
    opens: time
    closes: time

    def __str__(self):
        return f"{self.opens:%H:%M}–{self.closes:%H:%M}"


def parse_opening_hours(text: str) -> dict[int, Hours]:
    """{weekday (Monday=0): Hours} from text like "Mon-Fri 10:00-18:00; Sat 10:00-16:00". Raises ValueError."""
    hours: dict[int, Hours] = {}
    for part in filter(None, (chunk.strip().lower() for chunk in (text or "").split(";"))):
        match = _RANGE.match(part)
        if match is None or match["first"] not in DAYS or (match["last"] or match["first"]) not in DAYS:
            raise ValueError(f"Cannot read opening hours {part!r}: write them like 'Mon-Fri 10:00-18:00'.")
        opens, closes = time.fromisoformat(match["opens"].zfill(5)), time.fromisoformat(match["closes"].zfill(5))
        if closes <= opens:
            raise ValueError(f"Opening hours {part!r} close before they open.")
        first, last = DAYS.index(match["first"]), DAYS.index(match["last"] or match["first"])
        for weekday in range(first, last + 1):
            hours[weekday] = Hours(opens, closes)
    return hours


def hours_on(day: date) -> Hours | None:
    return parse_opening_hours(settings.SHOP_OPENING_HOURS).get(day.weekday())


def phone_display(raw: str) -> str:
    """A phone number written for people: national format in the shop's country, international otherwise."""
    number = to_phone_number(raw, region=settings.SHOP_COUNTRY)
    if not number or not number.is_valid():
        return raw
    return number.as_national if region_code_for_number(number) == settings.SHOP_COUNTRY else number.as_international


def map_url(address: str) -> str:
    return "https://www.openstreetmap.org/search?" + urlencode({"query": address})


def details(day: date) -> dict:
    """What the order page and the paid e-mail say about collecting on `day`."""
    return {
        "address": settings.SHOP_ADDRESS,
        "phone": settings.SHOP_PHONE,
        "phone_display": phone_display(settings.SHOP_PHONE),
        "hours": hours_on(day),
        "map_url": map_url(settings.SHOP_ADDRESS),
        "what_to_bring": WHAT_TO_BRING,
    }


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545, 3.1)."""
    data = line.encode()
    parts = []
    while len(data) > 75:
        cut = 75 if not parts else 74
        while cut and (data[cut] & 0xC0) == 0x80:  # never split a UTF-8 character
            cut -= 1
        parts.append(data[:cut].decode())
        data = data[cut:]
    parts.append(data.decode())
    return "\r\n ".join(parts)


def _utc(day: date, at: time) -> str:
    local = datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))
    return local.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar_file(*, reference: str, day: date, order_url: str, host: str) -> str:
    """A one-event calendar for collecting order `reference` on `day` (all day when the shop has no hours then)."""
    hours = hours_on(day)
    if hours is None:
        when = [f"DTSTART;VALUE=DATE:{day:%Y%m%d}"]
    else:
        when = [f"DTSTART:{_utc(day, hours.opens)}", f"DTEND:{_utc(day, hours.closes)}"]
    description = "\n".join(["Bring:", *WHAT_TO_BRING, f"Shop phone: {settings.SHOP_PHONE}", order_url])
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//{_escape(settings.SHOP_NAME)}//Orders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{reference}-collection@{host}",
        f"DTSTAMP:{timezone.now().astimezone(UTC):%Y%m%dT%H%M%SZ}",
        *when,
        f"SUMMARY:{_escape(f'Collect order {reference} at {settings.SHOP_NAME}')}",
        f"LOCATION:{_escape(settings.SHOP_ADDRESS)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{order_url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "".join(_fold(line) + "\r\n" for line in lines)
