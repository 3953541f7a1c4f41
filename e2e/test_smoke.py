import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_pages_work_under_the_content_security_policy(live_server, page, console_errors):
    response = page.goto(f"{live_server.url}/no-such-page/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("heading", name="We couldn't find that page")).to_be_visible()
    # Bootstrap's own stylesheet and script loaded from our static files under the policy.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.btn-success')).backgroundColor") != "rgba(0, 0, 0, 0)"
    )
    assert page.evaluate("typeof window.bootstrap") == "object"
    # The only console error is the page's own 404 status: nothing was refused by the policy.
    assert [error for error in console_errors if "404" not in error] == []


def test_navigation_collapses_on_a_phone(live_server, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live_server.url}/no-such-page/")
    toggle = page.get_by_role("button", name="Toggle navigation")
    expect(toggle).to_be_visible()
    expect(page.get_by_role("link", name="All animals")).to_be_hidden()
    toggle.click()
    expect(page.get_by_role("link", name="All animals")).to_be_visible()
    context.close()
