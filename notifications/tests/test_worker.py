"""The outbox with real workers on Redis and a real SMTP server on loopback: the faults the shop must survive.

- SMTP down, then up: every e-mail is delivered exactly once (a worker thread in this process).
- A worker SIGKILLed in the middle of a send: the e-mail is delivered once a worker is back (worker processes:
  `celery -A petshop worker` against the test database, as in production).
- Two workers, every message queued twice: every e-mail is delivered once.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from celery.contrib.testing.worker import start_worker
from django.db import connection, transaction

from notifications.models import Notification
from notifications.services import notification_queue
from notifications.tasks import notification_deliver, notification_sweep
from orders.tests.factories import OrderFactory
from petshop.celery import app

REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")
BASE_DIR = Path(__file__).resolve().parents[2]
RETRY_DELAYS = [1, 1, 1] + [2] * 30  # seconds: quick retries, and a minute before any e-mail is marked failed

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def wait_for(condition, *, timeout=60.0, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


@pytest.fixture
def broker(require_postgres, settings):
    """Celery on the test Redis database, emptied first; eager mode off for this test only."""
    try:
        client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
        client.ping()
    except redis.RedisError:
        message = f"needs Redis at {REDIS_TEST_URL} (set REDIS_TEST_URL)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    client.flushdb()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.broker_url = REDIS_TEST_URL
    app.conf.task_always_eager = False
    fresh_connections()
    settings.NOTIFICATION_RETRY_DELAYS = RETRY_DELAYS
    yield client
    app.conf.update(saved)
    fresh_connections()
    client.flushdb()
    client.close()


def fresh_connections():
    """Make the app open its broker connections again, to the broker it is now configured with."""
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None


def queue(count: int, *, prefix: str) -> list[Notification]:
    """`count` order e-mails, each written (and its send task queued) in its own committed transaction."""
    rows = []
    for number in range(count):
        order = OrderFactory(email=f"{prefix}{number}@example.com")
        with transaction.atomic():
            rows.append(
                notification_queue(
                    kind="order-received",
                    to=order.email,
                    context={"order_id": order.pk},
                    dedupe_key=f"order-received:{order.pk}",
                )
            )
    return rows


def delivered_once(smtp_server, rows):
    ids = smtp_server.recorder.message_ids()
    counts = {row.message_id: ids.count(row.message_id) for row in rows}
    assert counts == {row.message_id: 1 for row in rows}, counts
    assert len(ids) == len(rows)


def all_sent(rows):
    return lambda: Notification.objects.filter(pk__in=[r.pk for r in rows], status="sent").count() == len(rows)


def test_smtp_down_then_up_delivers_every_e_mail_exactly_once(broker, smtp_server):
    smtp_server.down()
    with start_worker(app, perform_ping_check=False, pool="solo", shutdown_timeout=30):
        rows = queue(3, prefix="down")
        wait_for(
            lambda: Notification.objects.filter(attempts__gte=2, status="pending").count() == 3,
            what="two refused attempts of each e-mail",
        )
        assert smtp_server.recorder.messages == []
        smtp_server.up()
        wait_for(all_sent(rows), what="every e-mail sent")
    delivered_once(smtp_server, rows)
    assert all(row.attempts >= 3 for row in Notification.objects.all())


class WorkerProcess:
    """`celery -A petshop worker` in its own process group, on the test database, Redis and SMTP server."""

    def __init__(self, name: str, smtp_port: int, log_dir: Path):
        db = connection.settings_dict
        credentials = quote(db["USER"] or "", safe="") + (
            f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
        )
        self.log_path = log_dir / f"{name}.log"
        env = {
            **os.environ,
            # The test database (test_<name>), which this test's transactions commit to.
            "DATABASE_URL": f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
            "CONN_MAX_AGE": "0",
            "CELERY_BROKER_URL": REDIS_TEST_URL,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "EMAIL_TIMEOUT": "5",
            "NOTIFICATION_RETRY_DELAYS": ",".join(str(delay) for delay in RETRY_DELAYS),
            "NOTIFICATION_STUCK_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
        }
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "petshop", "worker", "--pool=solo", "-n", f"{name}@%h",
                 "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
        wait_for(self.ready, timeout=60, what=f"worker {name} ready (log: {self.log_path})")

    def ready(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{self.log_path.read_text()}")
        return " ready." in self.log_path.read_text()

    def kill(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def workers(broker, tmp_path):
    started: list[WorkerProcess] = []

    def start(name: str, smtp_port: int) -> WorkerProcess:
        worker = WorkerProcess(name, smtp_port, tmp_path)
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()
        print(f"==== {worker.log_path.name}\n{worker.log_path.read_text()}")  # shown when the test fails


def test_a_worker_killed_during_a_send_and_the_e_mail_is_delivered_after_a_worker_is_back(workers, smtp_server):
    smtp_server.recorder.hold.set()  # the first send stops in the middle of DATA
    first = workers("killed", smtp_server.port)
    [row] = queue(1, prefix="killed")
    wait_for(smtp_server.recorder.in_data.is_set, what="the worker in the middle of the send")
    first.kill()  # SIGKILL: no clean-up, the message stays unacknowledged in Redis
    smtp_server.recorder.hold.clear()
    smtp_server.recorder.release.set()  # the half-sent message is never accepted
    row.refresh_from_db()
    assert (row.status, row.attempts) == ("pending", 0)  # the killed send's transaction rolled back

    workers("back", smtp_server.port)

    def swept_and_sent():
        notification_sweep.delay()  # beat's periodic job: re-queues e-mails left pending (here for 2 s)
        return all_sent([row])()

    wait_for(swept_and_sent, interval=1, what="the e-mail sent by the new worker")
    delivered_once(smtp_server, [row])


def test_two_workers_deliver_every_e_mail_once(broker, workers, smtp_server):
    workers("one", smtp_server.port)
    workers("two", smtp_server.port)
    rows = queue(20, prefix="pair")
    for row in rows:  # every message twice, as after a lost acknowledgement or a sweep beside the first send
        notification_deliver.delay(row.pk)
    wait_for(all_sent(rows), what="every e-mail sent")
    wait_for(lambda: broker.llen("celery") == 0, what="the duplicate messages taken")
    time.sleep(1)  # and run (each finds its row sent)
    delivered_once(smtp_server, rows)
