#!/usr/bin/env bash
# Two gunicorn instances on one PostgreSQL and one Redis: a cart and a price change cross between them.
# Loopback only; bounded to 5 minutes; both servers are stopped on exit. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
exec timeout --signal=TERM --kill-after=30s 5m .venv/bin/python bench/scaleout.py "$@"
