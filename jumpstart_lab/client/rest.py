"""``JumpStartClient``: the extension's REST API over ``requests``.

Every method returns the parsed JSON; an error response raises :class:`ApiError`
with the server's ``code`` and ``message``. The token travels only in the
``Authorization`` header; it is never part of a repr, a log line or a URL.
"""

from __future__ import annotations

import json as jsonlib
import logging
from collections.abc import Callable, Sequence
from typing import Any
from urllib.parse import quote

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError, ReadTimeoutError
from urllib3.util.retry import Retry

from .discovery import ServerInfo, discover_server
from .errors import ApiError, ServerNotFound, TransportError

log = logging.getLogger(__name__)

API = "jumpstart-lab/api/"
DEFAULT_TIMEOUT = (5.0, 60.0)  # connect, read
NDJSON = "application/x-ndjson"
Progress = Callable[[str, int, int], None]  # (what was just done, done, total)
TIMEOUT_MESSAGE = "The Jupyter server did not answer in time; try again."


def _read_timed_out(exc: requests.ConnectionError) -> bool:
    """A GET whose read timed out: the retry adapter reports it as a ConnectionError (retries used up)."""
    reason = exc.args[0] if exc.args else None
    return isinstance(reason, MaxRetryError) and isinstance(reason.reason, ReadTimeoutError)


def _seg(value: str) -> str:
    """One URL path segment (hub ARNs contain ``/`` and ``:``)."""
    return quote(str(value), safe="")


class JumpStartClient:
    """REST client for ``{server}jumpstart-lab/api/``."""

    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float | tuple[float, float] = DEFAULT_TIMEOUT,
        session: requests.Session | None = None,
    ) -> None:
        server = discover_server() if url is None else ServerInfo(url, token or "")
        self.server_url = server.url
        self.timeout = timeout
        self._session = session or requests.Session()
        # Idempotent requests are retried on connection errors (server restarting); never POSTs.
        retry = Retry(total=2, connect=2, read=0, backoff_factor=0.2, allowed_methods=frozenset({"GET", "DELETE"}))
        # Pool as large as the panel's worker threads (ui + polls + hub counts), so connections are reused.
        adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
        if server.token:
            self._session.headers["Authorization"] = f"token {server.token}"
        self._session.headers["Accept"] = "application/json"

    def __repr__(self) -> str:
        return f"JumpStartClient({self.server_url!r})"

    def url_for(self, path: str = "") -> str:
        """Absolute URL of a page on the server (for links; carries no token)."""
        return self.server_url + path.lstrip("/")

    # -- transport -----------------------------------------------------------------------
    def request(self, method: str, path: str, *, params: dict[str, Any] | None = None, json: Any = None) -> Any:
        """Send one request to ``API + path``; the parsed JSON body, or :class:`ApiError`."""
        response = self._send(method, path, params=params, json=json)
        if not response.content:
            return None
        try:
            return response.json()
        except ValueError as exc:
            message = "The server sent a response that is not JSON."
            raise TransportError(response.status_code, "InvalidResponse", message) from exc

    def streamed(self, method: str, path: str, progress: Progress | None, *, json: Any = None) -> Any:
        """Like :meth:`request` for an operation that reports progress: ``progress(what, done, total)`` is
        called for each step as the server reports it (``Accept: application/x-ndjson``), then the result
        is returned; an error, also one reported after the first step, raises :class:`ApiError`."""
        if progress is None:
            return self.request(method, path, json=json)
        response = self._send(method, path, json=json, headers={"Accept": NDJSON}, stream=True)
        with response:
            if not response.headers.get("Content-Type", "").startswith(NDJSON):
                return response.json() if response.content else None
            for raw in response.iter_lines():
                if not raw:
                    continue
                try:
                    line = jsonlib.loads(raw)
                except ValueError as exc:
                    raise TransportError(response.status_code, "InvalidResponse", "The server sent a line that "
                                         "is not JSON.") from exc  # fmt: skip
                if "progress" in line:
                    step = line["progress"]
                    progress(str(step.get("what", "")), int(step.get("done", 0)), int(step.get("total", 0)))
                elif "result" in line:
                    return line["result"]
                elif "error" in line:
                    error = dict(line["error"])
                    status = int(error.pop("status", 500))
                    code, message = str(error.pop("code", "Error")), str(error.pop("message", ""))
                    raise ApiError(status, code, message, **error)
        raise TransportError(response.status_code, "InvalidResponse", "The server's answer ended before its result.")

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        stream: bool = False,
    ) -> requests.Response:
        clean = {k: _param(v) for k, v in (params or {}).items() if v is not None and v != ""}
        try:
            response = self._session.request(
                method, self.server_url + API + path, params=clean, json=json, timeout=self.timeout,
                headers=headers, stream=stream,
            )  # fmt: skip
        except requests.ConnectionError as exc:
            if not _read_timed_out(exc):
                raise ServerNotFound(
                    f"The Jupyter server at {self.server_url} cannot be reached. Is it running?",
                    code="ServerUnreachable",
                    url=self.server_url,
                ) from exc
            raise TransportError(504, "Timeout", TIMEOUT_MESSAGE) from exc
        except requests.Timeout as exc:
            raise TransportError(504, "Timeout", TIMEOUT_MESSAGE) from exc
        if response.status_code >= 400:
            raise _error(response)
        return response

    # -- browse --------------------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        return self.request("GET", "status")

    def hubs(self, refresh: bool = False) -> dict[str, Any]:
        """``GET hubs``; ``refresh``: list them again instead of answering from the server's cache."""
        return self.request("GET", "hubs", params={"refresh": True} if refresh else None)

    def models(self, hub: str, **query: Any) -> dict[str, Any]:
        """``GET hubs/{hub}/models``: ``q``, filters, ``sort``, ``limit``, ``cursor``."""
        return self.request("GET", f"hubs/{_seg(hub)}/models", params=query)

    def model(self, hub: str, model_id: str, version: str | None = None) -> dict[str, Any]:
        return self.request("GET", f"hubs/{_seg(hub)}/models/{_seg(model_id)}", params={"version": version})

    # -- EULA ----------------------------------------------------------------------------
    def eula(self, hub: str, model_id: str, version: str | None = None) -> dict[str, Any]:
        return self.request("GET", f"hubs/{_seg(hub)}/models/{_seg(model_id)}/eula", params={"version": version})

    def accept_eula(
        self, hub: str, model_id: str, version: str | None, action: str, sha256: str | None = None
    ) -> dict[str, Any]:
        """Record the user's acceptance; ``sha256`` is the hash of the text they were shown."""
        body = {"action": action, "version": version, "sha256": sha256}
        path = f"hubs/{_seg(hub)}/models/{_seg(model_id)}/eula"
        return self.request("POST", path, json={k: v for k, v in body.items() if v is not None})

    # -- notebooks -----------------------------------------------------------------------
    def create_notebook(
        self, hub: str, model_id: str, action: str, version: str | None = None, **extra: Any
    ) -> dict[str, Any]:
        body = {"hub": hub, "model_id": model_id, "action": action, "version": version, **extra}
        return self.request("POST", "notebooks", json={k: v for k, v in body.items() if v is not None})

    # -- deployments ---------------------------------------------------------------------
    def deploy(self, hub: str, model_id: str, **options: Any) -> dict[str, Any]:
        body = {"hub": hub, "model_id": model_id, **options}
        return self.request("POST", "deployments", json={k: v for k, v in body.items() if v is not None})

    def deployments(self, include_deleted: bool = False) -> Any:
        """``GET deployments`` (with prices, cost so far, ``running``); ``include_deleted`` adds saved ones."""
        return self.request("GET", "deployments", params={"include": "deleted"} if include_deleted else None)

    def deploy_options(self, hub: str, model_id: str, version: str | None = None) -> dict[str, Any]:
        """Each supported instance type with its hourly price, quota, instances in use and free count."""
        path = f"hubs/{_seg(hub)}/models/{_seg(model_id)}/deploy-options"
        return self.request("GET", path, params={"version": version})

    def instance_types(self) -> dict[str, Any]:
        """``GET instance-types``: the account's endpoint quota, use and free count per instance type."""
        return self.request("GET", "instance-types")

    def redeploy(self, name: str) -> dict[str, Any]:
        return self.request("POST", f"deployments/{_seg(name)}/redeploy", json={})

    def deployment(self, name: str) -> dict[str, Any]:
        return self.request("GET", f"deployments/{_seg(name)}")

    def delete_deployment(self, name: str) -> Any:
        return self.request("DELETE", f"deployments/{_seg(name)}")

    def invoke(self, name: str, payload: Any = None) -> Any:
        return self.request(
            "POST", f"deployments/{_seg(name)}/invoke", json={} if payload is None else {"payload": payload}
        )


    # -- curation (administrators) ------------------------------------------------------
    def curation_status(self) -> dict[str, Any]:
        """``{"allowed": bool, "reason": str | None}``: whether this user may curate hubs on this server."""
        return self.request("GET", "curation")

    def create_hub(
        self, name: str, description: str, display_name: str | None = None, keywords: Sequence[str] = ()
    ) -> dict[str, Any]:
        body = {"name": name, "display_name": display_name or name, "description": description,
                "keywords": list(keywords)}  # fmt: skip
        return self.request("POST", "hubs", json=body)

    def delete_hub(self, hub: str, progress: Progress | None = None) -> dict[str, Any]:
        """Unshare the hub, remove everything it holds, delete it; ``progress(what, done, total)`` per item.
        A failure raises :class:`ApiError` whose ``details`` say what was removed and what remains."""
        return self.streamed("DELETE", f"hubs/{_seg(hub)}", progress)

    def hub_contents(self, hub: str) -> dict[str, Any]:
        """What :meth:`delete_hub` would remove: references, owned content (every version), RAM shares."""
        return self.request("GET", f"hubs/{_seg(hub)}/contents")

    def references(self, hub: str) -> dict[str, Any]:
        return self.request("GET", f"hubs/{_seg(hub)}/references")

    def add_references(
        self,
        hub: str,
        models: Sequence[str] | None = None,
        *,
        filter: dict[str, Any] | None = None,
        min_version: str | None = None,
        progress: Progress | None = None,
    ) -> dict[str, Any]:
        """A ModelReference for each public model id in ``models``, or for every public model matching
        ``filter`` (the catalog's query parameters: ``q``, ``framework``, ...); one result per model."""
        body: dict[str, Any] = {"models": list(models)} if models is not None else {"filter": filter or {}}
        if min_version:
            body["min_version"] = min_version
        return self.streamed("POST", f"hubs/{_seg(hub)}/references", progress, json=body)

    def remove_reference(self, hub: str, model_id: str) -> dict[str, Any]:
        return self.request("DELETE", f"hubs/{_seg(hub)}/references/{_seg(model_id)}")

    def shares(self, hub: str) -> dict[str, Any]:
        return self.request("GET", f"hubs/{_seg(hub)}/shares")

    def share(self, hub: str, account_ids: Sequence[str], permission: str = "Read") -> dict[str, Any]:
        body = {"account_ids": list(account_ids), "permission": permission}
        return self.request("POST", f"hubs/{_seg(hub)}/shares", json=body)

    def unshare(self, hub: str, account_id: str) -> dict[str, Any]:
        return self.request("DELETE", f"hubs/{_seg(hub)}/shares/{_seg(account_id)}")


def _param(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _error(response: requests.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("message"), str):
        details = {k: v for k, v in body.items() if k not in ("code", "message")}
        return ApiError(response.status_code, str(body.get("code") or "Error"), body["message"], **details)
    if response.status_code == 403:
        message = "The Jupyter server refused the request: the token is missing or wrong."
    elif response.status_code == 404:
        message = "The jumpstart-lab server extension is not enabled on this Jupyter server."
    else:
        message = f"The Jupyter server answered HTTP {response.status_code}."
    return TransportError(response.status_code, "HttpError", message)
