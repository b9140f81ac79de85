"""Errors the kernel-side client raises: the server's ``{code, message}``, or no server."""

from __future__ import annotations

from typing import Any

from ..errors import JumpStartLabError


class ApiError(JumpStartLabError):
    """The server answered with an error: its ``code`` and ``message``, and the HTTP status."""

    def __init__(self, status: int, code: str, message: str, **details: Any) -> None:
        super().__init__(message, code=code, **details)
        self.status = status

    def __str__(self) -> str:
        return f"{self.message} ({self.code}, HTTP {self.status})"


class TransportError(ApiError):
    """No answer from the API itself (a timeout, an HTML page, a bare HTTP error): the client phrased it.
    ``code`` says which (``Timeout``, ``InvalidResponse``, ``HttpError``), so a panel can translate it."""


class ServerNotFound(JumpStartLabError):
    """No Jupyter server with the extension could be found (``code`` ``NoServer``) or reached
    (``ServerUnreachable``, with the ``url`` in ``details``)."""

    code = "ServerNotFound"
