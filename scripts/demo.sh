#!/usr/bin/env bash
# The demo: JupyterLab with jumpstart-lab on the embedded local AWS-compatible service.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
extra=()
if [ "$(id -u)" = "0" ]; then extra+=(--allow-root); fi
mkdir -p demo
# the example notebooks in the demo's file browser (demo/examples; your copies are never overwritten)
.venv/bin/python -m jumpstart_lab.local.demo --examples notebooks --root demo
exec .venv/bin/jupyter lab --JumpStartLab.mode=local --ServerApp.root_dir=demo "${extra[@]}" "$@"
