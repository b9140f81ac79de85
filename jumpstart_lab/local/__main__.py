"""``python -m jumpstart_lab.local [--port N]``: run the local AWS-compatible service."""

from __future__ import annotations

import sys

from ..cli import main

if __name__ == "__main__":
    sys.exit(main(["local", *sys.argv[1:]]))
