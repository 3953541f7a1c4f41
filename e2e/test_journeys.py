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
CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm/[\w:.-]+/")
RUN_ACTION = re.compile("^(Run|Go)$")  # the admin action button (Django 6.1 says Run)


def fill_checkout(page, *, email="guest@example.com", details=True):
    """Fill the checkout form the way a buyer does: their details, a collection day and the confirmation."""
    if details:
        page.get_by_label("E-mail").fill(email)
        page.get_by_label("Full name").fill("Gina Guest")
        page.get_by_label("Phone").fill("(217) 555-0199")
        page.get_by_label("Address line 1").fill("7 Meadow Road")
        page.get_by_label("City").fill("Springfield")
        page.get_by_label("Postcode").fill("12345")
        page.get_by_label("Country").select_option("US")
        page.get_by_label("State or region").fill("IL")
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
    page.get_by_role("button", name=re.compile(r"^Pay \$\d")).click()
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


def add_to_cart(page, live_server, animal):
    page.goto(live_server.url + animal.get_absolute_url())
    page.get_by_role("button", name="Add to cart").click()
    expect(page.get_by_role("row", name=re.compile(animal.name))).to_be_visible()


def test_customer_signs_up_keeps_the_cart_and_checks_out_with_a_saved_address(live_server, page, shop, settings):
    settings.SITE_URL = live_server.url  # the links in the e-mails
    # A guest fills the cart, then signs up: the answer is "check your inbox", whoever owns the address.
    add_to_cart(page, live_server, shop["tom"])
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("E-mail").fill("sam@example.com")
    page.get_by_label("Your name").fill("Sam Sample")
    page.get_by_label(re.compile(r"^\s*Password\W*$")).fill("a-long-and-unusual-passphrase")
    page.get_by_label("Password confirmation").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    # The link in the e-mail, opened in the same browser: confirmed, logged in, and the cart is still there.
    link = CONFIRM_LINK.search(mail.outbox[-1].body).group(0)
    assert link.startswith(live_server.url)
    page.goto(link)
    # The page asks for the password chosen at sign-up: a wrong one is explained and opens nothing.
    page.get_by_label("Your password").fill("not-the-passphrase")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_text("That is not the password this sign-up was made with.", exact=False)).to_be_visible()
    page.get_by_label("Your password").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Confirm my e-mail address").click()
    expect(page.get_by_text("Your e-mail address is confirmed. Welcome! Your account is ready.")).to_be_visible()
    page.get_by_role("link", name=CART_LINK).click()
    expect(page.get_by_role("row", name=re.compile("Tom"))).to_be_visible()
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    # A guest fills the cart, then logs in: the cart is still there.
    add_to_cart(page, live_server, shop["daisy"])
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("E-mail").fill("sam@example.com")
    page.get_by_label("Password").fill("a-long-and-unusual-passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="My orders")).to_be_visible()
    page.get_by_role("link", name=CART_LINK).click()
    expect(page.get_by_role("row", name=re.compile("Daisy"))).to_be_visible()

    # An address saved in the account fills in the checkout.
    page.get_by_role("link", name="My account").click()
    page.get_by_role("link", name="Add an address").click()
    page.get_by_label("Label").fill("Home")
    page.get_by_label("Full name").fill("Sam Sample")
    page.get_by_label("Address line 1").fill("3 Orchard Close")
    page.get_by_label("City").fill("Shelbyville")
    page.get_by_label("Postcode").fill("54321")
    page.get_by_label("Country").fill("United States")
    page.get_by_label("Use as my default address").check()
    page.get_by_role("button", name="Add address").click()
    expect(page.get_by_text("3 Orchard Close")).to_be_visible()

    page.get_by_role("link", name=CART_LINK).click()
    page.get_by_role("link", name="Proceed to checkout").click()
    expect(page.get_by_label("E-mail")).to_have_value("sam@example.com")
    expect(page.get_by_label("Address line 1")).to_have_value("3 Orchard Close")
    expect(page.get_by_label("City")).to_have_value("Shelbyville")
    expect(page.get_by_label("Postcode")).to_have_value("54321")
    page.get_by_label("Phone").fill("(217) 555-0142")
    expect(page.get_by_label("Country")).to_have_value("US")  # the saved address's "United States"
    page.get_by_label("State or region").fill("IL")
    fill_checkout(page, details=False)
    page.get_by_role("button", name="Place order").click()
    pay_with_demo(page)

    order = Order.objects.get()
    assert order.user.email == "sam@example.com"
    assert order.address_line1 == "3 Orchard Close"
    page.get_by_role("link", name="My orders").click()
    row = page.get_by_role("listitem").filter(has_text=order.reference)
    expect(row).to_contain_text("Paid")
    row.get_by_role("link", name=order.reference).click()
    expect(page.get_by_role("heading", name=f"Order {order.reference}")).to_be_visible()


@pytest.mark.postgres
def test_the_last_animal_goes_to_whoever_checks_out_first(live_server, browser, shop, require_postgres):
    bella = shop["bella"]
    first_context, second_context = browser.new_context(), browser.new_context()
    first, second = first_context.new_page(), second_context.new_page()
    for page in (first, second):
        page.set_default_timeout(10_000)
        add_to_cart(page, live_server, bella)
        page.get_by_role("link", name="Proceed to checkout").click()
        fill_checkout(page, email=f"buyer{id(page)}@example.com")

    first.get_by_role("button", name="Place order").click()
    pay_with_demo(first)
    second.get_by_role("button", name="Place order").click()
    expect(second.get_by_role("alert").filter(has_text="Bella")).to_be_visible()
    expect(second.get_by_role("button", name="Pay now")).to_have_count(0)

    assert Order.objects.count() == 1
    assert Payment.objects.count() == 1
    assert Order.objects.get().status == Order.Status.PAID
    bella.refresh_from_db()
    assert bella.stock == 0
    first_context.close()
    second_context.close()


def test_staff_add_a_photographed_animal_publish_it_and_handle_an_order(live_server, page, shop, tmp_path):
    from PIL import Image

    from accounts.tests.factories import PASSWORD, StaffFactory
    from orders.tests.factories import OrderFactory, OrderItemFactory

    staff = StaffFactory()
    order = OrderFactory(status=Order.Status.PAID, total=shop["tom"].price)
    OrderItemFactory(order=order, animal=shop["tom"])
    photo = tmp_path / "biscuit.jpg"
    Image.new("RGB", (900, 600), (200, 150, 90)).save(photo, "JPEG")

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label(re.compile("mail", re.IGNORECASE)).fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Petshop dashboard")).to_be_visible()

    # A new animal with an uploaded photo, saved unpublished, then published from the list.
    page.goto(f"{live_server.url}{reverse('admin:animals_animal_add')}")
    page.get_by_label("Name:").fill("Biscuit")
    page.get_by_label("Slug:").fill("biscuit")
    page.get_by_label("Species:").select_option(label="Dog")
    page.get_by_label("Sex:").select_option(label="Male")
    page.get_by_label("Date of birth:").fill("2025-01-15")
    page.get_by_label("Price:").fill("650.00")
    page.get_by_label("Stock:").fill("1")
    inline = page.get_by_role("table").filter(has=page.locator("input[type=file]")).first
    inline.locator("input[type=file]").first.set_input_files(photo)
    inline.locator("input[name$='-alt_text']").first.fill("Biscuit, a sandy puppy, sitting on the grass")
    inline.locator("input[name$='-is_main']").first.check()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text(re.compile("was added successfully"))).to_be_visible()

    row = page.get_by_role("row", name=re.compile("Biscuit"))
    row.get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Publish the selected animals")
    page.get_by_role("button", name=RUN_ACTION).click()
    expect(page.get_by_text("1 animal(s) published.")).to_be_visible()

    page.goto(f"{live_server.url}{reverse('animals:species', args=['dogs'])}")
    thumbnail = page.get_by_role("img", name="Biscuit, a sandy puppy, sitting on the grass")
    expect(thumbnail).to_be_visible()
    assert thumbnail.evaluate("image => image.complete && image.naturalWidth > 0")

    # The paid order moves to "ready for collection", then goes out as CSV.
    page.goto(f"{live_server.url}{reverse('admin:orders_order_changelist')}")
    page.get_by_role("row", name=re.compile(order.reference)).get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Mark ready for collection")
    page.get_by_role("button", name=RUN_ACTION).click()
    expect(page.get_by_text("1 order marked ready for collection.")).to_be_visible()
    order.refresh_from_db()
    assert order.status == Order.Status.READY_FOR_COLLECTION

    page.get_by_role("row", name=re.compile(order.reference)).get_by_role("checkbox").check()
    page.get_by_role("combobox", name=re.compile("^Action")).select_option(label="Export selected orders as CSV")
    with page.expect_download() as download:
        page.get_by_role("button", name=RUN_ACTION).click()
    csv_text = download.value.path().read_text()
    assert csv_text.splitlines()[0].startswith("reference,created,status")
    assert f"{order.reference}," in csv_text
    assert "ready_for_collection" in csv_text
