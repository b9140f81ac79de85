"""The hub-curation Admin view (one module per card; see :mod:`.view`)."""

from __future__ import annotations

from typing import Any

from ...client import JumpStartClient
from .view import AdminView

__all__ = ["AdminView", "curation_status"]


def curation_status(client: JumpStartClient) -> dict[str, Any]:
    """``{"allowed": bool, "reason": str | None}`` from ``GET curation`` (show the Admin view only if allowed)."""
    return client.curation_status()
