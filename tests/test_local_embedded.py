"""``local`` mode without an endpoint URL (the demo's path): the server starts its own local service,
serves the demo catalog through it, and stops it with itself; without the ``local`` extra every endpoint
says how to install it."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psutil
from jupyter_process import free_port, wait_until_serving

TOKEN = "embedded-test-token"


def _get(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {TOKEN}"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


@contextmanager
def jupyter_server(tmp_path: Path, *, hide_moto: bool = False) -> Iterator[tuple[str, subprocess.Popen, Path]]:
    """``jupyter server --JumpStartLab.mode=local`` with no endpoint URL (``hide_moto``: as if the extra is
    missing), yielding its API base URL once it answers."""
    port = free_port()
    root = tmp_path / "root"
    root.mkdir()
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
    log = tmp_path / "server.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-c", code], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}/jumpstart-lab/api"
    try:
        wait_until_serving(f"http://127.0.0.1:{port}", TOKEN, proc, log, "jupyter server")
        yield base, proc, log
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def _local_service_children(proc: subprocess.Popen) -> list[psutil.Process]:
    return [
        p for p in psutil.Process(proc.pid).children(recursive=True) if "jumpstart_lab.local" in " ".join(p.cmdline())
    ]


def test_local_mode_starts_serves_and_stops_its_own_local_service(tmp_path: Path) -> None:
    with jupyter_server(tmp_path) as (base, proc, log):
        code, status = _get(f"{base}/status")
        assert code == 200 and status["mode"] == "local", status
        code, hubs = _get(f"{base}/hubs")
        assert code == 200
        names = {h["name"] for h in hubs["hubs"]}
        assert {"SageMakerPublicHub", "CompanyHub"} <= names  # the demo catalog, seeded by the local service

        (service,) = _local_service_children(proc)
        assert service.is_running()
        listening = [c.laddr for c in service.net_connections(kind="tcp") if c.status == psutil.CONN_LISTEN]
        assert listening and all(addr.ip == "127.0.0.1" for addr in listening)  # loopback only

        proc.send_signal(signal.SIGTERM)  # how a service manager or JupyterHub stops a server
        proc.wait(timeout=60)
        service.wait(timeout=30)  # stopped with the server, not orphaned
        assert not service.is_running()
        assert "local demo service at http://127.0.0.1:" in log.read_text()


def test_local_mode_without_the_local_extra_says_how_to_install_it(tmp_path: Path) -> None:
    with jupyter_server(tmp_path, hide_moto=True) as (base, proc, log):
        for path in ("status", "hubs"):
            code, body = _get(f"{base}/{path}")
            assert code == 503, body
            assert body["code"] == "LocalServiceUnavailable"
            assert "pip install 'jumpstart_lab[local]'" in body["message"]
        assert not _local_service_children(proc)
        text = log.read_text()
        assert "pip install 'jumpstart_lab[local]'" in text and "Traceback" not in text
