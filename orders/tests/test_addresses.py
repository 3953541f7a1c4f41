import pytest

from orders.addresses import address_lines, country_code, region_label

ADDRESS = {"full_name": "Alex Buyer", "line1": "12 Market Street", "line2": ""}


def test_a_us_address_ends_with_city_state_and_zip_on_one_line():
    lines = address_lines(**ADDRESS, city="Springfield", region="IL", postcode="62701", country="US")
    assert lines == ["Alex Buyer", "12 Market Street", "Springfield, IL 62701", "United States of America"]


def test_a_german_address_puts_the_postcode_before_the_city():
    lines = address_lines(
        full_name="Jo Käufer",
        line1="Marktstraße 5",
        line2="3. OG",
        city="Berlin",
        region="",
        postcode="10115",
        country="DE",
    )
    assert lines == ["Jo Käufer", "Marktstraße 5", "3. OG", "10115 Berlin", "Germany"]


def test_a_british_address_has_the_postcode_on_its_own_line():
    lines = address_lines(**ADDRESS, city="Leeds", region="", postcode="LS1 4AP", country="gb")
    assert lines[-3:] == ["Leeds", "LS1 4AP", "United Kingdom"]


def test_an_unknown_country_code_is_shown_as_given_and_nothing_breaks():
    assert address_lines(**ADDRESS, city="X", region="", postcode="1", country="ZZ")[-1] == "ZZ"


@pytest.mark.parametrize(("country", "label"), [("US", "State"), ("ca", "Province"), ("AU", "State or territory")])
def test_countries_with_regions_name_them(country, label):
    assert region_label(country) == label


@pytest.mark.parametrize("country", ["FR", "NL", "GB", "", None])
def test_countries_without_regions_have_no_label(country):
    assert region_label(country) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("US", "US"), ("de", "DE"), ("Germany", "DE"), ("United States", "US"), ("UK", "GB"), ("Atlantis", "")],
)
def test_country_names_codes_and_aliases_become_codes(text, code):
    assert country_code(text) == code
