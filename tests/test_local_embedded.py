"""``local`` mode without an endpoint URL (the demo's path): the server starts its own local service,
serves the demo catalog through it, and stops it with itself; without the ``local`` extra every endpoint
says how to install it."""

from __future__ import annotations

import signal
import subprocess
from pathlib import Path

import psutil
from jupyter_process import get_json as _get
from jupyter_process import local_mode_server as jupyter_server


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
