"""Scale-out check: two gunicorn instances (127.0.0.1:8101 and :8102) on one PostgreSQL and one Redis.

One customer (one cookie jar, as behind a load balancer that sends each request anywhere):
  1. adds an animal to the cart on A,
  2. sees it in the cart on B,
  3. staff change that animal's price through A's admin,
  4. B shows the new price at once (animal page and cart), with the catalogue page cache on,
  5. checks out on B, and the order holds the new price.
Prints PASS/FAIL per step and exits non-zero on any failure. Run it through bench/scaleout.sh.
"""

import json
import os
import secrets
import sys
from decimal import Decimal
from pathlib import Path

import requests

sys.path.append(str(Path(__file__).resolve().parent))

import shop_client  # noqa: E402 - the bench folder is not a package
from harness import Checks, Gunicorn, ensure_database, exit_on_signal, log, manage  # noqa: E402

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/7")
PORTS = (int(os.environ.get("BENCH_PORT_A", "8101")), int(os.environ.get("BENCH_PORT_B", "8102")))
STAFF_EMAIL = "scaleout-staff@example.com"

PREPARE = """
import json
from animals.models import Animal
from accounts.models import User
staff, _ = User.objects.get_or_create(email=STAFF_EMAIL)
staff.is_staff = staff.is_superuser = True
staff.set_password(PASSWORD)
staff.save()
animal = Animal.objects.available().filter(stock__gte=1).select_related("species").order_by("-pk").first()
print(json.dumps({"id": animal.pk, "name": animal.name, "price": str(animal.price),
                  "url": animal.get_absolute_url(), "admin": f"/admin/animals/animal/{animal.pk}/change/"}))
"""

ORDER = """
import json
from orders.models import Order
order = Order.objects.filter(reference=REFERENCE).prefetch_related("items").first()
print(json.dumps(None if order is None else {
    "total": str(order.total), "status": order.status,
    "items": [[item.animal_id, str(item.unit_price), item.quantity] for item in order.items.all()]}))
"""


def env() -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        # One key for both instances: a session signed by A must be valid on B.
        "SECRET_KEY": os.environ.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "SESSION_CACHED": "true",
        "PAYMENTS_ALLOW_DEMO": "true",
        "SITE_URL_ALLOW_LOCAL": "true",
        "CATALOGUE_CACHE_SECONDS": "60",  # the page cache on: B must still show A's change at once
        "STATIC_MANIFEST": "true",
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
    }


def shell(code: str, environment: dict, **values) -> object:
    prelude = "".join(f"{name} = {value!r}\n" for name, value in values.items())
    output = manage("shell", "-c", prelude + code, env=environment, capture=True)
    return json.loads(output.strip().splitlines()[-1])


def shows(html: str, price: Decimal) -> bool:
    """Whether HTML shows PRICE, written plainly (1234.50) or with thousands separators (1,234.50)."""
    return str(price) in html or f"{price:,.2f}" in html


def main() -> int:
    exit_on_signal()
    environment = env()
    ensure_database(DATABASE_URL)
    manage("migrate", "--noinput", "-v0", env=environment)
    manage("collectstatic", "--noinput", "-v0", env=environment)
    if shell("from animals.models import Animal\nprint(Animal.objects.available().count())", environment) == 0:
        manage("seed_demo", env=environment, timeout=600)
    password = secrets.token_urlsafe(16)
    animal = shell(PREPARE, environment, STAFF_EMAIL=STAFF_EMAIL, PASSWORD=password)
    log(f"animal {animal['id']} {animal['name']} at {animal['price']}")

    steps = Checks()
    with (
        Gunicorn(name="a", port=PORTS[0], env=environment) as a,
        Gunicorn(name="b", port=PORTS[1], env=environment) as b,
    ):
        a.start(ready_path="/healthz")
        b.start(ready_path="/healthz")
        customer, staff = requests.Session(), requests.Session()
        try:
            shop_client.add_to_cart(customer, a.base_url, animal_id=animal["id"], page=animal["url"])
            cart_on_b = shop_client.cart_page(customer, b.base_url)
            steps.check("cart built on A is seen on B", animal["name"] in cart_on_b, f"{animal['name']} on B /cart/")

            new_price = (Decimal(animal["price"]) + Decimal("11.11")).quantize(Decimal("0.01"))
            # B renders the animal page first, so that its page cache holds the old price.
            old_price = Decimal(animal["price"])
            steps.check("B shows the old price first", shows(customer.get(b.base_url + animal["url"]).text, old_price))
            shop_client.admin_login(staff, a.base_url, email=STAFF_EMAIL, password=password)
            shop_client.admin_change(staff, a.base_url, path=animal["admin"], changes={"price": str(new_price)})
            detail_on_b = customer.get(b.base_url + animal["url"]).text
            steps.check("price changed through A's admin is seen on B's animal page", shows(detail_on_b, new_price))
            steps.check("B's cart shows the new price", shows(shop_client.cart_page(customer, b.base_url), new_price))

            location = shop_client.checkout(customer, b.base_url, email="scaleout@example.com")
            reference = shop_client.placed_order_reference(customer, b.base_url, location=location)
            order = shell(ORDER, environment, REFERENCE=reference) if reference else None
            steps.check("checkout on B of the cart built on A places the order", order is not None, reference)
            if order:
                expected = [[animal["id"], str(new_price), 1]]
                steps.check("the order holds the new price", order["items"] == expected, json.dumps(order["items"]))
        except (shop_client.ShopError, requests.RequestException) as error:
            steps.check("the customer's journey", False, str(error))
    print(f"\nscale-out: {'PASS' if not steps.failed else f'{steps.failed} step(s) FAILED'}")
    return 1 if steps.failed else 0


if __name__ == "__main__":
    sys.exit(main())
