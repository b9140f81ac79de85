#!/usr/bin/env bash
# Set up (or update) the development environment in .venv: Python packages with the
# test and local-service extras, and the JupyterLab frontend built from labextension/.
# Idempotent: safe to run again; it only installs what changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip

# Editable install: builds the labextension (jlpm install + build) through hatch-jupyter-builder.
.venv/bin/python -m pip install --quiet -e ".[test]"
# Link the built frontend into the environment's share/jupyter so rebuilds show up.
.venv/bin/jupyter labextension develop --overwrite . >/dev/null
