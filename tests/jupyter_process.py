"""Helpers for tests that run a Jupyter server as a subprocess (no fixtures here: importing is safe)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
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


TOKEN = "embedded-test-token"


def get_json(url: str, method: str = "GET", body: object = None) -> tuple[int, dict]:
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"token {TOKEN}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@contextmanager
def local_mode_server(tmp_path: Path, *, hide_moto: bool = False) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """``jupyter server --JumpStartLab.mode=local`` with no endpoint URL (the demo's path; root, runtime and
    config folders under ``tmp_path``, so a second start shares them) (``hide_moto``: as if the extra is
    missing), yielding its API base URL once it answers."""
    port = free_port()
    root = tmp_path / "root"
    root.mkdir(exist_ok=True)
    args = [
        "jupyter-server",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={TOKEN}",
        f"--ServerApp.root_dir={root}",
        "--JumpStartLab.mode=local",
        f"--JumpStartLab.eula_store_path={tmp_path / 'eula.sqlite3'}",
    ]
    code = (
        "import sys; sys.modules['moto'] = None; " if hide_moto else "import sys; "
    ) + f"sys.argv = {args!r}; from jupyter_server.serverapp import main; main()"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "JUMPSTART_"))}
    env.update(JUPYTER_CONFIG_DIR=str(tmp_path / "config"), JUPYTER_RUNTIME_DIR=str(tmp_path / "runtime"))
    log = tmp_path / f"server-{port}.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/jumpstart-lab/api"
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", TOKEN, proc, log, "jupyter server")
        yield base, proc, log
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM (the server stops its local service and unregisters it), SIGKILL if it will not go."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=30)
