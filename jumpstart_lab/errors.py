"""Domain errors.

Every error the domain layer raises is a :class:`JumpStartLabError` with a stable
``code`` (sent to clients) and a message a person understands. The domain knows
nothing about HTTP: the server maps each class to a status in one place
(``jumpstart_lab.server.errors``).
"""

from __future__ import annotations

from typing import Any


class JumpStartLabError(Exception):
    """Base class: ``code`` is machine-readable, ``message`` is for people."""

    code: str = "InternalError"

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        body.update({k: v for k, v in self.details.items() if v is not None})
        return body


class InvalidInput(JumpStartLabError):
    """The caller sent something malformed (400)."""

    code = "InvalidInput"


class NotFound(JumpStartLabError):
    """A hub, model, version, endpoint or file does not exist (404)."""

    code = "NotFound"


class Conflict(JumpStartLabError):
    """The resource already exists or is in use (409)."""

    code = "Conflict"


class AccessDenied(JumpStartLabError):
    """AWS (or our own policy) refused the caller (403)."""

    code = "AccessDenied"


class EulaNotAccepted(AccessDenied):
    """A gated model's EULA has not been accepted for this action (403)."""

    code = "EulaNotAccepted"


class ServiceUnavailable(JumpStartLabError):
    """AWS is throttling, failing or unreachable, or credentials are missing (503)."""

    code = "ServiceUnavailable"


class DatabaseUnavailable(ServiceUnavailable):
    """The extension's database (``JumpStartLab.db_url``) cannot be reached or used (503)."""

    code = "DatabaseUnavailable"


class StoreError(DatabaseUnavailable):
    """The EULA acceptance store cannot be read or written (503, gated actions refused)."""

    code = "AcceptanceStoreUnavailable"


class LocalServiceUnavailable(ServiceUnavailable):
    """``local`` mode could not start the embedded local service (503 on every endpoint, with the fix)."""

    code = "LocalServiceUnavailable"


class UpstreamError(JumpStartLabError):
    """AWS rejected a request for a reason the user must act on (400 by default)."""

    code = "UpstreamError"
