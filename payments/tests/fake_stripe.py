"""A small stateful fake of Stripe's Checkout API, served over real HTTP on 127.0.0.1 (tests only).

    with FakeStripe(webhook_secret="whsec_...") as fake:
        settings.STRIPE_API_BASE = fake.url           # the official SDK talks to it

Endpoints: POST /v1/checkout/sessions (form-encoded, honours Idempotency-Key), GET /v1/checkout/sessions/<id>,
POST /v1/checkout/sessions/<id>/expire, POST /v1/refunds (capped at the amount paid), and a hosted page
GET /checkout/<id> whose Pay, Pay later (async), Decline and Expire buttons change the session, send the
matching signed webhook (`Stripe-Signature: t=...,v1=HMAC-SHA256`) and redirect the browser to the
success or cancel URL.

Webhooks: with `fake.webhook_url` set (e.g. `live_server.url + reverse("payments:webhook")`) they are POSTed
there before the browser is redirected; otherwise they wait in `fake.outbox` as (body bytes, signature header)
for the test to post through Django's test client. `fake.fail_next(status)` makes the next API call answer
with that status (0 closes the connection), to test outages. `fake.requests` records every API call.
"""

import hashlib
import hmac
import html
import json
import secrets
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    signature = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={signature}"


def _unflatten(pairs: dict[str, str]) -> dict:
    """`line_items[0][price_data][unit_amount]=1999` -> nested dicts (lists stay dicts keyed "0", "1"...)."""
    result: dict = {}
    for key, value in pairs.items():
        parts = key.replace("]", "").split("[")
        node = result
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return result


BUTTONS = [("pay", "Pay"), ("pay_async", "Pay later"), ("decline", "Decline"), ("expire", "Expire")]


class FakeStripe:
    def __init__(self, *, webhook_secret: str, webhook_url: str = ""):
        self.webhook_secret = webhook_secret
        self.webhook_url = webhook_url
        self.sessions: dict[str, dict] = {}
        self.refunds: list[dict] = []
        self.requests: list[dict] = []
        self.outbox: list[tuple[bytes, str]] = []
        self._idempotent: dict[str, tuple[dict, dict]] = {}
        self._failures: list[int] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def fail_next(self, status: int) -> None:
        self._failures.append(status)

    # --- state changes, also usable directly from tests ---

    def create_session(self, params: dict) -> dict:
        lines = [params["line_items"][key] for key in sorted(params.get("line_items", {}), key=int)]
        total = sum(int(line["price_data"]["unit_amount"]) * int(line.get("quantity", 1)) for line in lines)
        session_id = f"cs_test_{secrets.token_hex(12)}"
        session = {
            "id": session_id,
            "object": "checkout.session",
            "url": f"{self.url}/checkout/{session_id}",
            "status": "open",
            "payment_status": "unpaid",
            "mode": params.get("mode"),
            "amount_total": total,
            "currency": lines[0]["price_data"]["currency"] if lines else "usd",
            "client_reference_id": params.get("client_reference_id"),
            "customer_email": params.get("customer_email"),
            "metadata": params.get("metadata", {}),
            "expires_at": int(params["expires_at"]) if "expires_at" in params else int(time.time()) + 86400,
            "success_url": params.get("success_url", ""),
            "cancel_url": params.get("cancel_url", ""),
            "payment_intent": None,
        }
        self.sessions[session_id] = session
        return session

    def event(self, event_type: str, session: dict) -> tuple[bytes, str]:
        """Build and deliver (or queue) a signed event about `session`; return it."""
        payload = json.dumps(
            {
                "id": f"evt_{secrets.token_hex(12)}",
                "object": "event",
                "type": event_type,
                "created": int(time.time()),
                "data": {"object": dict(session)},
            }
        )
        signed = (payload.encode(), sign(payload, self.webhook_secret))
        if self.webhook_url:
            request = urllib.request.Request(
                self.webhook_url,
                data=signed[0],
                headers={"Content-Type": "application/json", "Stripe-Signature": signed[1]},
            )
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
        else:
            self.outbox.append(signed)
        return signed

    def pay(self, session_id: str, *, asynchronous: bool = False) -> dict:
        session = self.sessions[session_id]
        session["status"] = "complete"
        session["payment_intent"] = f"pi_test_{secrets.token_hex(8)}"
        if asynchronous:
            self.event("checkout.session.completed", session)
            session["payment_status"] = "paid"
            self.event("checkout.session.async_payment_succeeded", session)
        else:
            session["payment_status"] = "paid"
            self.event("checkout.session.completed", session)
        return session

    def expire(self, session_id: str, *, notify: bool = True) -> dict:
        session = self.sessions[session_id]
        session["status"] = "expired"
        if notify:
            self.event("checkout.session.expired", session)
        return session

    # --- HTTP ---

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _error(self, status, message, error_type="invalid_request_error"):
                self._json(status, {"error": {"type": error_type, "message": message}})

            def _form(self):
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode() if length else ""
                return _unflatten({key: values[0] for key, values in parse_qs(raw).items()})

            def _api(self, method):
                path = urlparse(self.path).path
                params = self._form() if method == "POST" else {}
                fake.requests.append(
                    {
                        "method": method,
                        "path": path,
                        "params": params,
                        "idempotency_key": self.headers.get("Idempotency-Key"),
                        "authorization": self.headers.get("Authorization", ""),
                    }
                )
                if fake._failures:
                    status = fake._failures.pop(0)
                    if status == 0:
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    return self._error(status, "Simulated failure", "api_error")
                if not self.headers.get("Authorization", "").startswith("Bearer sk_test_"):
                    return self._error(401, "Invalid API key", "invalid_request_error")
                with fake._lock:
                    self._route(method, path, params)

            def _route(self, method, path, params):
                parts = path.strip("/").split("/")
                key = self.headers.get("Idempotency-Key")
                if method == "POST" and key and key in fake._idempotent:
                    earlier_params, earlier_body = fake._idempotent[key]
                    if earlier_params != params:
                        return self._error(400, "Idempotency key reused with other parameters", "idempotency_error")
                    return self._json(200, earlier_body)
                if parts == ["v1", "checkout", "sessions"] and method == "POST":
                    body = fake.create_session(params)
                elif parts[:3] == ["v1", "checkout", "sessions"] and len(parts) == 4 and method == "GET":
                    body = fake.sessions.get(parts[3])
                    if body is None:
                        return self._error(404, "No such checkout.session")
                elif parts[:3] == ["v1", "checkout", "sessions"] and parts[4:] == ["expire"] and method == "POST":
                    session = fake.sessions.get(parts[3])
                    if session is None:
                        return self._error(404, "No such checkout.session")
                    if session["status"] != "open":
                        return self._error(400, "Only Checkout Sessions with a status of open can be expired.")
                    body = fake.expire(parts[3])
                elif parts == ["v1", "refunds"] and method == "POST":
                    paid = [s for s in fake.sessions.values() if s["payment_intent"] == params.get("payment_intent")]
                    if not paid:
                        return self._error(404, "No such payment_intent")
                    already = sum(r["amount"] for r in fake.refunds if r["payment_intent"] == params["payment_intent"])
                    amount = int(params.get("amount", paid[0]["amount_total"] - already))
                    if already + amount > paid[0]["amount_total"]:
                        return self._error(400, "Refund amount is greater than the unrefunded amount")
                    body = {
                        "id": f"re_test_{secrets.token_hex(8)}",
                        "object": "refund",
                        "amount": amount,
                        "payment_intent": params["payment_intent"],
                        "status": "succeeded",
                        "metadata": params.get("metadata", {}),
                    }
                    fake.refunds.append(body)
                else:
                    return self._error(404, f"Unrecognized request URL ({method}: {path})")
                if method == "POST" and key:
                    fake._idempotent[key] = (params, body)
                self._json(200, body)

            def _page(self, session):
                buttons = "".join(
                    f'<button type="submit" name="action" value="{value}">{label}</button>'
                    for value, label in [
                        ("pay", "Pay"),
                        ("pay_async", "Pay later"),
                        ("decline", "Decline"),
                        ("expire", "Expire"),
                    ]
                )
                amount = f"{session['amount_total'] / 100:.2f} {session['currency'].upper()}"
                page = (
                    f"<!doctype html><html lang=en><title>Fake Stripe Checkout</title><h1>Fake Stripe Checkout</h1>"
                    f"<p>Pay {html.escape(amount)}</p><p>Status: {session['status']}</p>"
                    f'<form method="post">{buttons}</form></html>'
                ).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def _redirect(self, location):
                self.send_response(303)
                self.send_header("Location", location)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def do_GET(self):
                path = urlparse(self.path).path
                if path.startswith("/checkout/"):
                    session = fake.sessions.get(path.removeprefix("/checkout/"))
                    return self._page(session) if session else self._error(404, "No such page")
                self._api("GET")

            def do_POST(self):
                path = urlparse(self.path).path
                if not path.startswith("/checkout/"):
                    return self._api("POST")
                session_id = path.removeprefix("/checkout/")
                session = fake.sessions.get(session_id)
                action = self._form().get("action")
                if session is None or session["status"] != "open":
                    return self._error(400, "This Checkout Session is no longer open.")
                if action == "decline":
                    return self._page(session)  # a declined card: the session stays open
                with fake._lock:
                    if action in ("pay", "pay_async"):
                        fake.pay(session_id, asynchronous=action == "pay_async")
                        target = session["success_url"].replace("{CHECKOUT_SESSION_ID}", session_id)
                    else:
                        fake.expire(session_id)
                        target = session["cancel_url"]
                self._redirect(target)

        return Handler
