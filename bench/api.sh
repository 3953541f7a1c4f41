#!/usr/bin/env bash
# API benchmark: GET /api/v1/animals vs a bare Django view returning 24 rows as JSON (see bench/api_catalogue.py).
# Loopback only; bounded to 20 minutes; every server it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
exec timeout --signal=TERM --kill-after=30s 20m .venv/bin/python bench/api_catalogue.py "$@"
