"""A real JupyterHub on loopback for the teams tests (no fixtures here: importing is safe).

DummyAuthenticator and SimpleLocalProcessSpawner (both ship with JupyterHub) give several users on one
machine; configurable-http-proxy comes from npm (scripts/setup.sh installs it into .venv/chp/). The
hub manages the audit service (``jumpstart-lab audit-service``), grants the custom scopes through roles
as the README's example does, and a test-only service holds an admin token to create users, start their
servers and issue their API tokens.
"""

from __future__ import annotations

import json
import secrets
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import requests
from jupyter_process import free_port

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
START_TIMEOUT = 120.0


def proxy_command() -> Path | None:
    """configurable-http-proxy installed by scripts/setup.sh (or on PATH)."""
    local = ROOT / ".venv" / "chp" / "node_modules" / ".bin" / "configurable-http-proxy"
    if local.exists():
        return local
    found = shutil.which("configurable-http-proxy")
    return Path(found) if found else None


class Hub:
    """``start()`` a hub whose single-user servers run jumpstart_lab on ``endpoint_url`` and ``db_url``."""

    def __init__(self, workdir: Path, *, endpoint_url: str, db_url: str) -> None:
        self.workdir = workdir
        self.endpoint_url = endpoint_url
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.admin_token = secrets.token_hex(16)
        self.proc: subprocess.Popen[bytes] | None = None
        self.log = workdir / "jupyterhub.log"

    def config(self, proxy: Path) -> str:
        user_config = self.workdir / "user-config"
        user_config.mkdir(exist_ok=True)
        (user_config / "jupyter_server_config.json").write_text(
            json.dumps(
                {
                    "ServerApp": {
                        "allow_root": True,  # CI runs as root
                        # only what the tests use: faster starts
                        "jpserver_extensions": {
                            "jumpstart_lab": True,
                            "jupyterlab": False,
                            "notebook": False,
                            "notebook_shim": False,
                            "jupyter_lsp": False,
                        },
                    },
                    "JumpStartLab": {"mode": "local", "endpoint_url": self.endpoint_url, "db_url": self.db_url},
                }
            )
        )
        values: dict[str, Any] = {
            "port": self.port,
            "hub_port": free_port(),
            "proxy_api": free_port(),
            "audit_port": free_port(),
            "proxy": str(proxy),
            "workdir": str(self.workdir),
            "singleuser": str(BIN / "jupyterhub-singleuser"),
            "jumpstart_lab": str(BIN / "jumpstart-lab"),
            "user_config": str(user_config),
            "db_url": self.db_url,
            "admin_token": self.admin_token,
            "path": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
        }
        return TEMPLATE.format(**{k: repr(v) for k, v in values.items()})

    def start(self) -> None:
        proxy = proxy_command()
        if proxy is None:
            raise RuntimeError("configurable-http-proxy is not installed (scripts/setup.sh installs it from npm)")
        path = self.workdir / "jupyterhub_config.py"
        path.write_text(self.config(proxy))
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [str(BIN / "jupyterhub"), "-f", str(path)],
                cwd=self.workdir,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.wait(lambda: self.api("GET", "").status_code == 200, "the hub API")

    def wait(self, ready, what: str, timeout: float = START_TIMEOUT) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if ready():
                    return
            except requests.RequestException:
                pass
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited; {self.log}:\n{self.log.read_text()[-4000:]}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{what} not ready in time; {self.log}:\n{self.log.read_text()[-4000:]}")
            time.sleep(0.3)

    def api(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        headers = {"Authorization": f"token {self.admin_token}"}
        return requests.request(method, f"{self.url}/hub/api/{path}", headers=headers, timeout=30, **kwargs)

    def add_user(self, name: str) -> str:
        """Create ``name`` and return an API token of theirs (carrying their roles' scopes)."""
        r = self.api("POST", f"users/{name}")
        assert r.status_code in (201, 409), r.text
        r = self.api("POST", f"users/{name}/tokens", json={"note": "teams test", "expires_in": 3600})
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def start_server(self, name: str) -> None:
        r = self.api("POST", f"users/{name}/server")
        assert r.status_code in (201, 202, 400), r.text

    def wait_server(self, name: str) -> str:
        """Wait until ``name``'s server is ready; its URL."""

        def ready() -> bool:
            server = self.api("GET", f"users/{name}").json().get("servers", {}).get("", {})
            return bool(server.get("ready"))

        self.wait(ready, f"{name}'s server")
        return f"{self.url}/user/{name}/"

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()  # the hub stops the servers and services it spawned
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()


TEMPLATE = """
c = get_config()  # noqa
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:%d" % {proxy_api}
c.ConfigurableHTTPProxy.command = [{proxy}]
c.JupyterHub.db_url = "sqlite:///" + {workdir} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {workdir} + "/jupyterhub_cookie_secret"
c.JupyterHub.pid_file = {workdir} + "/jupyterhub.pid"
c.JupyterHub.cleanup_servers = True
c.JupyterHub.authenticator_class = "dummy"
c.Authenticator.allow_all = True
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {workdir} + "/home/{{username}}"
c.Spawner.cmd = [{singleuser}]
c.Spawner.environment = {{"JUPYTER_CONFIG_DIR": {user_config}, "PATH": {path}}}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.LocalProcessSpawner.interrupt_timeout = 2  # then SIGTERM: a faster teardown
c.JupyterHub.tornado_settings = {{"slow_spawn_timeout": 0}}  # POST .../server answers 202 at once

# -- as in the README's "For teams (JupyterHub)" section --
c.JupyterHub.custom_scopes = {{
    "custom:jumpstart-lab:audit": {{"description": "Read every user's EULA acceptances (audit service)."}},
    "custom:jumpstart-lab:curate": {{"description": "Curate private hubs in jumpstart-lab (Admin view)."}},
}}
c.JupyterHub.services = [
    {{
        "name": "jumpstart-lab-audit",
        "url": "http://127.0.0.1:%d" % {audit_port},
        "command": [{jumpstart_lab}, "audit-service"],
        "environment": {{"JUMPSTART_LAB_DB_URL": {db_url}}},
        "oauth_no_confirm": True,
        "oauth_client_allowed_scopes": ["custom:jumpstart-lab:audit"],
    }},
    {{"name": "test-admin", "api_token": {admin_token}}},
]
c.Spawner.oauth_client_allowed_scopes = ["custom:jumpstart-lab:curate"]
c.JupyterHub.load_roles = [
    {{
        "name": "jumpstart-lab-auditors",
        "scopes": ["custom:jumpstart-lab:audit", "access:services!service=jumpstart-lab-audit"],
        "users": ["auditor"],
    }},
    {{"name": "jumpstart-lab-curators", "scopes": ["custom:jumpstart-lab:curate"], "users": ["alice"]}},
    {{
        "name": "test-admin",
        "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users",
                   "custom:jumpstart-lab:audit", "custom:jumpstart-lab:curate", "access:services", "access:servers"],
        "services": ["test-admin"],
    }},
]
"""
