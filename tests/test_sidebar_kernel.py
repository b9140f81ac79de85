"""The server ends the sidebar's kernel once no browser tab has been connected to it for the grace period.

A real Jupyter server with real kernels: an unused sidebar session is deleted (kernel included) after the grace,
a connected one and a notebook's session are left alone, and a sidebar kernel whose last tab went is ended
after the grace counted from then (a page reload reconnects well within it and keeps the kernel).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from jumpstart_lab.server.sidebar_kernel import SESSION_TYPE

GRACE = 1.5


@pytest.fixture
def jumpstart_settings() -> dict[str, Any]:
    return {"sidebar_kernel_grace_seconds": GRACE}


@pytest.fixture
def api(jp_fetch):
    """``await api("GET", "api/sessions")``: Jupyter's own REST API (parsed JSON)."""

    async def call(method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"method": method}
        if body is not None:
            kwargs["body"] = json.dumps(body)
        r = await jp_fetch(*path.split("/"), **kwargs)
        return json.loads(r.body)

    return call


async def new_session(api, path: str, kind: str) -> dict[str, Any]:
    return await api("POST", "api/sessions", {"path": path, "type": kind, "name": path, "kernel": {"name": "python3"}})


async def session_ids(api) -> set[str]:
    return {s["id"] for s in await api("GET", "api/sessions")}


async def wait_gone(api, session_id: str, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while session_id in await session_ids(api):
        assert time.monotonic() < deadline, f"session {session_id} was not ended"
        await asyncio.sleep(0.25)


async def test_unused_sidebar_kernel_ends_connected_one_and_notebooks_stay(api, jp_ws_fetch, jp_serverapp) -> None:
    unused = await new_session(api, ".jumpstart-lab/sidebar", SESSION_TYPE)
    watched = await new_session(api, ".jumpstart-lab/other-user-sidebar", SESSION_TYPE)
    notebook = await new_session(api, "Untitled.ipynb", "notebook")
    ws = await jp_ws_fetch("api", "kernels", watched["kernel"]["id"], "channels")
    try:
        await wait_gone(api, unused["id"])
        assert unused["kernel"]["id"] not in jp_serverapp.kernel_manager.list_kernel_ids()
        await asyncio.sleep(GRACE * 2)  # more than a grace and a check later
        left = await session_ids(api)
        assert watched["id"] in left, "a sidebar kernel with a connected tab was ended"
        assert notebook["id"] in left, "a notebook's session was ended"
    finally:
        ws.close()
    # its tab went: ended after the grace counted from then
    await wait_gone(api, watched["id"])
    assert notebook["id"] in await session_ids(api)


async def test_a_reconnect_within_the_grace_keeps_the_kernel(api, jp_ws_fetch) -> None:
    session = await new_session(api, ".jumpstart-lab/sidebar", SESSION_TYPE)
    kernel_id = session["kernel"]["id"]
    for _ in range(4):  # a tab reloads again and again, each time back well within the grace
        ws = await jp_ws_fetch("api", "kernels", kernel_id, "channels")
        await asyncio.sleep(GRACE)  # connected for longer than a check interval: a check sees it
        ws.close()
        await asyncio.sleep(GRACE / 3)
    running = [k["id"] for k in await api("GET", "api/kernels")]
    assert kernel_id in running, "the kernel was ended although a tab came back within the grace"
    await wait_gone(api, session["id"])
