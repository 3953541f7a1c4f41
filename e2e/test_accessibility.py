"""Accessibility audit of issue 8: axe-core on the customer pages, plus alt texts and labels checked directly."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from e2e.test_journeys import fill_checkout
from orders.models import Order

pytestmark = pytest.mark.django_db(transaction=True)

BLOCKING_IMPACTS = {"serious", "critical"}
# Images whose alt text is missing, empty, a file name or a placeholder word.
BAD_ALT_TEXTS = """() => [...document.images]
    .filter(image => !image.closest("[aria-hidden=true]"))
    .filter(image => {
        const alt = (image.getAttribute("alt") || "").trim();
        return alt.length < 3 || /\\.(jpe?g|png|gif|webp|svg)$/i.test(alt) || /^(image|photo|picture|img)$/i.test(alt);
    })
    .map(image => image.outerHTML)"""
# Form fields (not hidden, not buttons) with no <label for>, wrapping label, aria-label or aria-labelledby.
UNLABELLED_FIELDS = """() => [...document.querySelectorAll("input, select, textarea")]
    .filter(field => !["hidden", "submit", "button", "reset", "image"].includes(field.type))
    .filter(field => field.labels.length === 0 && !field.getAttribute("aria-label")
                     && !field.getAttribute("aria-labelledby"))
    .map(field => field.outerHTML)"""


def audit(page, axe):
    """The problems on the page now: axe's serious or critical violations, bad alt texts, unlabelled fields."""
    violations = axe.run(page).response["violations"]
    problems = [
        f"{violation['id']} ({violation['impact']}): {violation['help']} -> "
        + "; ".join(node["html"][:150] for node in violation["nodes"][:3])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    problems += [f"image without meaningful alt text: {html}" for html in page.evaluate(BAD_ALT_TEXTS)]
    problems += [f"form field without a label: {html}" for html in page.evaluate(UNLABELLED_FIELDS)]
    return problems


def submit_without_browser_checks(page, button_name):
    """Submit a form empty, letting the server (not the browser's own checks) report the errors."""
    button = page.get_by_role("button", name=button_name)
    button.evaluate("button => { button.form.noValidate = true; }")
    button.click()


def test_customer_pages_have_no_serious_accessibility_problems(live_server, page, shop):
    axe = Axe()
    bella = shop["bella"]
    found = {}

    def check(name):
        expect(page.locator("main")).to_be_visible()
        found[name] = audit(page, axe)

    page.goto(live_server.url)
    check("home")
    page.goto(live_server.url + reverse("animals:list"))
    check("list")
    page.goto(live_server.url + reverse("animals:species", args=["dogs"]) + "?sex=nonsense&price_min=-5")
    check("list with invalid filters")
    page.goto(live_server.url + bella.get_absolute_url())
    check("detail")
    page.get_by_role("button", name="Add to cart").click()
    page.goto(live_server.url + shop["litter"].get_absolute_url())
    page.get_by_role("button", name="Add to cart").click()
    check("cart")
    page.get_by_role("link", name="Proceed to checkout").click()
    check("checkout")
    submit_without_browser_checks(page, "Place order")
    expect(page.get_by_text(re.compile("This field is required|Please confirm")).first).to_be_visible()
    check("checkout with errors")
    fill_checkout(page)
    page.get_by_role("button", name="Place order").click()
    order = Order.objects.get()
    page.goto(live_server.url + order.get_absolute_url())
    check("order")

    context = page.context.browser.new_context()
    guest = context.new_page()
    for name in ["check_inbox", "confirmation_resend", "login", "signup"]:
        guest.goto(live_server.url + reverse(f"accounts:{name}"))
        expect(guest.locator("main")).to_be_visible()
        found[name] = audit(guest, axe)
    submit_without_browser_checks(guest, "Create my account")
    expect(guest.get_by_text("This field is required.").first).to_be_visible()
    found["signup with errors"] = audit(guest, axe)
    guest.goto(live_server.url + reverse("accounts:confirm_email", args=["expired-or-forged"]))
    expect(guest.get_by_text("expired or was already used")).to_be_visible()
    found["confirm_email (bad link)"] = audit(guest, axe)
    context.close()

    report = [f"{name}: {problem}" for name, problems in found.items() for problem in problems]
    assert report == [], "\n".join(report)
