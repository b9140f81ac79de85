"""Helpers for tests that run a Jupyter server as a subprocess (no fixtures here: importing is safe)."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

START_TIMEOUT = 120.0


def free_port() -> int:
    """A loopback port nobody listens on (now)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_serving(url: str, token: str, proc: subprocess.Popen, log: Path, what: str) -> None:
    """Return once ``{url}/api/status`` answers; fail the test (killing ``proc``) if it exits or never does."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2).close()
            return
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"{what} did not start; see {log}:\n{log.read_text()[-3000:]}")
            time.sleep(0.3)
