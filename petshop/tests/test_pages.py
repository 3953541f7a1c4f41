import logging
import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse, set_script_prefix

from petshop.logging import KeyValueFormatter, RequestIdFilter, request_id_var

pytestmark = pytest.mark.django_db


def test_base_layout_has_language_viewport_skip_link_and_navigation(client):
    html = client.get("/no-such-page/").content.decode()
    assert '<html lang="en">' in html
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert 'href="#main">Skip to content</a>' in html
    assert 'id="main"' in html
    for name in ("animals:list", "cart:detail", "accounts:login", "accounts:signup"):
        assert f'href="{reverse(name)}"' in html


def test_the_header_links_of_a_signed_in_customer(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ann@example.com", "pw-long-enough-1"))
    html = client.get(reverse("animals:home")).text
    for name in ("animals:home", "animals:list", "cart:detail", "accounts:orders", "accounts:profile"):
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("accounts:logout")}"' in html


def test_the_header_links_follow_the_script_prefix_of_each_request(client):
    # The header's links are reversed once per script prefix (petshop.context_processors): a site served
    # under /shop links under /shop, and the same process serving it at / links at /.
    set_script_prefix("/shop/")  # what Django's WSGI handler does for a request with SCRIPT_NAME=/shop
    try:
        under_shop = client.get("/cart/").text
    finally:
        set_script_prefix("/")
    assert 'href="/shop/animals/"' in under_shop and 'href="/shop/cart/"' in under_shop
    at_root = client.get("/cart/").text
    assert 'href="/animals/"' in at_root and "/shop/" not in at_root


def test_friendly_404_in_the_shops_look(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We couldn't find that page" in response.content.decode()
    assert "Skip to content" in response.content.decode()


@pytest.mark.urls("petshop.tests.urls_failing")
def test_friendly_500_without_a_traceback():
    response = Client(raise_request_exception=False).get("/failing/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "Something went wrong on our side" in html
    assert "secret internal detail" not in html and "Traceback" not in html


def test_missing_csrf_token_gets_a_friendly_403():
    response = Client(enforce_csrf_checks=True).post(reverse("accounts:login"), {"username": "a@b.c"})
    assert response.status_code == 403
    assert "Your form expired" in response.content.decode()


def test_bad_host_header_gets_400(client):
    assert client.get("/no-such-page/", HTTP_HOST="evil.example.com").status_code == 400


def test_security_headers(client):
    response = client.get("/no-such-page/")
    csp = response.headers["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    # scripts: our own files, or an inline script carrying this response's nonce
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=_-]+')?", directives["script-src"])
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])


def test_bootstrap_comes_from_our_own_static_files_not_a_cdn(client):
    html = client.get("/no-such-page/").content.decode()
    assert finders.find("bootstrap/css/bootstrap.min.css")
    assert finders.find("bootstrap/js/bootstrap.bundle.min.js")
    assert "/static/bootstrap/css/bootstrap.min.css" in html
    assert "/static/bootstrap/js/bootstrap.bundle.min.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


def _walk(resolver, prefix=""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{entry.namespace}:" if entry.namespace else ""
            yield from _walk(entry, prefix + namespace)
        elif isinstance(entry, URLPattern):
            yield prefix + (entry.name or entry.lookup_str), entry.callback


def test_the_stripe_webhook_is_the_only_csrf_exempt_view_besides_the_json_api_and_one_click_unsubscribe():
    # The JSON API (api-v1:) takes bearer tokens only, never the session cookie (api/tests/test_auth.py). An
    # alert's unsubscribe link is POSTed by mail programs (RFC 8058) and carries its own signed token; it only
    # deletes the alert it was signed for (alerts/tests/test_alerts.py).
    exempt = {name for name, callback in _walk(get_resolver()) if getattr(callback, "csrf_exempt", False)}
    assert {name for name in exempt if not name.startswith("api-v1:")} == {"payments:webhook", "alerts:unsubscribe"}


def test_log_lines_are_key_value_with_the_request_id():
    record = logging.LogRecord("orders", logging.WARNING, __file__, 1, "stock too low", None, None)
    record.order = "PS-ABC234"
    token = request_id_var.set("req-42")
    try:
        RequestIdFilter().filter(record)
    finally:
        request_id_var.reset(token)
    line = KeyValueFormatter().format(record)
    assert "level=WARNING" in line
    assert "request_id=req-42" in line
    assert "msg='stock too low'" in line
    assert "order='PS-ABC234'" in line


def test_a_proxys_request_id_is_kept_and_a_malformed_one_replaced(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="lb-1234").headers["X-Request-ID"] == "lb-1234"
    replaced = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\nwith newline").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)
