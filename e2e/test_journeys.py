"""The customer and staff journeys of issue 8, each driven through the real pages in Chromium."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from orders.models import Order
from payments.models import Payment

pytestmark = pytest.mark.django_db(transaction=True)

CART_LINK = re.compile(r"^Cart\b")
ORDER_LINK = re.compile(r"https?://\S+/orders/PS-\w+/\?token=[\w-]+")


def fill_checkout(page, *, email="guest@example.com", details=True):
    """Fill the checkout form the way a buyer does: their details, a collection day and the confirmation."""
    if details:
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Full name").fill("Gina Guest")
        page.get_by_label("Phone").fill("555-0199")
        page.get_by_label("Address line 1").fill("7 Meadow Road")
        page.get_by_label("City").fill("Springfield")
        page.get_by_label("Postcode").fill("12345")
        page.get_by_label("Country").fill("United States")
    page.get_by_label("Collection date").select_option(index=1)
    page.get_by_label(re.compile("I am 18 or older")).check()


def pay_with_demo(page):
    """From the order page (or straight from checkout) through the demo provider to the confirmation."""
    pay_now = page.get_by_role("button", name="Pay now")
    demo_notice = page.get_by_text("Demo payment: no money moves.")
    expect(pay_now.or_(demo_notice)).to_be_visible()
    if pay_now.is_visible():
        pay_now.click()
    expect(demo_notice).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Pay \d")).click()
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()


def test_guest_finds_an_animal_buys_it_and_comes_back_through_the_e_mail(live_server, page, shop, settings):
    settings.SITE_URL = live_server.url
    page.goto(live_server.url)

    # Species, then sex and price filters, then a search by breed.
    page.get_by_role("link", name=re.compile(r"^Dogs\b")).click()
    expect(page.get_by_role("heading", level=1, name=re.compile("Dogs"))).to_be_visible()
    page.get_by_label("Sex").select_option(label="Female")
    page.get_by_label("Max price").fill("500")
    page.get_by_role("button", name="Show animals").click()
    results = page.get_by_role("region", name="Results")
    expect(results.get_by_role("link", name="Daisy")).to_be_visible()
    expect(results.get_by_role("link", name="Bella")).to_be_visible()
    expect(results.get_by_role("link", name="Max")).to_have_count(0)
    page.get_by_label("Search").fill("beagle")
    page.get_by_role("button", name="Show animals").click()
    expect(results.get_by_role("link", name="Daisy")).to_have_count(0)
    results.get_by_role("link", name="Bella").click()

    # The animal's page, then into the cart; the batch of puppies too.
    expect(page.get_by_role("heading", level=1, name="Bella")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("Bella, a beagle"))).to_be_visible()
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.get_by_role("link", name="Keep browsing").click()
    page.get_by_label("Search").fill("litter")
    page.get_by_role("button", name="Show animals").click()
    results.get_by_role("link", name="Beagle litter").click()
    page.get_by_role("button", name="Add to cart").click()

    page.get_by_role("link", name=CART_LINK).click()
    expect(page.get_by_role("heading", name="Your cart")).to_be_visible()
    page.get_by_label("Quantity of Beagle litter").fill("3")
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_role("row", name=re.compile("Beagle litter"))).to_contain_text("900.00")
    page.get_by_role("button", name="Remove Bella").click()
    expect(page.get_by_role("link", name="Bella")).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("Subtotal"))).to_contain_text("900.00")

    # Checkout as a guest, pay with the demo provider.
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    pay_with_demo(page)
    order = Order.objects.get()
    assert order.status == Order.Status.PAID
    assert order.total == 900
    assert order.items.get().quantity == 3

    # The link in the e-mail opens the order in a fresh browser with no session at all.
    link = ORDER_LINK.search(mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url)
    other = page.context.browser.new_context()
    fresh = other.new_page()
    fresh.goto(link)
    expect(fresh.get_by_role("heading", name=f"Order {order.reference}")).to_be_visible()
    expect(fresh.get_by_text("Paid", exact=True)).to_be_visible()
    other.close()


def test_stripe_checkout_is_paid_by_a_signed_webhook(live_server, page, shop, fake_stripe):
    fake_stripe.webhook_url = live_server.url + reverse("payments:webhook")
    page.goto(live_server.url + shop["bella"].get_absolute_url())
    page.get_by_role("button", name="Add to cart").click()
    page.get_by_role("link", name=CART_LINK).click()
    page.get_by_role("link", name="Proceed to checkout").click()
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    pay_now = page.get_by_role("button", name="Pay now")
    if pay_now.is_visible():
        pay_now.click()

    # The browser is on the hosted page of the (fake) Stripe server, at the URL its API returned.
    session = next(iter(fake_stripe.sessions.values()))
    page.wait_for_url(session["url"])
    assert session["amount_total"] == 45000
    payment = Payment.objects.get()
    assert payment.checkout_session_id == session["id"]
    assert payment.order.status == Order.Status.PENDING_PAYMENT
    page.get_by_role("button", name="Pay", exact=True).click()

    # The signed checkout.session.completed webhook marked the order paid before the browser came back.
    expect(page.get_by_role("heading", name="Payment received")).to_be_visible()
    payment.order.refresh_from_db()
    assert payment.order.status == Order.Status.PAID
    page.get_by_role("link", name="See your order").click()
    expect(page.get_by_text("Paid", exact=True)).to_be_visible()
