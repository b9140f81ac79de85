"""Invocation payloads: the model's default payload and decoding of the endpoint's answer (pure)."""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass
from typing import Any

from ..errors import InvalidInput

JSON_TYPE = "application/json"
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


@dataclass(frozen=True)
class Payload:
    body: bytes
    content_type: str
    accept: str | None


def _snake_keys(value: Any) -> Any:
    """The SDK reads hub payload bodies with camelCase keys turned into snake_case (``MaxNewTokens``)."""
    if isinstance(value, dict):
        return {_CAMEL.sub("_", k).lower() if isinstance(k, str) else k: _snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_snake_keys(v) for v in value]
    return value


def _specs(document: dict[str, Any]) -> dict[str, Any]:
    specs = document.get("SageMakerSdkPredictorSpecifications")
    return specs if isinstance(specs, dict) else {}


def default_example(document: dict[str, Any]) -> tuple[str, Any]:
    """``(alias, entry)`` of the ``DefaultPayloads`` entry the default invoke sends: the first one, in document order.

    Shared with notebook generation, so a generated notebook sends the same example as ``POST .../invoke``.
    """
    payloads = document.get("DefaultPayloads")
    if not isinstance(payloads, dict) or not payloads:
        raise InvalidInput(
            "This model's hub document has no default payload; send one in `payload`.", code="PayloadRequired"
        )
    alias = next(iter(payloads))
    return alias, payloads[alias] or {}


def examples(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every ``DefaultPayloads`` entry as ``{name, content_type, body, chat}``, chat requests first (then in
    document order): the editable starting points of a panel's Try it."""
    entries = document.get("DefaultPayloads")
    if not isinstance(entries, dict):
        return []
    default_type = _specs(document).get("DefaultContentType") or JSON_TYPE
    out = []
    for name, entry in entries.items():
        if not isinstance(entry, dict):
            continue
        body = _snake_keys(entry.get("Body"))
        chat = isinstance(body, dict) and isinstance(body.get("messages"), list)
        out.append(
            {"name": str(name), "content_type": entry.get("ContentType") or default_type, "body": body, "chat": chat}
        )
    return sorted(out, key=lambda e: not e["chat"])


def default_payload(document: dict[str, Any]) -> tuple[Any, str]:
    """``(body, content type)`` of the document's first ``DefaultPayloads`` entry."""
    _, first = default_example(document)
    content_type = first.get("ContentType") or _specs(document).get("DefaultContentType") or JSON_TYPE
    return _snake_keys(first.get("Body")), content_type


def is_json(content_type: str) -> bool:
    """Whether ``content_type`` is JSON (a payload sent with it is JSON-encoded, a string too)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind == JSON_TYPE or kind.endswith("+json")


def encode(document: dict[str, Any], payload: Any, content_type: str | None) -> Payload:
    """The request for ``payload`` (None: the model's default payload).

    The content type is the given one, else the default payload's, else the model's default, else JSON.
    A JSON content type means the payload is JSON-encoded (a string becomes a JSON string); with any other
    content type a string is sent as UTF-8 text and anything else as JSON text.
    """
    specs = _specs(document)
    if payload is None:
        payload, default_type = default_payload(document)
        content_type = content_type or default_type
    content_type = content_type or specs.get("DefaultContentType") or JSON_TYPE
    if isinstance(payload, str) and not is_json(content_type):
        body = payload.encode()
    else:
        body = json.dumps(payload).encode()
    return Payload(body=body, content_type=content_type, accept=specs.get("DefaultAcceptType") or None)


def decode(body: bytes, content_type: str | None) -> Any:
    """Parsed JSON when the answer is JSON, text when it is text, base64 otherwise."""
    if content_type and is_json(content_type):
        try:
            return json.loads(body)
        except ValueError:
            pass
    try:
        return body.decode()
    except UnicodeDecodeError:
        return base64.b64encode(body).decode()
