"""The one place where domain errors become HTTP statuses."""

from __future__ import annotations

from pydantic import ValidationError

from ..errors import (
    AccessDenied,
    Conflict,
    InvalidInput,
    JumpStartLabError,
    NotFound,
    ServiceUnavailable,
    UpstreamError,
)

STATUS = [
    (InvalidInput, 400),
    (NotFound, 404),
    (Conflict, 409),
    (AccessDenied, 403),
    (ServiceUnavailable, 503),
    (UpstreamError, 400),
]


def status_for(exc: JumpStartLabError) -> int:
    for cls, status in STATUS:
        if isinstance(exc, cls):
            return status
    return 500


def validation_message(exc: ValidationError) -> str:
    """A one-line, human message for a pydantic error (no input values echoed)."""
    parts = []
    for err in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(p) for p in err.get("loc", ())) or "body"
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    return "Invalid request: " + "; ".join(parts)
