"""Checking a real response against the OpenAPI document the server serves (``openapi.json``)."""

from __future__ import annotations

import json
from typing import Any

from openapi_schema_validator import OAS30Validator, OAS31Validator

from jumpstart_lab.server.handlers.openapi import document


def served_document() -> dict[str, Any]:
    """The merged document as a client receives it (through JSON, so tuples and enums are plain)."""
    return json.loads(json.dumps(document()))


def response_schema(
    doc: dict[str, Any], template: str, method: str, status: int, content_type: str = "application/json"
) -> dict[str, Any]:
    """The schema ``doc`` gives for ``method template`` answering ``status``; fails if that status is undocumented."""
    described = doc["paths"][template][method.lower()]["responses"].get(str(status))
    assert described is not None, f"{method} {template}: status {status} is not documented"
    if "$ref" in described:
        described = doc["components"]["responses"][described["$ref"].rsplit("/", 1)[1]]
    return described["content"][content_type]["schema"]


def validate(doc: dict[str, Any], schema: dict[str, Any], body: Any) -> None:
    root = {**schema, "components": doc["components"]}  # "#/components/..." refs resolve in this root
    cls = OAS31Validator if doc["openapi"].startswith("3.1") else OAS30Validator
    cls(root).validate(body)


def check(template: str, method: str, status: int, body: Any, content_type: str = "application/json") -> None:
    """``body`` (answering ``method template`` with ``status``) validates against the served document."""
    doc = served_document()
    validate(doc, response_schema(doc, template, method, status, content_type), body)


def assert_documented(method: str, template: str, response: Any) -> None:
    """A ``jp_fetch`` response validates against the document's JSON schema for its status."""
    check(template, method, response.code, response.json())
