"""GET openapi.json: the OpenAPI 3 document of every endpoint, merged from the areas."""

from __future__ import annotations

import copy
import functools
import importlib
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized

from ... import __version__
from .base import ApiHandler

ERROR_SCHEMA = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
}
AREA_MODULES = ("status", "hubs", "eula", "notebooks", "deployments", "curation", "openapi")


@functools.lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The merged document (paths relative to ``{base_url}jumpstart-lab/api``)."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",  # schemas are JSON Schema 2020-12 (pydantic: anyOf null)
        "info": {
            "title": "jumpstart-lab",
            "version": __version__,
            "description": "SageMaker JumpStart hubs, EULAs, notebooks and deployments for JupyterLab.",
        },
        "servers": [{"url": "/jumpstart-lab/api"}],
        "components": {
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
            "schemas": {"Error": ERROR_SCHEMA},
            "responses": {
                "Error": {
                    "description": "Error",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
            },
        },
        "security": [{"token": []}],
        "paths": {},
    }
    for name in AREA_MODULES:
        fragment = copy.deepcopy(importlib.import_module(f"{__package__}.{name}").OPENAPI)
        for path, item in fragment.get("paths", {}).items():  # two areas may share a path (GET/POST hubs)
            doc["paths"].setdefault(path, {}).update(item)
        for kind, items in fragment.get("components", {}).items():
            doc["components"].setdefault(kind, {}).update(items)
    return _nullable_to_31(doc)


def _nullable_to_31(node: Any) -> Any:
    """Rewrite OpenAPI 3.0 ``nullable: true`` (some fragments) as 3.1 JSON Schema, in place."""
    if isinstance(node, list):
        for item in node:
            _nullable_to_31(item)
    elif isinstance(node, dict):
        for value in node.values():
            _nullable_to_31(value)
        if node.pop("nullable", False):
            if isinstance(node.get("type"), str):
                node["type"] = [node["type"], "null"]
                if "enum" in node:
                    node["enum"] = [*node["enum"], None]
            elif "$ref" in node:
                node["anyOf"] = [{"$ref": node.pop("$ref")}, {"type": "null"}]
    return node


class OpenApiHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(document())


ROUTES = [(r"openapi\.json", OpenApiHandler)]

OPENAPI = {
    "paths": {
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApi",
                "summary": "This document.",
                "responses": {
                    "200": {
                        "description": "OpenAPI 3 document",
                        "content": {"application/json": {"schema": {"type": "object"}}},
                    },
                    "403": {"$ref": "#/components/responses/Error"},
                },
            }
        }
    }
}
