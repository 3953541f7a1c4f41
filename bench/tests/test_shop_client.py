import pytest
from shop_client import ShopError, find_form, find_payment_form, form_as_submitted, order_reference, parse_forms

CHECKOUT = """
<form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t1">
  <button type="submit">Log out</button></form>
<form method="post" action="/checkout/" novalidate>
  <input type="hidden" name="csrfmiddlewaretoken" value="t2">
  <input type="email" name="email" value="">
  <select name="collection_date"><option value="">Choose a day</option>
    <option value="2026-12-01">Tuesday</option><option value="2026-12-02" selected>Wednesday</option></select>
  <textarea name="note">Hello &amp; bye</textarea>
  <input type="checkbox" name="adult_confirmed"><input type="checkbox" name="news" checked>
  <input type="hidden" name="checkout_token" value="abc">
  <button type="submit">Place order</button>
</form>
"""

DEMO = """
<h1>Pay for order PS-AB2CD3</h1>
<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t3">
  <button type="submit" name="action" value="pay">Pay 10.00 USD</button>
  <button type="submit" name="action" value="fail">Fail</button>
  <button type="submit" name="action" value="cancel">Cancel</button>
</form>
"""


def test_find_form_picks_the_form_posting_to_the_action_with_its_fields():
    form = find_form(CHECKOUT, "/checkout/")
    assert form.fields["csrfmiddlewaretoken"] == "t2"
    assert form.fields["checkout_token"] == "abc"
    assert form.selects["collection_date"] == ["", "2026-12-01", "2026-12-02"]
    assert form.checkboxes == ["adult_confirmed", "news"]


def test_form_as_submitted_keeps_selected_options_ticked_boxes_and_textarea_text():
    data = form_as_submitted(find_form(CHECKOUT, "/checkout/"))
    assert data["collection_date"] == "2026-12-02"
    assert data["note"] == "Hello & bye"
    assert data["news"] == "on"
    assert "adult_confirmed" not in data


def test_find_form_says_which_form_is_missing():
    with pytest.raises(ShopError, match="/cart/add/"):
        find_form(CHECKOUT, "/cart/add/")


def test_find_payment_form_finds_the_demo_pay_buttons_and_not_a_logout_form():
    form = find_payment_form(DEMO + CHECKOUT, page="/payments/demo/x/")
    assert ("action", "pay", "Pay 10.00 USD") in form.buttons
    with pytest.raises(ShopError, match="no pay button"):
        find_payment_form(CHECKOUT, page="/checkout/")


def test_order_reference_reads_the_reference_from_an_address_or_a_page():
    assert order_reference("/orders/PS-AB2CD3/") == "PS-AB2CD3"
    assert order_reference(DEMO) == "PS-AB2CD3"
    assert order_reference("/payments/demo/cs_123/") == ""
    assert len(parse_forms(DEMO)) == 1
