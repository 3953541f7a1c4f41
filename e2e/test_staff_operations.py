"""Issue 20's staff journey in Chromium: Collections, mark ready, hand over with the checklist, download the
handover pack, refund with the confirmation step."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from animals.models import Vaccination
from orders.models import Order
from payments.models import Payment, Refund

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_collect_hand_over_and_refund(live_server, page, shop):
    from accounts.tests.factories import PASSWORD, StaffFactory
    from orders.tests.factories import OrderFactory, OrderItemFactory
    from payments.tests.factories import PaymentFactory

    staff = StaffFactory()
    today = timezone.localdate()
    chip = "985141000123456"
    tom = shop["tom"]
    tom.microchipped, tom.microchip_number = True, chip
    tom.save(update_fields=["microchipped", "microchip_number"])
    Vaccination.objects.create(animal=tom, name="Feline panleukopenia", given_on=today - timedelta(days=20))
    collected = OrderFactory(
        status=Order.Status.PAID, total=shop["tom"].price, full_name="Jo Collector", collection_date=today
    )
    OrderItemFactory(order=collected, animal=shop["tom"])
    refunded = OrderFactory(
        status=Order.Status.PAID,
        total=shop["bella"].price + shop["max"].price,
        full_name="Sam Changed-Mind",
        collection_date=today + timedelta(days=2),
    )
    bella_line = OrderItemFactory(order=refunded, animal=shop["bella"])
    OrderItemFactory(order=refunded, animal=shop["max"])
    for order in (collected, refunded):
        PaymentFactory(order=order, provider=Payment.Provider.DEMO, status=Payment.Status.PAID, amount=order.total)
    bella_stock = shop["bella"].stock

    page.goto(f"{live_server.url}/admin/")
    expect(page.get_by_role("link", name="Petshop administration")).to_be_visible()
    page.get_by_label(re.compile("mail", re.IGNORECASE)).fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Petshop dashboard")).to_be_visible()
    expect(page.get_by_role("img", name="Collections in the next 7 days")).to_be_visible()

    # The day's collections, then the order of today's buyer.
    page.get_by_role("link", name="Open the collections list").click()
    today_section = page.get_by_role("region", name=re.compile("^Today"))
    expect(today_section.get_by_role("row", name=re.compile("Jo Collector"))).to_contain_text("Tom")
    expect(today_section.get_by_role("row", name=re.compile("Jo Collector"))).to_contain_text(f"Microchip {chip}")
    expect(today_section).to_contain_text("Paid")
    expect(page.get_by_role("row", name=re.compile("Sam Changed-Mind"))).to_be_visible()
    today_section.get_by_role("link", name=collected.reference, exact=True).click()

    # Mark ready: a confirmation page first.
    page.get_by_role("link", name="Mark ready").click()
    expect(page.get_by_text("the customer is told so by e-mail")).to_be_visible()
    page.get_by_role("button", name="Mark ready").click()
    expect(page.get_by_text(f"Order {collected.reference} is ready for collection.")).to_be_visible()
    expect(page.get_by_role("link", name="Mark ready")).to_have_count(0)

    # Hand over: every item of the checklist is needed.
    page.get_by_role("link", name="Hand over").click()
    page.get_by_label("Photo ID seen and the buyer is 18 or older").check()
    page.get_by_label("Care pack given").check()
    page.get_by_role("button", name="Hand over").click()  # the browser refuses: one item is not ticked
    expect(page.get_by_label("Microchip registration transferred to the buyer")).to_have_attribute("required", "")
    collected.refresh_from_db()
    assert collected.status == Order.Status.READY_FOR_COLLECTION
    page.get_by_label("Microchip registration transferred to the buyer").check()
    page.get_by_role("button", name="Hand over").click()
    expect(page.get_by_text(f"Order {collected.reference} is handed over and completed.")).to_be_visible()
    history = page.locator("#order-history")
    expect(history).to_contain_text("Ready for collection")
    expect(history).to_contain_text("Completed: handed over")
    expect(history).to_contain_text(staff.get_username())
    collected.refresh_from_db()
    assert collected.status == Order.Status.COMPLETED and collected.handed_over_by == staff

    # The handover pack: the receipt and Tom's care sheet, with his microchip number.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Handover pack (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"handover-pack-{collected.reference}.pdf"
    pack = "\n".join(p.extract_text() for p in PdfReader(Path(download.path())).pages)
    assert "Care sheet · Tom" in pack and chip in pack and "Feline panleukopenia" in pack and "Jo Collector" in pack

    # Refund one line of the other order, with the confirmation step; the animal goes back to stock.
    page.goto(f"{live_server.url}{reverse('admin:orders_order_change', args=[refunded.pk])}")
    page.get_by_role("link", name="Refund").click()
    page.get_by_label("Only the lines ticked below").check()
    page.get_by_label(re.compile("Bella")).check()
    expect(page.get_by_label("Return the animals to stock")).to_be_checked()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Please confirm the refund")).to_be_visible()
    expect(page.get_by_text("$450.00")).to_be_visible()
    assert not Refund.objects.exists()
    page.get_by_role("button", name="Refund").click()
    expect(page.get_by_text(f"Refunded $450.00 for {refunded.reference}.")).to_be_visible()
    expect(page.locator("#order-history")).to_contain_text("Lines refunded")

    bella_line.refresh_from_db()
    shop["bella"].refresh_from_db()
    assert bella_line.is_refunded and shop["bella"].stock == bella_stock + 1
    assert Refund.objects.get().amount == shop["bella"].price


@pytest.mark.parametrize("width", [1280, 390])
def test_staff_pages_have_no_serious_accessibility_problems(live_server, page, shop, width):
    from axe_playwright_python.sync_playwright import Axe

    from accounts.tests.factories import StaffFactory
    from e2e.test_accessibility import audit
    from orders.services import order_mark_ready
    from orders.tests.factories import OrderFactory, OrderItemFactory
    from payments.tests.factories import PaymentFactory

    page.set_viewport_size({"width": width, "height": 900})
    order = OrderFactory(status=Order.Status.PAID, total=shop["tom"].price, collection_date=timezone.localdate())
    OrderItemFactory(order=order, animal=shop["tom"])
    PaymentFactory(order=order, provider=Payment.Provider.DEMO, status=Payment.Status.PAID, amount=order.total)
    order_mark_ready(order_id=order.pk)
    log_in(page, live_server, StaffFactory())
    axe = Axe()
    found = {}
    for name, path in [
        ("dashboard", reverse("admin:index")),
        ("order list", reverse("admin:orders_order_changelist")),
        ("collections", reverse("admin:orders_order_collections")),
        ("order", reverse("admin:orders_order_change", args=[order.pk])),
        ("hand over", reverse("admin:orders_order_hand_over", args=[order.pk])),
        ("refund", reverse("admin:orders_order_refund", args=[order.pk])),
    ]:
        page.goto(f"{live_server.url}{path}")
        expect(page.get_by_role("link", name="Petshop administration")).to_be_visible()
        found[name] = audit(page, axe)
    page.get_by_role("button", name="Continue").click()
    found["refund confirmation"] = audit(page, axe)
    assert {name: problems for name, problems in found.items() if problems} == {}


def log_in(page, live_server, staff):
    from accounts.tests.factories import PASSWORD

    page.goto(f"{live_server.url}/admin/")
    page.get_by_label(re.compile("mail", re.IGNORECASE)).fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Petshop dashboard")).to_be_visible()
