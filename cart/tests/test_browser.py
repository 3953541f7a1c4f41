"""The cart page in a real browser: with JavaScript the cart updates in place, under the strict CSP."""

import pytest
from playwright.sync_api import expect

from animals.tests.factories import AnimalFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_cart_updates_in_place_with_javascript(live_server, page):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    litter = AnimalFactory(name="Guppies", stock=9)
    puppy = AnimalFactory(name="Bella")

    page.goto(f"{live_server.url}{litter.get_absolute_url()}")
    page.get_by_label("Quantity").fill("2")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(f"{live_server.url}{puppy.get_absolute_url()}")
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.evaluate("window.stillTheSamePage = true")

    page.get_by_label("Quantity of Guppies").fill("5")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Guppies: quantity updated to 5.")).to_be_visible()
    expect(page.get_by_label("Quantity of Guppies")).to_have_value("5")
    expect(page.locator("nav .badge")).to_have_text("6")

    page.get_by_role("button", name="Remove Bella").click()
    expect(page.get_by_text("Bella was removed from your cart.")).to_be_visible()
    expect(page.locator("nav .badge")).to_have_text("5")
    assert page.evaluate("window.stillTheSamePage") is True  # no full page load
    assert errors == []


def test_cart_works_without_javascript(live_server, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    litter = AnimalFactory(name="Guppies", stock=9)
    page.goto(f"{live_server.url}{litter.get_absolute_url()}")
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_label("Quantity of Guppies").fill("3")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("Guppies: quantity updated to 3.")).to_be_visible()
    expect(page.locator("nav .badge")).to_have_text("3")
    context.close()
