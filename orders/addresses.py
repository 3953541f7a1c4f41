"""Postal addresses by country: which countries ask for a state or region, and the order of an address's lines."""

from django_countries import countries

# Countries whose addresses carry a state, province or region, with the word their people use for it.
REGION_LABELS = {
    "US": "State",
    "CA": "Province",
    "AU": "State or territory",
    "DE": "State (Bundesland)",
    "BR": "State",
    "IN": "State",
    "MX": "State",
    "IT": "Province",
    "ES": "Province",
    "JP": "Prefecture",
}

# How the last lines are written. Anything not listed uses "postcode city" (most of Europe).
CITY_REGION_POSTCODE = {"US", "CA", "AU"}  # Springfield, IL 62701
CITY_THEN_POSTCODE = {"GB", "IE"}  # Leeds / LS1 4AP, each on its own line


# Names people type that are not django-countries' official English names.
COUNTRY_ALIASES = {
    "united states": "US",
    "usa": "US",
    "u.s.a.": "US",
    "america": "US",
    "united kingdom": "GB",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "deutschland": "DE",
    "holland": "NL",
    "the netherlands": "NL",
    "russia": "RU",
    "south korea": "KR",
    "vietnam": "VN",
}


def country_code(text: str) -> str:
    """The ISO code of a country written as a code, its English name or a common alias; "" when unknown."""
    text = (text or "").strip()
    if len(text) == 2 and text.upper() in countries:
        return text.upper()
    return countries.by_name(text) or COUNTRY_ALIASES.get(text.lower(), "")


def region_label(country: str) -> str | None:
    """The label of the region field for `country` (ISO code), or None when its addresses have no region."""
    return REGION_LABELS.get((country or "").upper())


def address_lines(
    *, full_name: str, line1: str, line2: str, city: str, region: str, postcode: str, country: str
) -> list[str]:
    """The lines of an address in the order the post of `country` (ISO code) expects them."""
    code = (country or "").upper()
    lines = [full_name, line1, line2]
    if code in CITY_REGION_POSTCODE:
        place = ", ".join(part for part in [city, region] if part)
        lines.append(f"{place} {postcode}".strip())
    elif code in CITY_THEN_POSTCODE:
        lines += [city, region, postcode]
    else:
        lines += [f"{postcode} {city}".strip(), region]
    lines.append(countries.name(code) or code)
    return [line for line in lines if line]
