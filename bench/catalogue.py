"""Catalogue benchmark: Petshop's catalogue pages against a bare Django reference, same machine, same method.

Seeds 10,000 animals on PostgreSQL and serves the shop with gunicorn (DEBUG off, 2 sync workers) twice: cold
(page cache off) and warm (the anonymous page cache on), beside bench/reference (one view rendering 24 of
10,000 rows through a plain template, with the shop's database and framework options). Each round runs
`wrk --latency` on the reference, then on each page cold and warm; the medians of the rounds are kept.
Prints req/s, p50/p99, the ratio to the reference and each worker's RSS, and writes the table to
bench/results/catalogue-latest.txt. Run it through bench/catalogue.sh.

BENCH_COMPARE_DIR=<another checkout of the shop, with its own .venv or none> serves that tree cold and warm as
well ("before", "before-warm"), against the same database, in the same rounds: a with/without comparison in one
run. Ports: BENCH_PORT (cold), BENCH_WARM_PORT, BENCH_COMPARE_PORT, BENCH_COMPARE_WARM_PORT, BENCH_REF_PORT.
"""

import json
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent))

from harness import (  # noqa: E402 - the bench folder is not a package
    Gunicorn,
    WrkResult,
    ensure_database,
    ensure_wrk,
    exit_on_signal,
    http_status,
    log,
    manage,
    median_result,
    run_wrk,
)

BENCH = Path(__file__).resolve().parent
REFERENCE = BENCH / "reference"
RESULTS = BENCH / "results"

ANIMALS = int(os.environ.get("BENCH_ANIMALS", "10000"))
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
WARMUP_SECONDS = int(os.environ.get("BENCH_WARMUP_SECONDS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
THREADS = int(os.environ.get("BENCH_WRK_THREADS", "2"))
PORT = int(os.environ.get("BENCH_PORT", "8111"))
REF_PORT = int(os.environ.get("BENCH_REF_PORT", "8112"))
WARM_PORT = int(os.environ.get("BENCH_WARM_PORT", "8113"))
COMPARE_PORT = int(os.environ.get("BENCH_COMPARE_PORT", "8114"))
COMPARE_WARM_PORT = int(os.environ.get("BENCH_COMPARE_WARM_PORT", "8115"))
COMPARE_DIR = os.environ.get("BENCH_COMPARE_DIR", "")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench")
REF_DATABASE_URL = os.environ.get("BENCH_REF_DATABASE_URL", "postgres://root@127.0.0.1:5432/petshop_bench_ref")

# Cold: at least this share of the reference's throughput (the search and the animal page do more work);
# warm: at least WARM_GOAL_RATIO.
GOAL_RATIO = 0.5
COLD_GOAL_RATIOS = {"search": 0.4, "search typo": 0.4, "search puppy": 0.4, "detail": 0.4}
WARM_GOAL_RATIO = 1.5
API_GOAL_RATIO = 0.5
GOAL_P99_MS = 100.0
GOAL_RSS_MB = 80.0

# Same serving set-up for the shop and the reference: 2 sync workers, no access log (its I/O would be
# measured too), no worker recycling (so RSS after the runs is that of workers that served them all).
SERVING_ENV = {
    "WEB_CONCURRENCY": "2",
    "GUNICORN_THREADS": "1",
    "GUNICORN_ACCESS_LOG": "",
    "GUNICORN_MAX_REQUESTS": "0",
    "GUNICORN_LOG_LEVEL": "warning",
}

# Prints the URLs to measure as JSON; runs inside `manage.py shell`, so it follows the shop's own urls.
DISCOVER = """
import json
from django.urls import reverse
from animals.models import Animal
animal = Animal.objects.available().select_related("species", "breed").order_by("pk").first()
print(json.dumps({
    "total": Animal.objects.count(),
    "count": Animal.objects.available().count(),
    "list": reverse("animals:list"),
    "species": animal.species.get_absolute_url() if animal else "",
    "species_slug": animal.species.slug if animal else "",
    "breed_slug": animal.breed.slug if animal and animal.breed_id else "",
    "search": animal.breed.name.split()[0] if animal and animal.breed_id else "",
    "detail": animal.get_absolute_url() if animal else "",
}))
"""


def shop_env(cache_seconds: int = 0) -> dict:
    return {
        **os.environ,
        **SERVING_ENV,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": DATABASE_URL,
        "PAYMENTS_ALLOW_DEMO": "true",
        "SITE_URL_ALLOW_LOCAL": "true",
        "CATALOGUE_CACHE_SECONDS": str(cache_seconds),
        "STATIC_MANIFEST": "true",
        "LOG_LEVEL": "WARNING",
    }


def reference_env() -> dict:
    return {
        **os.environ,
        **SERVING_ENV,
        "REF_DATABASE_URL": REF_DATABASE_URL,
        "DJANGO_SETTINGS_MODULE": "refsite.settings",
    }


def prepare_shop(env: dict) -> dict:
    ensure_database(DATABASE_URL)
    log("migrating and collecting static files")
    manage("migrate", "--noinput", "-v0", env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)
    urls = json.loads(manage("shell", "-c", DISCOVER, env=env, capture=True).strip().splitlines()[-1])
    if urls["total"] < ANIMALS:
        log(f"seeding {ANIMALS} animals (seed_demo)")
        started = time.monotonic()
        manage("seed_demo", "--animals", str(ANIMALS), env=env, timeout=900)
        log(f"seeded in {time.monotonic() - started:.0f}s")
        urls = json.loads(manage("shell", "-c", DISCOVER, env=env, capture=True).strip().splitlines()[-1])
    log(f"{urls['count']} animals for sale")
    return urls


def pages(urls: dict) -> list[tuple[str, str]]:
    """(label, path) of each catalogue page measured. BENCH_FILTER_QUERY/BENCH_SEARCH_QUERY override."""
    filter_query = os.environ.get("BENCH_FILTER_QUERY", f"species={urls['species_slug']}&sort=price_asc")
    search_query = os.environ.get("BENCH_SEARCH_QUERY", f"q={urls['search']}")
    return [
        ("home /", "/"),
        ("list /animals/", urls["list"]),
        ("filtered list", f"{urls['list']}?{filter_query}"),
        ("search", f"{urls['list']}?{search_query}"),
        # A typo (trigram similarity, breeds by close spelling) and a young-animal word (a species under 12 months).
        ("search typo", f"{urls['list']}?q=labradr"),
        ("search puppy", f"{urls['list']}?q=puppy"),
        ("detail", urls["detail"]),
    ]


def warm_up(server: Gunicorn, path: str) -> None:
    url = server.base_url + path
    status = http_status(url)
    if status != 200:
        raise RuntimeError(f"{url} answered {status}, not 200: nothing to measure (see {server.log_path})")
    run_wrk(url, threads=THREADS, connections=CONNECTIONS, seconds=WARMUP_SECONDS)


def measure(server: Gunicorn, path: str) -> WrkResult:
    url = server.base_url + path
    result = run_wrk(url, threads=THREADS, connections=CONNECTIONS, seconds=SECONDS)
    if result.bad_responses or result.socket_errors:
        raise RuntimeError(f"{url}: {result.bad_responses} bad responses, {result.socket_errors} socket errors")
    return result


def paired_ratio(page_runs: list[WrkResult], reference_runs: list[WrkResult]) -> float:
    """Median over the rounds of (page req/s / reference req/s of the same round): the machine's speed drifts
    on a shared host, and a ratio of runs a few seconds apart cancels most of that drift."""
    return statistics.median(
        page.requests_per_second / reference.requests_per_second
        for page, reference in zip(page_runs, reference_runs, strict=True)
    )


def goals_missed(label: str, kind: str, result: WrkResult, ratio: float, rss: list[float]) -> list[str]:
    if label.startswith("api"):
        goal = API_GOAL_RATIO  # issue 22: one goal for the JSON API, cold or warm
    else:
        goal = WARM_GOAL_RATIO if kind == "warm" else COLD_GOAL_RATIOS.get(label, GOAL_RATIO)
    missed = []
    if ratio < goal:
        missed.append(f"ratio<{goal}")
    if result.p99_ms >= GOAL_P99_MS:
        missed.append(f"p99>={GOAL_P99_MS:.0f}ms")
    if any(value >= GOAL_RSS_MB for value in rss):
        missed.append(f"RSS>={GOAL_RSS_MB:.0f}MB")
    return missed


def table(rows: list[tuple[str, str, WrkResult, float, list[float]]]) -> tuple[str, bool]:
    lines = [
        f"{'page':<14} {'run':<11} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'ratio':>6}  {'RSS/worker MB':<14} goals",
        "-" * 90,
    ]
    all_met = True
    for label, kind, result, ratio, rss in rows:
        rss_text = "/".join(f"{value:.0f}" for value in rss)
        if label == "reference":
            goals = "(yardstick)"
        elif kind.startswith("before"):
            goals = "(comparison)"
        else:
            missed = goals_missed(label, kind, result, ratio, rss)
            all_met = all_met and not missed
            goals = "met" if not missed else "MISSED " + ",".join(missed)
        lines.append(
            f"{label:<14} {kind:<11} {result.requests_per_second:>8.0f} {result.p50_ms:>8.1f} {result.p99_ms:>8.1f} "
            f"{ratio:>6.2f}  {rss_text:<14} {goals}"
        )
    return "\n".join(lines), all_met


def measure_rounds(servers: dict, targets: list[tuple[str, str, str]]):
    """Warm up each (label, server kind, path) target, then RUNS rounds of every target in turn; (the results per
    (label, kind), each server's workers' RSS and PSS after the runs)."""
    for _label, kind, path in targets:
        warm_up(servers[kind], path)
    runs = {(label, kind): [] for label, kind, _path in targets}
    for number in range(1, RUNS + 1):
        for label, kind, path in targets:
            result = measure(servers[kind], path)
            runs[label, kind].append(result)
            log(f"round {number}, {label} {kind}: {result.requests_per_second:.0f} req/s, p99 {result.p99_ms:.1f} ms")
    rss = {kind: server.worker_rss_mb() for kind, server in servers.items()}
    pss = {kind: server.worker_pss_mb() for kind, server in servers.items()}
    return runs, rss, pss


def result_rows(targets, runs, rss) -> list:
    """The table's rows: each target's median result and its ratio paired with the reference's rounds."""
    reference = runs["reference", "reference"]
    return [
        (label, kind, median_result(runs[label, kind]), paired_ratio(runs[label, kind], reference), rss[kind])
        for label, kind, _path in targets
    ]


def memory_note(pss: dict[str, list[float]]) -> str:
    """The workers' proportional memory (PSS), beside the table's RSS: what one more worker costs."""
    shares = ", ".join(f"{kind} {'/'.join(f'{value:.0f}' for value in values)}" for kind, values in pss.items())
    return (
        f"PSS/worker MB (the pages shared with the master and the other worker counted as their share; RSS counts "
        f"them in full): {shares}\n"
    )


def main() -> int:
    exit_on_signal()
    ensure_wrk()
    env = shop_env()
    urls = prepare_shop(env)

    ensure_database(REF_DATABASE_URL)
    ref_env = reference_env()
    manage("migrate", "--noinput", "-v0", env=ref_env, cwd=REFERENCE)
    manage("seed_rows", "--count", str(ANIMALS), env=ref_env, cwd=REFERENCE)

    log(
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s, {RUNS} rounds of the reference then each page cold and "
        f"warm (after a {WARMUP_SECONDS}s warm-up each); medians of the rounds"
    )
    reference_app = {"app": "refsite.wsgi:application", "cwd": REFERENCE}
    servers = {
        "reference": Gunicorn(name="reference", port=REF_PORT, env=ref_env, **reference_app),
        "cold": Gunicorn(name="shop-cold", port=PORT, env=env),
        "warm": Gunicorn(name="shop-warm", port=WARM_PORT, env=shop_env(cache_seconds=600)),
    }
    if COMPARE_DIR:
        before = Path(COMPARE_DIR)
        servers["before"] = Gunicorn(name="shop-before", port=COMPARE_PORT, env=env, cwd=before)
        warm_env = shop_env(cache_seconds=600)
        servers["before-warm"] = Gunicorn(name="shop-before-warm", port=COMPARE_WARM_PORT, env=warm_env, cwd=before)
    try:
        servers["reference"].start()
        for kind in ("cold", "warm", "before", "before-warm"):
            if kind in servers:
                servers[kind].start(ready_path="/healthz")
        targets = [("reference", "reference", "/")]
        for label, path in pages(urls):
            targets += [(label, kind, path) for kind in ("before", "cold", "before-warm", "warm") if kind in servers]
        runs, rss, pss = measure_rounds(servers, targets)
    finally:
        for server in servers.values():
            server.stop()

    rows = result_rows(targets, runs, rss)
    text, all_met = table(rows)
    header = (
        f"Petshop catalogue benchmark, {time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} CPUs, "
        f"{urls['count']} animals for sale; gunicorn 2 sync workers, DEBUG off; cold = page cache off, "
        f"warm = anonymous page cache on{'; before = ' + COMPARE_DIR + ', cold and warm' if COMPARE_DIR else ''};\n"
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s on loopback, {RUNS} rounds (the reference, then each page), "
        f"medians of the rounds.\nRatio = median over the rounds of page req/s / reference req/s in the same "
        f"round. RSS measured after the runs.\n"
        f"Goals: cold ratio >= {GOAL_RATIO} ({', '.join(f'{k} {v}' for k, v in COLD_GOAL_RATIOS.items())}), "
        f"warm ratio >= {WARM_GOAL_RATIO}, p99 < {GOAL_P99_MS:.0f} ms, RSS < {GOAL_RSS_MB:.0f} MB per worker.\n"
        + "\n".join(f"  {label:<14} {path}" for label, path in pages(urls))
    )
    report = f"{header}\n\n{text}\n\n{memory_note(pss)}\nAll goals met: {'yes' if all_met else 'no'}\n"
    print("\n" + report)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "catalogue-latest.txt").write_text(report)
    log(f"written to {RESULTS / 'catalogue-latest.txt'}")
    return 0 if all_met or os.environ.get("BENCH_STRICT") != "1" else 1


if __name__ == "__main__":
    sys.exit(main())
