#!/usr/bin/env bash
# Catalogue benchmark: Petshop's catalogue pages vs a bare Django reference (see bench/README.md).
# Loopback only; bounded to 20 minutes; every server it starts is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { apt-get install -y -qq wrk || { apt-get update -qq && apt-get install -y -qq wrk; }; }
exec timeout --signal=TERM --kill-after=30s 20m .venv/bin/python bench/catalogue.py "$@"
