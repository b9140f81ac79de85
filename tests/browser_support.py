"""What the browser tests share: Debian's Chromium, and a Jupyter server of our own on the local service.

``start_jupyter("jupyterlab" | "notebook", ...)`` runs the real application in its own process with a
token, a fresh root, workspace, settings, config, runtime and EULA store, and no news toast; tests
drive it with Python Playwright (never Playwright's own browser download).
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from jupyter_process import free_port, wait_until_serving

CHROMIUM = os.environ.get("JUMPSTART_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: two cores are shared with other test processes; waits end as soon as the UI is there.
UI_TIMEOUT_MS = 90_000
REPO = Path(__file__).resolve().parents[1]
BUILT = REPO / "jumpstart_lab" / "labextension" / "package.json"

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(not BUILT.exists(), reason="frontend not built (pip install -e . or jlpm build)"),
]


@pytest.fixture(autouse=True)
def jp_asyncio_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """pytest-jupyter's loop fixture would close the loop Playwright's sync API runs on: use a private one."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(autouse=True)
def jp_server_cleanup() -> None:
    """No in-process ServerApp here (Jupyter runs in its own process)."""


@dataclass
class Jupyter:
    """A running ``jupyter lab`` / ``jupyter notebook`` process."""

    url: str
    root: Path
    log: Path
    token: str
    process: subprocess.Popen

    def api(self, method: str, path: str, body: object = None) -> object:
        """Call the server's REST API with the token (as a script would, not the browser)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/{path.lstrip('/')}",
            method=method,
            data=data,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            reply = resp.read()
        return json.loads(reply) if reply else None

    def sidebar_session(self) -> dict | None:
        sessions = self.api("GET", "api/sessions")
        return next((s for s in sessions if s.get("type") == "jumpstart-lab"), None)  # type: ignore[union-attr]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.send_signal(signal.SIGINT)  # the second ^C skips the confirmation prompt
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_jupyter(
    app: str,
    *,
    local_service: str,
    tmp: Path,
    token: str,
    log: Path,
    extra_args: Sequence[str] = (),
    kernel_finds_server: bool = False,
) -> Jupyter:
    """Start ``python -m <app>`` (``jupyterlab`` or ``notebook``) on the local service; wait until it answers.

    ``kernel_finds_server``: drop ``JUMPSTART_SERVER_URL`` so kernels locate their server by themselves
    (``JPY_PARENT_PID``), and put the checkout on their ``PYTHONPATH``.
    """
    root = tmp / "root"
    root.mkdir(exist_ok=True)
    notification = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    # No "get notified about Jupyter news?" toast over the panel.
    (notification / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    if kernel_finds_server:
        env.pop("JUMPSTART_SERVER_URL", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    app_class = "LabApp" if app == "jupyterlab" else "JupyterNotebookApp"
    cmd = [
        sys.executable,
        "-m",
        app,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--{app_class}.workspaces_dir={tmp / 'workspaces'}",
        *(["--LabApp.news_url=None"] if app == "jupyterlab" else []),
        "--JumpStartLab.mode=local",
        f"--JumpStartLab.endpoint_url={local_service}",
        f"--JumpStartLab.eula_store_path={tmp / 'eula.sqlite3'}",
        *extra_args,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, token, proc, log, app)
    return Jupyter(url=url, root=root, log=log, token=token, process=proc)


FLAN = "huggingface-text2text-flan-t5-base"


def open_public_model(panel, model_id: str = FLAN, search: str = "flan-t5-base") -> None:
    """In a hub browser (sidebar or notebook output): the public hub, a search, then the model's details."""
    panel.get_by_title("Browse the models of JumpStart Public Hub").click()
    panel.get_by_placeholder("Search models").fill(search)
    panel.get_by_title(model_id, exact=True).click()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium through Python Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
