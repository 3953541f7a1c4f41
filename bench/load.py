"""Mixed load with faults, then the shop's invariants. Run it through bench/load.sh.

1. Seeds 10,000 animals on PostgreSQL and serves the shop with gunicorn (DEBUG off, Redis cache,
   cached sessions).
2. Drives locust headless for 60 s (browse 80%, cart 15%, checkout + demo payment 5%); halfway through,
   one gunicorn worker is killed with SIGKILL. Prints req/s, p50/p95/p99 per page and the error counts.
3. Checks the invariants (bench/invariants.py): no 5xx, stock never negative, no animal sold twice,
   no lost or half-written order, totals equal their lines, every paid order has its payment.
4. Restarts PostgreSQL while the shop is idle: the next requests succeed without restarting the shop.
5. Restarts the shop with a mail server that refuses connections: a checkout still places its order,
   and the failure is logged.
(Stripe unreachable or timing out is covered by the payments app's tests, which run offline.)
Prints PASS/FAIL per check and exits non-zero on any failure.
"""

import csv
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import shop_client  # noqa: E402 - the bench folder is not a package
from harness import (  # noqa: E402
    PYTHON,
    REPO,
    VENV_BIN,
    Checks,
    Gunicorn,
    ensure_database,
    exit_on_signal,
    http_status,
    log,
    manage,
)

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results"
ANIMALS = int(os.environ.get("BENCH_ANIMALS", "10000"))
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "60"))
USERS = int(os.environ.get("BENCH_USERS", "32"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8121"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8")

TARGETS = """
import json
from animals.models import Animal, Species
from django.urls import reverse
animals = Animal.objects.available().select_related("species", "breed").order_by("?")[:500]
species = list(Species.objects.all())
print(json.dumps({
    "list": reverse("animals:list"),
    "animals": [{"id": a.pk, "url": a.get_absolute_url()} for a in animals],
    "species": [s.get_absolute_url() for s in species],
    "species_slugs": [s.slug for s in species],
    "searches": sorted({a.breed.name.split()[0] for a in animals if a.breed_id})[:20] or ["a"],
}))
"""


def shop_env(**overrides) -> dict:
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "CACHE_URL": CACHE_URL,
        "SESSION_CACHED": "true",
        "PAYMENTS_ALLOW_DEMO": "true",
        "SITE_URL_ALLOW_LOCAL": "true",
        "STATIC_MANIFEST": "true",
        "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "3"),
        "GUNICORN_ACCESS_LOG": "",
        "LOG_LEVEL": "WARNING",
        **overrides,
    }


def prepare(env: dict, workdir: Path) -> Path:
    ensure_database(DATABASE_URL)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    count = manage(
        "shell",
        "-c",
        "from animals.models import Animal; print(Animal.objects.available().count())",
        env=env,
        capture=True,
    )
    if int(count.strip().splitlines()[-1]) < ANIMALS:
        log(f"seeding {ANIMALS} animals (seed_demo)")
        manage("seed_demo", "--animals", str(ANIMALS), env=env, timeout=900)
    found = json.loads(manage("shell", "-c", TARGETS, env=env, capture=True).strip().splitlines()[-1])
    targets = workdir / "targets.json"
    targets.write_text(json.dumps({**found, "filters": filter_queries(found.pop("species_slugs"))}))
    return targets


def filter_queries(species_slugs: list[str]) -> list[str]:
    """The filtered lists the load asks for: each species by price, and all animals by two other sorts."""
    return [f"species={slug}&sort=price_asc" for slug in species_slugs] + ["sort=price_desc", "sort=youngest"]


def run_locust(server: Gunicorn, env: dict, workdir: Path, checks: Checks) -> dict:
    """Run the mixed load; kill one worker halfway. Returns the error counts written by the locustfile."""
    csv_prefix = workdir / "locust"
    locust = subprocess.Popen(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(BENCH / "locustfile.py"),
            "--headless",
            "--users",
            str(USERS),
            "--spawn-rate",
            str(USERS),
            "--run-time",
            f"{SECONDS}s",
            "--stop-timeout",
            "10",
            "--host",
            server.base_url,
            "--csv",
            str(csv_prefix),
            "--only-summary",
            "--loglevel",
            "WARNING",
        ],
        cwd=REPO,
        env=env,
        start_new_session=True,
    )
    try:
        time.sleep(SECONDS / 2)
        workers = server.worker_pids()
        victim = workers[0] if workers else None
        if victim:
            log(f"killing worker {victim} with SIGKILL mid-load")
            os.kill(victim, signal.SIGKILL)
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline and (
                victim in server.worker_pids() or len(server.worker_pids()) < len(workers)
            ):
                time.sleep(0.2)
            replaced = victim not in server.worker_pids() and len(server.worker_pids()) == len(workers)
            checks.check(
                "a worker killed mid-load is replaced by gunicorn", replaced, f"workers {server.worker_pids()}"
            )
        else:
            checks.check("a killed worker is replaced by gunicorn", False, "no worker found")
        locust.wait(timeout=SECONDS + 60)
    finally:
        if locust.poll() is None:
            os.killpg(locust.pid, signal.SIGTERM)
            locust.wait(timeout=15)
    return json.loads((workdir / "errors.json").read_text())


def stats_table(workdir: Path) -> str:
    with (workdir / "locust_stats.csv").open() as stats:
        rows = list(csv.DictReader(stats))
    lines = [f"{'request':<22} {'requests':>8} {'fail':>5} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"]
    for row in rows:
        name = f"{row['Type']} {row['Name']}".strip()
        lines.append(
            f"{name:<22} {row['Request Count']:>8} {row['Failure Count']:>5} {float(row['Requests/s']):>7.1f} "
            f"{row['50%']:>7} {row['95%']:>7} {row['99%']:>7}"
        )
    return "\n".join(lines)


def pg_cluster() -> list[str]:
    """[version, name] of the local cluster serving DATABASE_URL (BENCH_PG_CLUSTER="15 main" overrides)."""
    if os.environ.get("BENCH_PG_CLUSTER"):
        return os.environ["BENCH_PG_CLUSTER"].split()
    port = re.search(r":(\d+)/", DATABASE_URL)
    port = port.group(1) if port else "5432"
    for line in subprocess.run(["pg_lsclusters", "-h"], capture_output=True, text=True, check=True).stdout.splitlines():
        version, name, cluster_port = line.split()[:3]
        if cluster_port == port:
            return [version, name]
    raise RuntimeError(f"no local PostgreSQL cluster on port {port}")


def database_restart(server: Gunicorn, urls: list[str], checks: Checks) -> None:
    version, name = pg_cluster()
    log(f"restarting PostgreSQL {version}/{name} while the shop is idle")
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, name, "restart"], check=True, timeout=120)
    statuses = [http_status(server.base_url + url, timeout=10) for url in urls * 3]
    checks.check(
        "after a database restart the shop answers without being restarted",
        all(status == 200 for status in statuses),
        f"statuses {statuses}",
    )


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


def mail_refused(env: dict, targets: dict, checks: Checks) -> None:
    smtp = f"smtp://127.0.0.1:{closed_port()}"
    log(f"restarting the shop with EMAIL_URL={smtp} (nothing listens there)")
    with Gunicorn(name="mail-refused", port=PORT, env={**env, "EMAIL_URL": smtp, "EMAIL_TIMEOUT": "3"}) as server:
        server.start(ready_path="/healthz")
        customer = requests.Session()
        reference = ""
        for animal in targets["animals"][::-1][:5]:  # the least likely to have been sold during the load
            try:
                shop_client.add_to_cart(customer, server.base_url, animal_id=animal["id"], page=animal["url"])
                location = shop_client.checkout(customer, server.base_url, email="mail-refused@example.com")
                reference = shop_client.placed_order_reference(customer, server.base_url, location=location)
                break
            except shop_client.ShopError as error:
                log(f"checkout attempt refused: {error}")
                customer.cookies.clear()
        found = reference and manage(
            "shell",
            "-c",
            f"from orders.models import Order; print(Order.objects.filter(reference={reference!r}).exists())",
            env=env,
            capture=True,
        ).strip().endswith("True")
        checks.check("with the mail server refusing, the order is still saved", bool(found), reference or "no order")
        time.sleep(0.5)
        logged = "order e-mail not sent" in server.log_path.read_text()
        checks.check("the refused e-mail is logged", logged, str(server.log_path))


def main() -> int:
    exit_on_signal()
    checks = Checks()
    env = shop_env()
    with tempfile.TemporaryDirectory(prefix="petshop-load-") as tmp:
        workdir = Path(tmp)
        targets_path = prepare(env, workdir)
        targets = json.loads(targets_path.read_text())
        state, orders = workdir / "state.json", workdir / "orders.txt"
        orders.touch()
        subprocess.run([PYTHON, str(BENCH / "invariants.py"), "snapshot", str(state)], env=env, check=True, timeout=120)
        locust_env = {
            **env,
            "BENCH_TARGETS": str(targets_path),
            "BENCH_ORDERS": str(orders),
            "BENCH_ERRORS": str(workdir / "errors.json"),
        }
        with Gunicorn(name="load", port=PORT, env=env) as server:
            server.start(ready_path="/healthz")
            log(f"locust: {USERS} users for {SECONDS}s against {server.base_url}")
            counts = run_locust(server, locust_env, workdir, checks)
            table = stats_table(workdir)
            print("\n" + table + "\n")
            print(f"counts: {json.dumps(counts)}")
            checks.check("no 5xx under load", counts["5xx"] == 0, f"{counts['5xx']} answers >= 500")
            checks.check("orders were placed under load", counts["orders"] > 0, f"{counts['orders']} orders")
            invariants = subprocess.run(
                [PYTHON, str(BENCH / "invariants.py"), "check", str(state), str(orders)], env=env, timeout=120
            )
            checks.check("invariants hold after the load (see above)", invariants.returncode == 0)
            if os.environ.get("BENCH_SKIP_DB_RESTART") == "1":
                print("SKIP  database restart (BENCH_SKIP_DB_RESTART=1)")
            else:
                database_restart(server, ["/healthz", targets["list"], targets["animals"][0]["url"]], checks)
        mail_refused(env, targets, checks)

        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "load-latest.txt").write_text(
            f"Petshop mixed load, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, {USERS} locust users, "
            f"{SECONDS}s, one worker killed halfway\n\n{table}\n\ncounts: {json.dumps(counts)}\n"
            f"checks failed: {checks.failed}\n"
        )
    print(f"\nload: {'PASS' if not checks.failed else f'{checks.failed} check(s) FAILED'}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
