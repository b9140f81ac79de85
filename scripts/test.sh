#!/usr/bin/env bash
# The whole test suite on a fresh machine: set up, install Chromium for the browser
# tests, lint, then pytest (unit, server, local service, notebooks, browser).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
      || echo "warning: could not install chromium; browser tests will be skipped" >&2
  elif command -v sudo >/dev/null 2>&1; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji >/dev/null) \
      || echo "warning: could not install chromium; browser tests will be skipped" >&2
  fi
fi

# PostgreSQL for the teams tests (tests/postgres.py starts throwaway clusters as the postgres user).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "warning: could not install postgresql; the teams tests will be skipped" >&2
  elif command -v sudo >/dev/null 2>&1; then
    (sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
      || echo "warning: could not install postgresql; the teams tests will be skipped" >&2
  fi
fi

.venv/bin/ruff check jumpstart_lab tests benchmarks scripts
# Two workers (pytest-xdist), grouped by tests/conftest.py: a module on one worker, every browser test on one
# worker. JUMPSTART_LAB_TEST_WORKERS=0 runs in this process (e.g. to debug one test).
workers="${JUMPSTART_LAB_TEST_WORKERS:-2}"
if [ "$workers" = "0" ]; then
  .venv/bin/python -m pytest "$@"
else
  .venv/bin/python -m pytest -n "$workers" --dist loadgroup "$@"
fi
