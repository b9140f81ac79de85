"""GET openapi.json: the OpenAPI 3 document of every endpoint, merged from the areas."""

from __future__ import annotations

import copy
import functools
import importlib
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from pydantic import BaseModel

from ... import __version__
from . import spec
from .base import ApiHandler


class Error(BaseModel):
    """Every error response: a machine-readable ``code`` and a message for people (some add details)."""

    code: str
    message: str

AREA_MODULES = ("status", "hubs", "eula", "notebooks", "deployments", "curation", "openapi")


@functools.lru_cache(maxsize=1)
def document() -> dict[str, Any]:
    """The merged document (paths relative to ``{base_url}jumpstart-lab/api``)."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",  # schemas are JSON Schema 2020-12, generated from the pydantic models
        "info": {
            "title": "jumpstart-lab",
            "version": __version__,
            "description": "SageMaker JumpStart hubs, EULAs, notebooks and deployments for JupyterLab.",
        },
        "servers": [{"url": "/jumpstart-lab/api"}],
        "components": {
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
            "schemas": spec.components(outputs=(Error,)),
            "responses": {"Error": spec.json(Error, "Error")},
        },
        "security": [{"token": []}],
        "paths": {},
    }
    for name in AREA_MODULES:
        fragment = copy.deepcopy(importlib.import_module(f"{__package__}.{name}").OPENAPI)
        for path, item in fragment.get("paths", {}).items():  # two areas may share a path (GET/POST hubs)
            doc["paths"].setdefault(path, {}).update(item)
        for kind, items in fragment.get("components", {}).items():
            merged = doc["components"].setdefault(kind, {})
            for key, value in items.items():  # a model two areas use (Hub) is generated alike by both
                if merged.setdefault(key, value) != value:
                    raise ValueError(f"two areas define components.{kind}.{key} differently ({name})")
    return doc


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
                        "content": {spec.JSON: {"schema": {"type": "object"}}},
                    },
                    **spec.errors(403),
                },
            }
        }
    }
}
