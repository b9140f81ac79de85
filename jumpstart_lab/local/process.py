"""Run the local service as a subprocess (used by tests and by the server in ``local`` mode)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .moto_backend import INSTALL_HINT, MOTO_VERSION

START_TIMEOUT = 60.0


class LocalServiceProcess:
    """``python -m jumpstart_lab.local`` in a subprocess whose output goes to a log file (never a pipe)."""

    def __init__(self, port: int = 0, env: dict[str, str] | None = None, log_path: Path | None = None) -> None:
        self.port = port
        self.env = dict(env or {})
        self.log_path = Path(log_path) if log_path else None
        self.url: str | None = None
        self._proc: subprocess.Popen[bytes] | None = None
        self._tmpdir: tempfile.TemporaryDirectory[str] | None = None

    def start(self) -> str:
        """Start the service and return its endpoint URL once it answers."""
        if self._proc is not None and self._proc.poll() is None and self.url:
            return self.url
        if importlib.util.find_spec("moto") is None:
            raise RuntimeError(
                f"The jumpstart-lab local service needs moto[server]=={MOTO_VERSION}, which is not installed: "
                f"run {INSTALL_HINT}"
            )
        self._tmpdir = tempfile.TemporaryDirectory(prefix="jumpstart-lab-local-")
        workdir = Path(self._tmpdir.name)
        ready = workdir / "ready"
        if self.log_path is None:
            self.log_path = workdir / "local-service.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        env = {**os.environ, **self.env, "PYTHONUNBUFFERED": "1"}
        # the package must be importable in the child even when running from a source tree
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
        cmd = [sys.executable, "-m", "jumpstart_lab.local", "--port", str(self.port), "--ready-file", str(ready)]
        with open(self.log_path, "ab") as log:
            self._proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        deadline = time.monotonic() + START_TIMEOUT
        while not ready.exists():
            code = self._proc.poll()
            if code is not None:
                self._fail(f"exited with code {code}")
            if time.monotonic() > deadline:
                self.stop()
                self._fail(f"did not answer within {START_TIMEOUT:.0f}s")
            time.sleep(0.02)
        self.url = ready.read_text().strip()
        self._check_health()
        return self.url

    def _check_health(self) -> None:
        assert self.url is not None
        with urllib.request.urlopen(f"{self.url}/_emu/health", timeout=10) as resp:  # noqa: S310 - loopback
            if resp.status != 200:
                self._fail(f"health check answered {resp.status}")

    def _fail(self, what: str) -> None:
        tail = self.log_tail()
        hint = f" Install it with: {INSTALL_HINT}" if "moto" in tail and "No module" in tail else ""
        raise RuntimeError(f"The jumpstart-lab local service {what}.{hint}\nLog ({self.log_path}):\n{tail}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:]) if self.log_path else ""
        except OSError:
            return ""

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    def stop(self) -> None:
        """Stop the subprocess (terminate, then kill after 5 s)."""
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        self.url = None

    def __enter__(self) -> LocalServiceProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
