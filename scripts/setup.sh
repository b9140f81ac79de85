#!/usr/bin/env bash
# Set up (or update) the development environment in .venv: Python packages with the
# test and local-service extras, and the JupyterLab frontend built from labextension/.
# Idempotent: safe to run again; it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
export PATH="$PWD/.venv/bin:$PATH"   # jlpm and jupyter-builder, also for package.json scripts
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

# Editable install; the first time it also builds the labextension through hatch-jupyter-builder.
.venv/bin/python -m pip install --quiet -e ".[test]" "jupyter-builder>=1.2.0,<2"
# configurable-http-proxy (npm) for the JupyterHub tests (tests/test_teams_jupyterhub.py), kept inside .venv.
if [ ! -x .venv/chp/node_modules/.bin/configurable-http-proxy ]; then
  npm install --silent --no-audit --no-fund --prefix .venv/chp "configurable-http-proxy@^5" >/dev/null
fi
# Rebuild the frontend from the current sources (a no-op-fast incremental build when nothing changed)
# and link it into the environment, so a stale build is never served.
(cd labextension && jlpm install --immutable >/dev/null && jlpm build >/dev/null)
jupyter-builder develop --overwrite . >/dev/null

# axe-core for the browser tests' accessibility checks (tests/browser_support.py injects
# .venv/axe/node_modules/axe-core/axe.min.js into the page). Pinned; installed once.
AXE_VERSION=4.14.1
if [ "$(node -p "require('./.venv/axe/node_modules/axe-core/package.json').version" 2>/dev/null)" != "$AXE_VERSION" ]; then
  mkdir -p .venv/axe
  npm install --silent --no-audit --no-fund --no-save --prefix .venv/axe "axe-core@$AXE_VERSION" >/dev/null
fi
