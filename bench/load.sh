#!/usr/bin/env bash
# Mixed load (browse 80%, cart 15%, checkout 5%) with faults, then the shop's invariants.
# Loopback only; bounded to 12 minutes; every process it starts is stopped on exit. See bench/README.md.
# Note: the database-restart step restarts the PostgreSQL cluster serving BENCH_DATABASE_URL
# (BENCH_SKIP_DB_RESTART=1 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
exec timeout --signal=TERM --kill-after=30s 12m .venv/bin/python bench/load.py "$@"
