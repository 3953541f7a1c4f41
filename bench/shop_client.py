"""A customer of the shop over HTTP, for the load and scale-out scripts: add to cart, check out, pay (demo).

Works with a `requests.Session` (base = "http://127.0.0.1:PORT") and with locust's HttpSession (base = "",
which prefixes its own host). Forms are read from the pages themselves (hidden fields, CSRF token, the
collection-day choices), so the script follows the shop's templates instead of guessing them.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

CUSTOMER = {
    "email": "load@example.com",
    "full_name": "Load Test",
    "phone": "+1 555 0100",
    "address_line1": "1 Loopback Road",
    "address_line2": "",
    "city": "Localhost",
    "postcode": "12345",
    "country": "Testland",
    "note": "",
}


class ShopError(Exception):
    """The shop did not answer as a customer would expect (the message says what happened)."""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    selects: dict[str, list[str]] = field(default_factory=dict)  # name -> option values, in order
    selected: dict[str, str] = field(default_factory=dict)  # name -> the option marked selected
    checkboxes: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # (name, value, label)


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._select = None
        self._button = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self.forms.append(Form(action=attrs.get("action", ""), method=attrs.get("method", "get").lower()))
            return
        if not self.forms:
            return
        form = self.forms[-1]
        name = attrs.get("name", "")
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            if kind == "checkbox" and name:
                form.checkboxes.append(name)
                if "checked" in attrs:
                    form.checked.append(name)
            elif kind == "submit":
                form.buttons.append((name, attrs.get("value", ""), attrs.get("value", "")))
            elif name and kind not in {"radio", "file", "button", "reset"}:
                form.fields[name] = attrs.get("value", "")
        elif tag == "select" and name:
            self._select = name
            form.selects[name] = []
        elif tag == "option" and self._select:
            form.selects[self._select].append(attrs.get("value", ""))
            if "selected" in attrs:
                form.selected[self._select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            form.fields[name] = ""
            self._textarea = name
        elif tag == "button" and attrs.get("type", "submit").lower() == "submit":
            self._button = [name, attrs.get("value", ""), ""]

    def handle_data(self, data):
        if self._textarea is not None and self.forms:
            self.forms[-1].fields[self._textarea] += data
        if self._button is not None:
            self._button[2] += data.strip()

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None:
            if self.forms:
                self.forms[-1].buttons.append(tuple(self._button))
            self._button = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def find_form(html: str, action_contains: str, page: str = "") -> Form:
    """The POST form whose action contains ACTION_CONTAINS ("" matches a form posting to its own page)."""
    for form in parse_forms(html):
        if form.method == "post" and (action_contains in form.action or (not action_contains and not form.action)):
            return form
    raise ShopError(f"no POST form for {action_contains or 'this page'!r} on {page or 'the page'}")


def _path(url: str) -> str:
    return urlsplit(url).path


def _csrf_token(session) -> str:
    for cookie in session.cookies:
        if cookie.name == "csrftoken":
            return cookie.value
    return ""


def _check(response, expected: tuple[int, ...], what: str):
    if response.status_code not in expected:
        raise ShopError(f"{what}: HTTP {response.status_code} at {_path(response.url)}")
    return response


def add_to_cart(session, base: str, *, animal_id: int, quantity: int = 1, page: str = "/") -> None:
    """GET a page (for the CSRF cookie), then POST cart:add as the animal page's button does."""
    if not _csrf_token(session):
        _check(session.get(base + page), (200,), f"GET {page}")
        if not _csrf_token(session):  # no form on the page (the animal is sold): a customer cannot add it
            raise ShopError(f"no add-to-cart form on {page}")
    response = session.post(
        base + "/cart/add/",
        data={"animal_id": animal_id, "quantity": quantity, "csrfmiddlewaretoken": _csrf_token(session)},
        headers={"Referer": base + page},
        allow_redirects=False,
    )
    _check(response, (302, 303), "add to cart")


def cart_page(session, base: str) -> str:
    return _check(session.get(base + "/cart/"), (200,), "cart page").text


def checkout(session, base: str, *, email: str = CUSTOMER["email"]) -> str:
    """Fill in and post the checkout form; returns the address the shop redirects to (the payment start)."""
    page = _check(session.get(base + "/checkout/"), (200,), "checkout page")
    try:
        form = find_form(page.text, "/checkout/", page="/checkout/")
    except ShopError:
        form = find_form(page.text, "", page="/checkout/")
    data = dict(form.fields)
    for name, value in CUSTOMER.items():
        if name in data:
            data[name] = value
    data["email"] = email
    for name, options in form.selects.items():
        choices = [option for option in options if option]
        if not choices:
            raise ShopError(f"checkout: no choice offered for {name}")
        data[name] = choices[0]
    for name in form.checkboxes:
        data[name] = "on"
    response = session.post(
        base + (form.action or "/checkout/"), data=data, headers={"Referer": page.url}, allow_redirects=False
    )
    if response.status_code == 200:
        errors = re.findall(r'class="[^"]*invalid-feedback[^"]*"[^>]*>\s*(?:<strong>)?([^<]+)', response.text)
        alerts = re.findall(r'class="alert[^"]*"[^>]*>\s*([^<]+)', response.text)
        raise ShopError(f"checkout refused: {'; '.join(e.strip() for e in errors + alerts) or 'form shown again'}")
    _check(response, (302, 303), "checkout")
    return urljoin(page.url, response.headers["Location"])


def order_reference(location: str) -> str:
    """The order reference (PS-XXXXXX) in an address, or ""."""
    match = re.search(r"PS-[0-9A-Z]{6}", location)
    return match.group(0) if match else ""


def placed_order_reference(session, base: str, *, location: str) -> str:
    """The reference of the order the checkout just placed: in the address it redirected to, or on that page."""
    reference = order_reference(location)
    if not reference:
        reference = order_reference(_check(session.get(base + _path(location)), (200,), "after checkout").text)
    return reference


def pay_demo(session, base: str, *, start_url: str) -> tuple[str, str]:
    """From where the checkout sent us, reach the demo provider's page and press Pay.

    Goes through the order page's "Pay" form (payments:start) when the checkout leads there first.
    Returns (the order reference seen on the way, the final address: the payment success page).
    """
    reference = order_reference(start_url)
    response = session.get(base + _path(start_url))
    for _hop in range(3):
        _check(response, (200,), "payment page")
        reference = reference or order_reference(response.text)
        form = find_payment_form(response.text, page=_path(response.url))
        data = dict(form.fields)
        for name, value, label in form.buttons:
            if name and re.search(r"pay|succe|complete", f"{value} {label}", re.IGNORECASE):
                data[name] = value
                break
        target = base + _path(urljoin(response.url, form.action or response.url))
        response = session.post(target, data=data, headers={"Referer": response.url}, allow_redirects=True)
        if "/payments/start/" not in target:  # that was the provider's own Pay button
            _check(response, (200,), "demo payment")
            if "/payments/success/" not in response.url:
                raise ShopError(f"demo payment ended on {_path(response.url)}, not on the success page")
            return reference, response.url
    raise ShopError("no demo payment page reached")


def find_payment_form(html: str, page: str) -> Form:
    for form in parse_forms(html):
        if form.method != "post":
            continue
        labels = " ".join(f"{name} {value} {label}" for name, value, label in form.buttons)
        if re.search(r"pay|succe|complete", labels, re.IGNORECASE) and not re.search(r"^\s*cancel", labels, re.I):
            return form
    raise ShopError(f"no pay button on {page}")


def form_as_submitted(form: Form) -> dict[str, str]:
    """The data a browser would post for FORM untouched: its values, selected options and ticked boxes."""
    data = dict(form.fields)
    data.update(form.selected)
    for name in form.checked:
        data[name] = "on"
    return data


def admin_login(session, base: str, *, email: str, password: str) -> None:
    page = _check(session.get(base + "/admin/login/"), (200,), "admin login page")
    form = find_form(page.text, "/admin/login/", page="/admin/login/")
    data = {**form.fields, "username": email, "password": password}
    response = session.post(base + "/admin/login/", data=data, headers={"Referer": page.url}, allow_redirects=False)
    _check(response, (302,), "admin login (wrong password or locked out?)")


def admin_change(session, base: str, *, path: str, changes: dict[str, str]) -> None:
    """Open an admin change form, change some fields, save; raise with the admin's errors if refused."""
    page = _check(session.get(base + path), (200,), f"admin page {path}")
    form = max(parse_forms(page.text), key=lambda candidate: len(candidate.fields))
    data = {**form_as_submitted(form), **changes, "_save": "Save"}
    response = session.post(base + path, data=data, headers={"Referer": page.url}, allow_redirects=False)
    if response.status_code != 302:
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', response.text, re.DOTALL)
        raise ShopError(f"admin refused the change: {' '.join(re.sub('<[^>]+>', ' ', e) for e in errors)}")
