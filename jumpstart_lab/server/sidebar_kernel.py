"""End the JumpStart sidebar's kernel once no browser tab has been connected to it for a grace period.

Every tab of one user shares one sidebar session (the labextension's ``SESSION_TYPE``). Ending it from the page
(on ``beforeunload``) also ended it on every reload, and the reloaded page then joined a kernel that was being
shut down. Here the server decides instead: a session whose kernel has had no websocket connection for
``grace_seconds`` is deleted (kernel included). A reload reconnects within the grace, so the panel keeps its
state; a closed or crashed browser still frees the kernel.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from tornado.ioloop import PeriodicCallback

from ..lab.protocol import SESSION_TYPE  # the type of the sidebar's session (shared with the labextension)


class UnusedSidebarKernel:
    """Deletes sidebar sessions whose kernel had no connection for ``grace_seconds`` (checked periodically)."""

    def __init__(
        self,
        session_manager: Any,
        grace_seconds: float,
        log: logging.Logger | logging.LoggerAdapter,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sessions = session_manager
        self.grace = grace_seconds
        self.log = log
        self.clock = clock
        self._unused_since: dict[str, float] = {}  # kernel id -> when it was first seen without a connection
        self._timer: PeriodicCallback | None = None

    def start(self) -> None:
        """Check every few seconds (at most every 10 s, at least twice per grace period)."""
        if self.grace <= 0 or self._timer is not None:
            return
        self._timer = PeriodicCallback(self.check, max(0.5, min(10.0, self.grace / 2)) * 1000)
        self._timer.start()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    async def check(self) -> None:
        """One pass: forget kernels that have a connection, end those unused for the grace period."""
        try:
            sessions = await self.sessions.list_sessions()
        except Exception:  # the server is stopping, or a kernel vanished between the two reads: next pass
            self.log.debug("jumpstart_lab: sidebar sessions not listed", exc_info=True)
            return
        now = self.clock()
        seen: set[str] = set()
        for session in sessions:
            kernel = session.get("kernel") or {}
            kernel_id = kernel.get("id")
            if session.get("type") != SESSION_TYPE or not kernel_id:
                continue
            seen.add(kernel_id)
            if kernel.get("connections", 0):
                self._unused_since.pop(kernel_id, None)
                continue
            since = self._unused_since.setdefault(kernel_id, now)
            if now - since < self.grace:
                continue
            self._unused_since.pop(kernel_id, None)
            self.log.info(
                "jumpstart_lab: ending the sidebar kernel %s: no browser tab connected for %.0f s",
                kernel_id,
                now - since,
            )
            try:
                await self.sessions.delete_session(session["id"])
            except Exception:  # already gone (a user's Shut Down): nothing to end
                self.log.debug("jumpstart_lab: sidebar session not deleted", exc_info=True)
        for gone in set(self._unused_since) - seen:
            del self._unused_since[gone]
