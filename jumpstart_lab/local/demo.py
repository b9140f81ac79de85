"""Prepare the demo's server root: the example notebooks beside the user's own files.

``python -m jumpstart_lab.local.demo --examples notebooks --root demo`` (what ``scripts/demo.sh`` runs)
copies ``notebooks/*.ipynb`` into ``demo/examples/`` so the demo's file browser shows them. A copy that is
already there is never overwritten: the user's edits and outputs stay.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

FOLDER = "examples"


def copy_examples(source: Path, root: Path) -> list[str]:
    """Copy the example notebooks missing from ``root/examples``; returns the names copied."""
    target = Path(root) / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(Path(source).glob("*.ipynb")):
        destination = target / notebook.name
        if destination.exists() or destination.is_symlink():
            continue
        shutil.copyfile(notebook, destination)
        copied.append(notebook.name)
    return copied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m jumpstart_lab.local.demo", description=__doc__.split("\n")[0])
    parser.add_argument("--examples", type=Path, required=True, help="folder of the example notebooks")
    parser.add_argument("--root", type=Path, required=True, help="the demo's Jupyter server root")
    args = parser.parse_args(argv)
    copied = copy_examples(args.examples, args.root)
    if copied:
        print(f"Example notebooks in {args.root / FOLDER}: {', '.join(copied)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
