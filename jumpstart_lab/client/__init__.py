"""Kernel-side client of the jumpstart-lab REST API (no tornado, no server imports)."""

from __future__ import annotations

from .discovery import ServerInfo, discover_server
from .errors import ApiError, ServerNotFound, TransportError
from .rest import JumpStartClient

__all__ = ["ApiError", "JumpStartClient", "ServerInfo", "ServerNotFound", "TransportError", "discover_server"]
