"""Journeys 6 and 7 of issue 8: the shop by keyboard alone, and on a phone-sized screen."""

import re

import pytest
from playwright.sync_api import expect

from e2e.test_journeys import CART_LINK, fill_checkout, pay_with_demo
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

MAX_TABS = 80
HAS_FOCUS_RING = """element => {
    const style = getComputedStyle(element);
    const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
    return element.matches(":focus-visible") && (outline || style.boxShadow !== "none");
}"""


def tab_to(page, target):
    """Press Tab until `target` has the focus (at most MAX_TABS times) and check that the focus shows."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            assert target.evaluate(HAS_FOCUS_RING), f"no visible focus on {target}"
            return
    pytest.fail(f"{target} was not reached with {MAX_TABS} presses of Tab")


def type_into(page, field, text):
    tab_to(page, field)
    page.keyboard.type(text)


def test_the_catalogue_to_checkout_journey_works_with_the_keyboard_alone(live_server, page, shop):
    page.goto(f"{live_server.url}/animals/")
    tab_to(page, page.get_by_role("link", name="Skip to content"))
    tab_to(page, page.get_by_role("link", name="Bella"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Bella")).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Add to cart"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    tab_to(page, page.get_by_role("link", name="Proceed to checkout"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Checkout")).to_be_visible()
    for label, text in [
        ("E-mail", "keys@example.com"),
        ("Full name", "Kim Keys"),
        ("Phone", "(217) 555-0123"),
        ("Address line 1", "1 Tab Street"),
        ("City", "Springfield"),
        ("State or region", "IL"),
        ("Postcode", "12345"),
    ]:
        type_into(page, page.get_by_label(label), text)
    tab_to(page, page.get_by_label("Collection date"))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Collection date")).not_to_have_value("")
    tab_to(page, page.get_by_label(re.compile("I am 18 or older")))
    page.keyboard.press("Space")
    expect(page.get_by_label(re.compile("I am 18 or older"))).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Place order"))
    page.keyboard.press("Enter")

    order_or_payment = page.get_by_role("button", name="Pay now").or_(page.get_by_text("Demo payment: no money moves."))
    expect(order_or_payment).to_be_visible()
    if page.get_by_role("button", name="Pay now").is_visible():
        tab_to(page, page.get_by_role("button", name="Pay now"))
        page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name=re.compile(r"^Pay \$\d")))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    assert Order.objects.get().status == Order.Status.PAID


WIDER_THAN_THE_SCREEN = """() => [...document.querySelectorAll("body *")]
    .filter(element => element.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
    .slice(0, 5)
    .map(element => element.outerHTML.slice(0, 120))"""


def sideways_scroll(page):
    """'' when the page fits the screen's width, else what scrolls sideways and the elements that stick out."""
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    return (
        f"{page.url} scrolls sideways by {overflow}px: {page.evaluate(WIDER_THAN_THE_SCREEN)}" if overflow > 0 else ""
    )


def test_catalogue_cart_and_checkout_stay_usable_on_a_phone(live_server, browser, shop):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(live_server.url)
    too_wide = [sideways_scroll(page)]

    navigation = page.get_by_role("navigation", name="Main navigation")
    all_animals = navigation.get_by_role("link", name="All animals")
    expect(all_animals).to_be_hidden()
    page.get_by_role("button", name="Toggle navigation").click()
    all_animals.click()
    too_wide.append(sideways_scroll(page))

    page.get_by_role("button", name="Filters").click()  # on a phone the filters fold into one button
    page.get_by_label("Search").fill("Bella")
    page.get_by_role("button", name="Show animals").click()
    page.get_by_role("region", name="Results").get_by_role("link", name="Bella").click()
    too_wide.append(sideways_scroll(page))
    page.get_by_role("button", name="Add to cart").click()

    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    expect(page.get_by_role("button", name="Remove Bella")).to_be_visible()
    too_wide.append(sideways_scroll(page))
    page.get_by_role("link", name="Proceed to checkout").click()
    too_wide.append(sideways_scroll(page))
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    pay_with_demo(page)
    too_wide.append(sideways_scroll(page))
    # The header's cart link stays in sight on a phone, and the cart is empty after the order.
    expect(navigation.get_by_role("link", name=CART_LINK)).to_be_visible()
    expect(navigation.get_by_role("link", name=CART_LINK)).to_have_text(re.compile(r"Cart\s*0"))
    assert Order.objects.get().status == Order.Status.PAID
    context.close()
    assert [page for page in too_wide if page] == []
