"""The hub-curation Admin view (one module per card; see :mod:`.view`)."""

from __future__ import annotations

import logging
from typing import Any

from ...client import ApiError, JumpStartClient
from .view import AdminView

__all__ = ["AdminView", "curation_or_reason", "curation_status"]

log = logging.getLogger(__name__)


def curation_status(client: JumpStartClient) -> dict[str, Any]:
    """``{"allowed": bool, "reason": str | None}`` from ``GET curation`` (show the Admin view only if allowed)."""
    return client.curation_status()


def curation_or_reason(client: JumpStartClient) -> dict[str, Any]:
    """:func:`curation_status`; a server that refuses or lacks it means no Admin view (browsing still works)."""
    try:
        return curation_status(client)
    except ApiError as exc:
        log.info("jumpstart_lab panel: curation status: %s", exc)
        return {"allowed": False, "reason": exc.message}
