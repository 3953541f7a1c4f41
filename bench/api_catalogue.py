"""API benchmark: GET /api/v1/animals (24 a page) against the bare reference's 24 rows as JSON.

Same machine and method as bench/catalogue.py (10,000 animals on PostgreSQL, gunicorn with 2 sync workers,
DEBUG off, `wrk -t2 -c16 -d10s` three rounds, paired ratio of the medians); the reference answers
`/json/` of bench/reference. The API's throttles are raised out of the way (wrk is one client address).
The shop is served cold (CATALOGUE_CACHE_SECONDS=0: every answer read from the database) and warm (the
answers kept in the cache, as in production).
Prints the table and writes it to bench/results/api-latest.txt. Run it through bench/api.sh.

BENCH_COMPARE_DIR=<another checkout of the shop, its static files collected> serves that tree's API as well
("before", on BENCH_COMPARE_PORT), against the same database, in the same rounds: a with/without comparison in
one run.
"""

import os
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from catalogue import (  # noqa: E402 - the bench folder is not a package
    ANIMALS,
    CONNECTIONS,
    REFERENCE,
    RESULTS,
    RUNS,
    SECONDS,
    THREADS,
    WARMUP_SECONDS,
    measure_rounds,
    memory_note,
    prepare_shop,
    reference_env,
    result_rows,
    shop_env,
    table,
)
from harness import Gunicorn, ensure_database, ensure_wrk, exit_on_signal, manage  # noqa: E402

PORT = int(os.environ.get("BENCH_PORT", "8111"))
WARM_PORT = int(os.environ.get("BENCH_WARM_PORT", "8113"))
REF_PORT = int(os.environ.get("BENCH_REF_PORT", "8112"))
COMPARE_PORT = int(os.environ.get("BENCH_COMPARE_PORT", "8114"))
COMPARE_DIR = os.environ.get("BENCH_COMPARE_DIR", "")
REF_DATABASE_URL = os.environ.get("BENCH_REF_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench_ref")
API_PAGE = "/api/v1/animals?limit=24"
REFERENCE_PAGE = "/json/"


def main() -> int:
    exit_on_signal()
    ensure_wrk()
    unthrottled = {"API_THROTTLE_ANON": "100000000/min", "API_THROTTLE_USER": "100000000/min"}
    env = {**shop_env(), **unthrottled}
    urls = prepare_shop(env)
    ensure_database(REF_DATABASE_URL)
    ref_env = reference_env()
    manage("migrate", "--noinput", "-v0", env=ref_env, cwd=REFERENCE)
    manage("seed_rows", "--count", str(ANIMALS), env=ref_env, cwd=REFERENCE)

    servers = {
        "reference": Gunicorn(
            name="reference", port=REF_PORT, env=ref_env, app="refsite.wsgi:application", cwd=REFERENCE
        ),
        "cold": Gunicorn(name="shop", port=PORT, env=env),
        "warm": Gunicorn(name="shop-warm", port=WARM_PORT, env={**shop_env(cache_seconds=600), **unthrottled}),
    }
    if COMPARE_DIR:
        servers["before"] = Gunicorn(name="shop-before", port=COMPARE_PORT, env=env, cwd=Path(COMPARE_DIR))
    targets = [("reference", "reference", REFERENCE_PAGE)]
    targets += [("api animals", kind, API_PAGE) for kind in ("before", "cold", "warm") if kind in servers]
    try:
        servers["reference"].start(ready_path=REFERENCE_PAGE)
        for kind in ("cold", "warm", "before"):
            if kind in servers:
                servers[kind].start(ready_path="/healthz")
        runs, rss, pss = measure_rounds(servers, targets)
    finally:
        for server in servers.values():
            server.stop()

    rows = result_rows(targets, runs, rss)
    text, all_met = table(rows)
    header = (
        f"Petshop API benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, {urls['count']} animals "
        f"for sale; gunicorn 2 sync workers, DEBUG off;\nwrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on loopback "
        f"after {WARMUP_SECONDS}s warm-ups, {RUNS} rounds, medians."
        f"{' before = ' + COMPARE_DIR + '.' if COMPARE_DIR else ''}\n"
        f"  reference  {REFERENCE_PAGE} of bench/reference (24 rows as JSON)\n  api        {API_PAGE}"
    )
    ratios = {kind: ratio for _label, kind, _result, ratio, _rss in rows}
    report = (
        f"{header}\n\n{text}\n\nGET /api/v1/animals / bare JSON view: cold {ratios['cold']:.2f}, "
        f"warm {ratios['warm']:.2f} (goal >= 0.5)\n{memory_note(pss)}"
    )
    print("\n" + report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "api-latest.txt").write_text(report)
    return 0 if all_met or os.environ.get("BENCH_STRICT") != "1" else 1


if __name__ == "__main__":
    sys.exit(main())
