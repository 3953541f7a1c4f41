"""Mixed load with faults, then the shop's invariants. Run it through bench/load.sh.

1. Seeds 10,000 animals on PostgreSQL and serves the shop with gunicorn (DEBUG off, Redis cache,
   cached sessions).
2. Starts a Celery worker and beat (Redis broker) and a real SMTP server on loopback (aiosmtpd), then
   drives locust headless for 120 s (browse 80%, cart 15%, checkout + demo payment 5%). From 30 s to
   90 s the SMTP server is down; halfway through, one gunicorn worker and the Celery worker are killed
   with SIGKILL (a new Celery worker is started). Prints req/s, p50/p95/p99 per page, the error counts,
   and checkout latency with SMTP up and with SMTP down.
3. Checks the invariants (bench/invariants.py): no 5xx, stock never negative, no animal sold twice,
   no lost or half-written order, totals equal their lines, every paid order has its payment.
4. Restarts PostgreSQL while the shop is idle: the next requests succeed without restarting the shop.
5. Waits for the outbox to drain: every e-mail of every order delivered, none twice, none failed; prints
   the time from order to delivered e-mail (p50, p95), overall and outside the SMTP outage.
(Stripe unreachable or timing out is covered by the payments app's tests, which run offline.)
Prints PASS/FAIL per check and exits non-zero on any failure.
"""

import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.append(str(Path(__file__).resolve().parent))

from bench_smtp import SMTPServer  # noqa: E402
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
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "120"))
USERS = int(os.environ.get("BENCH_USERS", "32"))
PORT = int(os.environ.get("BENCH_LOAD_PORT", "8121"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench")
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/8")
BROKER_URL = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/9")
SMTP_PORT = int(os.environ.get("BENCH_SMTP_PORT", "8125"))
SMTP_DOWN_AT = int(os.environ.get("BENCH_SMTP_DOWN_AT", str(SECONDS // 4)))
SMTP_DOWN_FOR = int(os.environ.get("BENCH_SMTP_DOWN_FOR", "60"))
DRAIN_SECONDS = int(os.environ.get("BENCH_DRAIN_SECONDS", "300"))

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
        "EMAIL_URL": f"smtp://127.0.0.1:{SMTP_PORT}",
        "EMAIL_TIMEOUT": "5",
        "CELERY_BROKER_URL": BROKER_URL,
        # The sweep re-queues an e-mail left pending 30 s past its time (180 s in production), so that the
        # message of the killed worker is delivered within the bench's drain time.
        "NOTIFICATION_STUCK_SECONDS": "30",
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


def run_locust(
    server: Gunicorn, env: dict, workdir: Path, checks: Checks, smtp: SMTPServer, celery: "CeleryWorkers"
) -> dict:
    """Run the mixed load; SMTP down for a while, one gunicorn and one Celery worker killed halfway.

    Returns the error counts written by the locustfile.
    """
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
        started = time.monotonic()
        time.sleep(SMTP_DOWN_AT)
        log(f"SMTP down for {SMTP_DOWN_FOR} s")
        smtp.down()
        time.sleep(max(0.0, SECONDS / 2 - (time.monotonic() - started)))
        celery.kill_and_replace(checks)
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
        time.sleep(max(0.0, SMTP_DOWN_AT + SMTP_DOWN_FOR - (time.monotonic() - started)))
        smtp.up()
        log("SMTP up again")
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


class CeleryWorkers:
    """`celery -A petshop worker` and `beat` as the shop runs them in production, each in its process group."""

    def __init__(self, env: dict, workdir: Path):
        self.env, self.workdir = env, workdir
        self.processes: list[subprocess.Popen] = []
        self.worker: subprocess.Popen | None = None
        self.count = 0

    def _start(self, *args: str) -> subprocess.Popen:
        self.count += 1
        log_path = Path(os.environ.get("BENCH_LOG_DIR", "/tmp")) / f"bench-celery-{self.count}-{args[0]}.log"
        process = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "petshop", *args, "-l", "info"],
            cwd=REPO, env=self.env, stdout=log_path.open("w"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        self.processes.append(process)
        return process

    def start(self) -> None:
        self.worker = self._start("worker", "--concurrency", "2", "-n", f"bench{self.count}@%h")
        if len(self.processes) == 1:
            self._start("beat", "-s", str(self.workdir / "celerybeat-schedule"))

    def kill_and_replace(self, checks: Checks) -> None:
        log(f"killing the Celery worker {self.worker.pid} (and its children) with SIGKILL mid-load")
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.worker.wait(timeout=15)
        self.start()
        checks.check("a new Celery worker runs after the kill", self.worker.poll() is None)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


OUTBOX = """
import json, sys
from notifications.models import Notification
from orders.models import Order
references = open(sys.argv[-1]).read().split()
orders = dict(Order.objects.filter(reference__in=references).values_list("pk", "reference"))
rows = []
for n in Notification.objects.filter(kind__in=["order-received", "order-paid"]):
    order_id = int(n.dedupe_key.split(":")[1])
    rows.append({"kind": n.kind, "reference": orders.get(order_id), "status": n.status,
                 "created": n.created_at.timestamp(), "message_id": n.message_id, "attempts": n.attempts})
print(json.dumps({"rows": rows, "pending": Notification.objects.filter(status="pending").count(),
                  "failed": Notification.objects.filter(status="failed").count(),
                  "total": Notification.objects.count()}))
"""


def outbox(env: dict, orders: Path) -> dict:
    script = OUTBOX.replace("sys.argv[-1]", repr(str(orders)))
    return json.loads(manage("shell", "-c", script, env=env, capture=True).strip().splitlines()[-1])


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def e_mail_report(env: dict, orders: Path, smtp: SMTPServer, window: tuple[float, float], checks: Checks) -> str:
    """Wait for the outbox to drain, then check every order's e-mails and time them."""
    deadline = time.monotonic() + DRAIN_SECONDS
    state = outbox(env, orders)
    while state["pending"] and time.monotonic() < deadline:
        log(f"outbox: {state['pending']} e-mails pending, waiting")
        time.sleep(10)
        state = outbox(env, orders)
    received = smtp.received()
    ids = [message_id for message_id, _ in received]
    arrival = {message_id: at for message_id, at in received}
    twice = sorted({message_id for message_id in ids if ids.count(message_id) > 1})
    placed = set(orders.read_text().split())
    rows = [row for row in state["rows"] if row["reference"] in placed]
    undelivered = [row for row in rows if row["message_id"] not in arrival]
    received_for = {row["reference"] for row in rows if row["kind"] == "order-received"}
    checks.check("the outbox drained: nothing pending, nothing failed", not state["pending"] and not state["failed"],
                 f"{state['pending']} pending, {state['failed']} failed of {state['total']}")  # fmt: skip
    checks.check(
        "every order placed has its order e-mail", placed <= received_for, f"{len(placed - received_for)} missing"
    )
    checks.check("every order e-mail delivered", not undelivered, f"{len(undelivered)} not delivered")
    checks.check("no e-mail delivered twice", not twice, f"{len(twice)} delivered twice")
    down_from, down_to = window
    delays = [arrival[row["message_id"]] - row["created"] for row in rows if row["message_id"] in arrival]
    normal = [
        arrival[row["message_id"]] - row["created"]
        for row in rows
        if row["message_id"] in arrival and not down_from - 30 <= row["created"] <= down_to
    ]
    retried = sum(1 for row in rows if row["attempts"] > 1)
    return (
        f"order e-mails: {len(rows)} for {len(placed)} orders, {retried} retried, {len(twice)} delivered twice\n"
        f"order -> delivered, all:              {spread(delays, 's', '6.2f')}\n"
        f"order -> delivered, SMTP up (normal): {spread(normal, 's', '6.2f')}"
    )


def checkout_report(checkouts: Path, window: tuple[float, float]) -> str:
    down, up = [], []
    for line in checkouts.read_text().split("\n") if checkouts.exists() else []:
        if line.strip():
            at, ms = (float(value) for value in line.split())
            (down if window[0] <= at <= window[1] else up).append(ms)
    up_line = f"checkout requests, SMTP up:   {spread(up, 'ms', '6.0f')}"
    return f"{up_line}\ncheckout requests, SMTP down: {spread(down, 'ms', '6.0f')}"


def spread(values: list[float], unit: str, number: str) -> str:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    return f"p50 {p50:{number}} {unit}  p95 {p95:{number}} {unit}  ({len(values)})"


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
            "BENCH_CHECKOUTS": str(workdir / "checkouts.txt"),
        }
        redis.Redis.from_url(BROKER_URL).flushdb()  # no jobs left over from an earlier run
        smtp = SMTPServer(SMTP_PORT)
        smtp.up()
        celery = CeleryWorkers(env, workdir)
        with Gunicorn(name="load", port=PORT, env=env) as server:
            server.start(ready_path="/healthz")
            celery.start()
            log(f"locust: {USERS} users for {SECONDS}s against {server.base_url}")
            try:
                counts = run_locust(server, locust_env, workdir, checks, smtp, celery)
                window = (smtp.went_down, smtp.came_up)
                table = stats_table(workdir)
                print("\n" + table + "\n")
                print(f"counts: {json.dumps(counts)}")
                checkout_times = checkout_report(workdir / "checkouts.txt", window)
                print(checkout_times)
                mail_times = e_mail_report(env, orders, smtp, window, checks)
                print(mail_times)
            finally:
                celery.stop()
                smtp.down()
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

        RESULTS.mkdir(exist_ok=True)
        (RESULTS / "load-latest.txt").write_text(
            f"Petshop mixed load, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, {USERS} locust users, "
            f"{SECONDS}s, one gunicorn and one Celery worker killed halfway, SMTP down for {SMTP_DOWN_FOR}s\n\n"
            f"{table}\n\ncounts: {json.dumps(counts)}\n{checkout_times}\n{mail_times}\n"
            f"checks failed: {checks.failed}\n"
        )
    print(f"\nload: {'PASS' if not checks.failed else f'{checks.failed} check(s) FAILED'}")
    return 1 if checks.failed else 0


if __name__ == "__main__":
    sys.exit(main())
