"""Gunicorn settings for Petshop, all overridable from the environment (`make serve` uses this file).

GUNICORN_BIND          address to listen on (default 127.0.0.1:8000; PORT alone gives 0.0.0.0:$PORT)
WEB_CONCURRENCY        worker processes (default: cores + 1, at most 4)
GUNICORN_THREADS       threads per worker (default 1: plain sync workers; >1 switches to gthread)
GUNICORN_TIMEOUT       seconds a worker may spend on one request before it is killed (default 30)
GUNICORN_GRACEFUL_TIMEOUT  seconds workers get to finish their requests on restart/stop (default 30)
GUNICORN_KEEPALIVE     seconds to keep an idle client connection open (default 5)
GUNICORN_MAX_REQUESTS  recycle a worker after this many requests, with jitter (default 2000; 0 = never)
GUNICORN_ACCESS_LOG    access log destination (default "-": stdout; empty string turns it off)
GUNICORN_PRELOAD       load the app in the master before forking (default true, see below)
GUNICORN_CONTROL_SOCKET  path of gunicorn's control socket (default: none, see below)
"""

import gc
import importlib
import multiprocessing
import os


def _env_int(name, default):
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _env_bool(name, default):
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    return value in {"1", "true", "yes", "on"}


if os.environ.get("GUNICORN_BIND"):
    bind = [address.strip() for address in os.environ["GUNICORN_BIND"].split(",") if address.strip()]
elif os.environ.get("PORT"):
    bind = [f"0.0.0.0:{_env_int('PORT', 8000)}"]  # a platform that sets PORT routes to us from outside
else:
    bind = ["127.0.0.1:8000"]

# Sync workers are CPU-bound Django renderers: about one per core, plus one to cover a worker blocked on
# the database. Kept modest (at most 4 by default) so a small host does not run out of memory or of
# PostgreSQL connections (each worker holds one persistent connection, CONN_MAX_AGE).
workers = _env_int("WEB_CONCURRENCY", min(multiprocessing.cpu_count() + 1, 4))
threads = _env_int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

# A request slower than `timeout` is a bug (Stripe and SMTP calls have their own shorter timeouts).
timeout = _env_int("GUNICORN_TIMEOUT", 30)
# On SIGTERM/SIGHUP workers finish the requests they are serving (an order being placed) before exiting.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _env_int("GUNICORN_KEEPALIVE", 5)

# Recycle workers now and then so that a slow leak cannot grow without bound; the jitter keeps them
# from all restarting at the same moment.
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10 if max_requests else 0

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# The heartbeat file lives in memory when /dev/shm exists (a disk-backed /tmp can stall workers).
if os.path.isdir("/dev/shm"):  # noqa: S108 - a directory for gunicorn's heartbeat, not a temp file
    worker_tmp_dir = "/dev/shm"  # noqa: S108

# preload_app: the master imports Django once and forks the workers from it. Workers then share the
# code pages (copy-on-write), start faster (also when recycled by max_requests), and a broken
# configuration (no SECRET_KEY, ...) stops the master at once with one clear error instead of workers
# failing to boot in a loop. Safe here because Django opens database, cache and SMTP connections lazily,
# per worker, after the fork. The cost: a HUP reload does not pick up new code; deploys restart the master.
preload_app = _env_bool("GUNICORN_PRELOAD", True)

# Garbage collection and forking, as Python's gc.freeze() documentation advises: no collection in the master
# (so it leaves no holes in the pages its workers share), its objects frozen right before each fork, and
# collection back on in the worker. Workers then never scan (nor copy, by touching them) the thousands of
# objects Django loaded in the master: a collection costs less, and more memory stays shared.
if preload_app:
    gc.disable()


def on_starting(server):
    if preload_app:
        # Django imports the URLconf on the first request, that is in each worker after the fork, and with it
        # every view and form module and the JSON API. Imported here, in the master, the workers share it like
        # the rest of the app (and a broken URL module stops the start, like a broken setting).
        from django.conf import settings

        importlib.import_module(settings.ROOT_URLCONF)


def pre_fork(server, worker):
    if preload_app:
        gc.freeze()


def post_fork(server, worker):
    if preload_app:
        gc.enable()


# Gunicorn 25+ opens a control socket at a fixed per-user path by default, so two instances on one host
# (the scale-out check, a blue/green deploy) would fight over it. Off unless a path is given.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True

proc_name = os.environ.get("GUNICORN_PROC_NAME", "petshop")
wsgi_app = "petshop.wsgi:application"
