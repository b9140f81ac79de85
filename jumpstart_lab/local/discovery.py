"""Find the running local service from anywhere on this computer (a notebook written yesterday, a kernel).

The embedded service listens on a new port every time JupyterLab starts, so generated notebooks
must not hard-code it. Every running service registers itself in a small JSON file under the
Jupyter runtime directory (``<runtime dir>/jumpstart-lab/local-service-<pid>.json``); the server
extension also exports ``JUMPSTART_LAB_LOCAL_ENDPOINT`` to the kernels it starts. :func:`find`
tries that variable, then the registered services (newest first), and returns the first that
answers its health check as a jumpstart-lab local service.

Standard library only (importable without moto, from any kernel).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import urllib.request
from pathlib import Path

ENV = "JUMPSTART_LAB_LOCAL_ENDPOINT"
SERVICE = "jumpstart-lab-local"
_PREFIX = "local-service-"


class LocalServiceNotRunning(RuntimeError):
    """No local demo service answers on this computer."""


NOT_RUNNING = (
    "No jumpstart-lab local demo service is running on this computer. Start the demo first "
    "(`bash scripts/demo.sh`, or `jupyter lab --JumpStartLab.mode=local`), or run `jumpstart-lab local` in a "
    "terminal, then run this cell again. To run against your AWS account instead, delete this cell."
)


def registry_dir() -> Path:
    """Where running services register (the Jupyter runtime directory of this user)."""
    from jupyter_core.paths import jupyter_runtime_dir

    return Path(jupyter_runtime_dir()) / "jumpstart-lab"


def register(url: str) -> Path:
    """Record that this process serves ``url`` (written atomically; :func:`unregister` removes it)."""
    folder = registry_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / f"{_PREFIX}{os.getpid()}.json"
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps({"url": url, "pid": os.getpid(), "started": time.time()}))
    tmp.replace(path)
    return path


def unregister(path: Path | None) -> None:
    if path is not None:
        with contextlib.suppress(OSError):
            path.unlink()


def _alive(pid: object) -> bool:
    if not isinstance(pid, int) or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: not ours to use
        return False
    return True


def _registered() -> list[str]:
    """URLs of registered services whose process is alive, newest first (files of dead ones removed)."""
    try:
        files = list(registry_dir().glob(f"{_PREFIX}*.json"))
    except OSError:
        return []
    entries: list[tuple[float, str]] = []
    for path in files:
        try:
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("url"), str):
            continue
        if not _alive(data.get("pid")):
            unregister(path)
            continue
        entries.append((float(data.get("started") or 0), data["url"]))
    return [url for _, url in sorted(entries, reverse=True)]


def answers(url: str, timeout: float = 2.0) -> bool:
    """Whether ``url`` is a loopback jumpstart-lab local service that answers its health check."""
    if not url.startswith(("http://127.0.0.1:", "http://localhost:", "http://[::1]:")):
        return False
    try:
        with urllib.request.urlopen(f"{url.rstrip('/')}/_emu/health", timeout=timeout) as resp:  # noqa: S310 - loopback
            body = json.loads(resp.read() or b"{}")
    except (OSError, ValueError):
        return False
    return isinstance(body, dict) and body.get("service") == SERVICE and body.get("status") == "ok"


def find() -> str | None:
    """The endpoint URL of a running local service, or None."""
    exported = os.environ.get(ENV, "").rstrip("/")
    if exported and answers(exported):
        return exported
    for url in dict.fromkeys(u.rstrip("/") for u in _registered() if u.rstrip("/") != exported):
        if answers(url):
            return url
    return None


def require() -> str:
    """:func:`find`, or :class:`LocalServiceNotRunning` saying what to start."""
    url = find()
    if url is None:
        raise LocalServiceNotRunning(NOT_RUNNING)
    return url
