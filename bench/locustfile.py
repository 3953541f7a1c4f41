"""Mixed shop load for bench/load.sh: browse 80%, cart 15%, checkout with the demo payment 5%.

Reads the pages to visit from BENCH_TARGETS (JSON written by bench/load.py), appends the reference of
every order the shop confirmed to a customer to BENCH_ORDERS, and counts 5xx answers and connection
errors into BENCH_ERRORS when the run ends; with BENCH_CHECKOUTS, appends each checkout's time and duration.
"""

import json
import os
import random
import sys
import time
from pathlib import Path

from locust import HttpUser, between, events, task

sys.path.append(str(Path(__file__).resolve().parent))

import shop_client  # noqa: E402 - the bench folder is not a package

TARGETS = json.loads(Path(os.environ["BENCH_TARGETS"]).read_text())
ORDERS_FILE = Path(os.environ["BENCH_ORDERS"])
ERRORS_FILE = Path(os.environ["BENCH_ERRORS"])
CHECKOUTS_FILE = Path(os.environ["BENCH_CHECKOUTS"]) if os.environ.get("BENCH_CHECKOUTS") else None
COUNTS = {"5xx": 0, "connection errors": 0, "checkouts refused": 0, "orders": 0, "paid": 0}


@events.request.add_listener
def count_errors(response=None, exception=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        COUNTS["5xx"] += 1
    elif exception is not None and (response is None or not getattr(response, "status_code", 0)):
        COUNTS["connection errors"] += 1


@events.request.add_listener
def time_checkouts(name="", response_time=0, exception=None, **kwargs):
    """Each checkout's wall-clock time and duration, so load.py can compare SMTP down with SMTP up."""
    if CHECKOUTS_FILE is not None and name == "checkout" and exception is None:
        with CHECKOUTS_FILE.open("a") as checkouts:
            checkouts.write(f"{time.time():.3f} {response_time:.1f}\n")


@events.quitting.add_listener
def write_counts(environment, **kwargs):
    ERRORS_FILE.write_text(json.dumps(COUNTS))


class Customer(HttpUser):
    wait_time = between(0.2, 1.0)

    def on_start(self):
        self.in_cart = 0

    def _get(self, name, path):
        with self.client.rename_request(name):
            self.client.get(path)

    @task(80)
    def browse(self):
        animal = random.choice(TARGETS["animals"])
        page = random.choice(["home", "list", "list page", "species", "filtered", "search", "detail", "detail"])
        path = {
            "home": "/",
            "list": TARGETS["list"],
            "list page": f"{TARGETS['list']}?page={random.randint(2, 20)}",
            "species": random.choice(TARGETS["species"]),
            "filtered": f"{TARGETS['list']}?{random.choice(TARGETS['filters'])}",
            "search": f"{TARGETS['list']}?q={random.choice(TARGETS['searches'])}",
            "detail": animal["url"],
        }[page]
        self._get(page, path)

    @task(15)
    def cart(self):
        if self.in_cart >= 3:  # keep carts small: start again as a new visitor
            self.client.cookies.clear()
            self.in_cart = 0
        animal = random.choice(TARGETS["animals"])
        with self.client.rename_request("cart add"):
            try:
                shop_client.add_to_cart(self.client, "", animal_id=animal["id"], page=animal["url"])
            except shop_client.ShopError:
                return  # the request itself is already recorded (and counted if it was a 5xx)
        self.in_cart += 1
        with self.client.rename_request("cart"):
            self.client.get("/cart/")

    @task(5)
    def checkout(self):
        self.client.cookies.clear()  # a new customer buying one animal
        self.in_cart = 0
        animal = random.choice(TARGETS["animals"])
        try:
            with self.client.rename_request("cart add"):
                shop_client.add_to_cart(self.client, "", animal_id=animal["id"], page=animal["url"])
            with self.client.rename_request("checkout"):
                location = shop_client.checkout(self.client, "", email=f"load{random.randint(1, 10**6)}@example.com")
        except shop_client.ShopError:
            COUNTS["checkouts refused"] += 1  # sold to someone else meanwhile: a message, not an error
            return
        reference = shop_client.order_reference(location)
        if reference:
            record_order(reference)
        try:
            with self.client.rename_request("payment (demo)"):
                seen, _final = shop_client.pay_demo(self.client, "", start_url=location)
        except shop_client.ShopError:
            return
        if seen and not reference:
            record_order(seen)
        COUNTS["paid"] += 1


def record_order(reference: str) -> None:
    COUNTS["orders"] += 1
    with ORDERS_FILE.open("a") as orders:
        orders.write(reference + "\n")
