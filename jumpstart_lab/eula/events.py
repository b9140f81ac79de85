"""Acceptances as ``jupyter_events`` events, so operators can ship them to their log system.

The server registers :data:`SCHEMA` on its ``event_logger`` at start; every recorded acceptance is
emitted once per request (``created`` says whether the row is new or was already there). Operators
add a handler: ``c.EventLogger.handlers = [logging.FileHandler("acceptances.jsonl")]``.
"""

from __future__ import annotations

from typing import Any

from .models import Acceptance

SCHEMA_ID = "https://schemas.jumpstart-lab.dev/events/eula-acceptance"
SCHEMA_VERSION = "1"
SCHEMA: dict[str, Any] = {
    "$id": SCHEMA_ID,
    "version": SCHEMA_VERSION,
    "title": "EULA acceptance",
    "description": "A user accepted a gated model's end-user license agreement (one text, one action).",
    "type": "object",
    "required": ["username", "hub", "hub_arn", "model_id", "version", "sha256", "action", "accepted_at", "created"],
    "properties": {
        "username": {"type": "string", "description": "The user who accepted."},
        "hub": {"type": "string"},
        "hub_arn": {"type": "string"},
        "model_id": {"type": "string"},
        "version": {"type": "string"},
        "eula_uri": {"type": ["string", "null"]},
        "sha256": {"type": "string", "description": "SHA-256 of the EULA text accepted."},
        "action": {"type": "string", "enum": ["deploy", "train", "evaluate", "notebook"]},
        "accepted_at": {"type": "string", "description": "When it was first recorded (ISO 8601, UTC)."},
        "created": {"type": "boolean", "description": "False when this exact acceptance was recorded before."},
    },
}


def register_events(event_logger: Any) -> None:
    """Register the schema (once per logger)."""
    if event_logger is not None and SCHEMA_ID not in event_logger.schemas.schema_ids:
        event_logger.register_event_schema(SCHEMA)


def emit_acceptance(event_logger: Any, acceptance: Acceptance, created: bool) -> None:
    if event_logger is None:
        return
    data = {**acceptance.model_dump(mode="json"), "created": created}
    event_logger.emit(schema_id=SCHEMA_ID, data=data)
