"""Issue 19's journeys in Chromium: a failed payment then Try again, cancelling an order, the two-tab change.

With E2E_SCREENSHOTS=<folder> set, each journey also saves full-page screenshots of the pages it changes,
on a desktop and a 390 px wide phone screen.
"""

import os
import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.tests.factories import PASSWORD, AddressFactory, UserFactory
from e2e.test_journeys import CART_LINK, fill_checkout
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


def shoot(page, name):
    folder = os.environ.get("E2E_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in [("desktop", DESKTOP), ("phone", PHONE)]:
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def checkout(page, live_server, animal, *, quantity=None):
    page.goto(live_server.url + animal.get_absolute_url())
    if quantity:
        page.get_by_label("Quantity").fill(str(quantity))
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_checkout(page)


def test_a_failed_payment_then_try_again_then_paid(live_server, page, shop, settings):
    settings.SITE_URL = live_server.url
    page.set_viewport_size(DESKTOP)
    checkout(page, live_server, shop["bella"])
    shoot(page, "checkout")
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("button", name="Fail").click()

    expect(page.get_by_role("heading", name="Your payment did not go through")).to_be_visible()
    expect(page.get_by_text("nothing was charged", exact=False).first).to_be_visible()
    shoot(page, "payment-failed")
    first = Order.objects.get()
    assert first.status == Order.Status.EXPIRED

    page.get_by_role("button", name="Try again").click()
    expect(page.get_by_text("Demo payment: no money moves.")).to_be_visible()  # straight to payment
    page.get_by_role("button", name=re.compile(r"^Pay \$\d")).click()
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    second = Order.objects.exclude(pk=first.pk).get()
    assert second.status == Order.Status.PAID
    assert [item.animal_id for item in second.items.all()] == [shop["bella"].pk]

    page.get_by_role("link", name="See your order").click()
    expect(page.get_by_role("heading", name=f"Order {second.reference}")).to_be_visible()
    expect(page.locator(".badge.text-bg-success", has_text="Paid")).to_be_visible()
    collection = page.get_by_role("region", name="Collecting your animals")
    expect(collection).to_contain_text(settings.SHOP_ADDRESS)
    expect(collection).to_contain_text("photo ID")
    expect(collection.get_by_role("link", name=re.compile("Show on a map"))).to_have_attribute(
        "href", re.compile(r"^https://www\.openstreetmap\.org/search\?query=")
    )
    with page.expect_download() as download:
        collection.get_by_role("link", name=re.compile("Add to my calendar")).click()
    assert "BEGIN:VEVENT" in Path(download.value.path()).read_text()
    shoot(page, "order-paid")
    page.reload()
    expect(page.get_by_text("Thank you!")).to_have_count(0)  # only right after placing


def test_a_cancelled_order_s_animal_is_at_once_back_on_sale(live_server, page, shop, browser):
    bella = shop["bella"]
    checkout(page, live_server, bella)
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("button", name="Cancel").click()

    # Back on the order, which offers Pay now and Cancel order.
    expect(page.get_by_text("Payment cancelled: nothing was charged.")).to_be_visible()
    expect(page.get_by_role("button", name="Pay now")).to_be_visible()
    shoot(page, "order-pending")
    other = browser.new_context()
    someone_else = other.new_page()
    someone_else.goto(live_server.url + bella.get_absolute_url())
    expect(someone_else.get_by_role("button", name="Add to cart")).to_have_count(0)  # reserved

    page.get_by_role("button", name="Cancel order").click()
    expect(page.locator(".badge.text-bg-secondary", has_text="Cancelled")).to_be_visible()
    expect(page.get_by_role("button", name="Pay now")).to_have_count(0)
    shoot(page, "order-cancelled")
    assert Order.objects.get().status == Order.Status.CANCELLED
    assert any("cancelled" in message.subject for message in mail.outbox)

    someone_else.reload()
    expect(someone_else.get_by_role("button", name="Add to cart")).to_be_visible()
    other.close()


def test_a_cart_changed_in_another_tab_is_shown_before_ordering(live_server, page, shop):
    litter = shop["litter"]
    checkout(page, live_server, litter)
    second_tab = page.context.new_page()
    second_tab.goto(live_server.url)
    second_tab.get_by_role("link", name=CART_LINK).click()
    second_tab.get_by_label("Quantity of Beagle litter").fill("3")
    second_tab.get_by_role("button", name="Update").click()
    expect(second_tab.get_by_role("row", name=re.compile("Beagle litter"))).to_contain_text("900.00")

    page.bring_to_front()
    page.get_by_role("button", name="Place order").click()
    alert = page.get_by_role("alert").filter(has_text="Your cart changed")
    expect(alert).to_contain_text("Beagle litter: 3 instead of 1.")
    expect(page.get_by_role("row", name=re.compile("Beagle litter"))).to_contain_text("900.00")
    shoot(page, "checkout-cart-changed")
    assert Order.objects.count() == 0

    page.get_by_label(re.compile("I am 18 or older")).check()
    page.get_by_role("button", name="Place order").click()
    expect(page.get_by_text("Demo payment: no money moves.")).to_be_visible()
    assert Order.objects.get().items.get().quantity == 3


def test_account_pages_log_in_history_address_question_and_log_out(live_server, page, shop):
    user = UserFactory(email="sam@example.com")
    address = AddressFactory(user=user, is_default=False, line1="3 Orchard Close")
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Log in").click()
    email = page.get_by_label("E-mail")
    expect(email).to_have_attribute("type", "email")
    email.fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    checkout(page, live_server, shop["daisy"])
    page.get_by_role("button", name="Place order").click()
    page.get_by_role("button", name=re.compile(r"^Pay \$\d")).click()
    page.get_by_role("link", name="My orders").click()
    row = page.get_by_role("listitem").filter(has_text="PS-")
    expect(row).to_contain_text("Daisy")
    expect(row.locator(".badge.text-bg-success")).to_have_text("Paid")
    shoot(page, "account-orders")

    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name=re.compile("^Delete")).click()
    expect(page.get_by_role("heading", name="Delete this address?")).to_be_visible()
    shoot(page, "address-delete")
    page.get_by_role("link", name="No, keep it").click()
    expect(page.get_by_role("link", name="Delete 3 Orchard Close")).to_be_visible()
    page.get_by_role("link", name=re.compile("^Delete")).click()
    page.get_by_role("button", name="Yes, delete it").click()
    expect(page.get_by_text("Address deleted.")).to_be_visible()
    assert not user.addresses.filter(pk=address.pk).exists()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_text("You are logged out.")).to_be_visible()


def test_the_region_field_follows_the_country(live_server, page, shop):
    page.goto(live_server.url + shop["bella"].get_absolute_url())
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name="Proceed to checkout").click()
    region = page.get_by_label("State or region")
    expect(region).to_be_visible()  # the shop's country, the US, has states
    expect(page.get_by_text("State: needed for an address in United States of America.")).to_be_visible()
    page.get_by_label("Country").select_option("FR")
    expect(region).to_be_hidden()
    page.get_by_label("Country").select_option("CA")
    expect(region).to_be_visible()
    expect(region).to_have_attribute("required", "")
    expect(page.get_by_text("Province: needed for an address in Canada.")).to_be_visible()


def test_a_guest_order_appears_in_the_account_after_verifying_the_same_address(live_server, page, shop, settings):
    from e2e.test_journeys import CONFIRM_LINK, pay_with_demo

    settings.SITE_URL = live_server.url  # the links in the e-mails
    page.set_viewport_size(DESKTOP)
    checkout(page, live_server, shop["bella"])
    page.get_by_label("E-mail").fill("Jo.Guest@example.com")
    page.get_by_role("button", name="Place order").click()
    pay_with_demo(page)
    order = Order.objects.get()
    assert order.user is None

    # The same address signs up: until the link in the e-mail is opened, the account holds nothing.
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail").fill("jo.guest@example.com")
    page.get_by_label("Your name").fill("Jo Guest")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    order.refresh_from_db()
    assert order.user is None

    page.goto(CONFIRM_LINK.search(mail.outbox[-1].body).group(0))
    page.get_by_label("Your password").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_text("Your e-mail address is confirmed.", exact=False)).to_be_visible()
    page.get_by_role("link", name="My orders").click()
    row = page.get_by_role("listitem").filter(has_text=order.reference)
    expect(row).to_contain_text("Bella")
    expect(row.locator(".badge.text-bg-success")).to_have_text("Paid")
    row.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("heading", name=f"Order {order.reference}")).to_be_visible()
