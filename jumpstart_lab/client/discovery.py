"""Finding the Jupyter server from a kernel.

Order: ``JUMPSTART_SERVER_URL`` (+ ``JUPYTER_TOKEN``) when set (remote kernels,
tests); else the ``jpserver-<pid>.json`` runtime file of the server that launched
this kernel (``JPY_PARENT_PID``); else the only running server. The token is kept
out of every repr.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from .errors import ServerNotFound

NO_SERVER = (
    "No running Jupyter server was found for this kernel. Start JupyterLab (`jupyter lab`), or set "
    "JUMPSTART_SERVER_URL and JUPYTER_TOKEN to the server's URL and token."
)


@dataclass(frozen=True)
class ServerInfo:
    """Base URL of a Jupyter server (ending in ``/``, including its base_url) and its token."""

    url: str
    token: str = field(default="", repr=False)

    def __post_init__(self) -> None:
        if not self.url.endswith("/"):
            object.__setattr__(self, "url", self.url + "/")


def _running_servers() -> list[dict[str, Any]]:
    from jupyter_server.serverapp import list_running_servers

    return list(list_running_servers())


def discover_server(environ: dict[str, str] | None = None) -> ServerInfo:
    """The server this kernel should talk to (raises :class:`ServerNotFound`)."""
    env = os.environ if environ is None else environ
    token_fallback = env.get("JUPYTER_TOKEN") or env.get("JUPYTERHUB_API_TOKEN") or ""
    if url := env.get("JUMPSTART_SERVER_URL"):
        return ServerInfo(url, token_fallback)
    servers = _running_servers()
    parent = env.get("JPY_PARENT_PID")
    info = next((s for s in servers if parent and str(s.get("pid")) == parent), None)
    if info is None and len(servers) == 1:
        info = servers[0]
    if info is None:
        raise ServerNotFound(NO_SERVER, code="NoServer")
    return ServerInfo(str(info["url"]), str(info.get("token") or token_fallback))
