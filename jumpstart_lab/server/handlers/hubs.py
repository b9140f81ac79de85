"""GET hubs, GET hubs/{hub}/models, GET hubs/{hub}/models/{model_id}.

``{hub}`` is a hub name or a hub ARN, URL-encoded (``arn%3Aaws%3A...%3Ahub%2FName``) or
with its ``/`` left as is. The handlers first await the catalog's readiness future (no
thread is held while AWS answers, so a slow AWS never starves the pool), then run the
in-memory search on the AWS pool.
"""

from __future__ import annotations

import asyncio
from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import models_json_schema
from tornado.iostream import StreamClosedError

from ...browse.models import HubList, ModelDetail, ModelPage, ModelQuery
from .base import ApiHandler

HUB = r"(?P<hub>arn(?::|%3[aA])[^/]*?(?::|%3[aA])hub/[^/]+|[^/]+)"


class RefreshQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh: bool = False


class DetailQuery(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: str | None = None


class HubsHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.query_as(RefreshQuery)
        self.reply(await asyncio.wrap_future(self.services.catalog.hubs_ready(refresh=query.refresh)))


class ModelsHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self, hub: str) -> None:
        query = self.query_as(ModelQuery)
        catalog = self.services.catalog
        await asyncio.wrap_future(catalog.search_ready(hub, query))
        page = await self.call(catalog.search, hub, query.model_copy(update={"refresh": False}))
        sent = self.reply(page)
        if not page.complete:  # page 1 of a loading hub: its models' documents once it is on the wire
            try:
                await sent
            except StreamClosedError:
                pass  # the client left; the documents are still worth fetching
            catalog.page_delivered(hub, page)


class ModelHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self, hub: str, model_id: str) -> None:
        version = self.query_as(DetailQuery).version
        catalog = self.services.catalog
        await asyncio.wrap_future(catalog.document_ready(hub, model_id, version))
        self.reply(await self.call(catalog.model_detail, hub, model_id, version))


ROUTES = [
    (r"hubs", HubsHandler),
    (rf"hubs/{HUB}/models", ModelsHandler),
    (rf"hubs/{HUB}/models/(?P<model_id>[^/]+)", ModelHandler),
]


def _schemas() -> dict[str, Any]:
    _, defs = models_json_schema(
        [(m, "serialization") for m in (HubList, ModelPage, ModelDetail)], ref_template="#/components/schemas/{model}"
    )
    return defs.get("$defs", {})


def _json(ref: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


ERRORS = {str(code): {"$ref": "#/components/responses/Error"} for code in (400, 403, 404, 503)}
HUB_PARAM = {
    "name": "hub",
    "in": "path",
    "required": True,
    "description": "Hub name, or hub ARN (URL-encoded).",
    "schema": {"type": "string"},
}
REFRESH = {
    "name": "refresh",
    "in": "query",
    "schema": {"type": "boolean", "default": False},
    "description": "Fetch again instead of answering from the cache.",
}


def _query(name: str, schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


MODEL_PARAMS = [
    HUB_PARAM,
    _query("q", {"type": "string", "maxLength": 256}, "Free text over id, display name, description, keywords."),
    _query("task", {"type": "string"}, "Task facet value."),
    _query("provider", {"type": "string"}, "Provider facet value."),
    _query("framework", {"type": "string"}, "Framework facet value."),
    _query("license", {"type": "string"}, "License facet value."),
    _query("gated", {"type": "boolean"}, "Only models with (true) or without (false) a EULA."),
    _query("trainable", {"type": "boolean"}, "Only models that can (true) or cannot (false) be fine-tuned."),
    _query("model_type", {"type": "string", "enum": ["open_weights", "proprietary"]}, "Model type."),
    _query(
        "instance_type",
        {"type": "string"},
        "Only models deployable on this instance type (or on any of several, separated by commas).",
    ),
    _query("sort", {"type": "string", "enum": ["name", "newest"], "default": "name"}, "Order."),
    _query("limit", {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}, "Page size."),
    _query("cursor", {"type": "string"}, "next_cursor of the previous page."),
    REFRESH,
]

OPENAPI: dict[str, Any] = {
    "paths": {
        "/hubs": {
            "get": {
                "operationId": "listHubs",
                "summary": "Hubs the caller can use (public, account, RAM-shared, extra_hubs) and those it cannot.",
                "parameters": [REFRESH],
                "responses": {"200": _json("HubList", "Hubs"), **ERRORS},
            }
        },
        "/hubs/{hub}/models": {
            "get": {
                "operationId": "searchModels",
                "summary": "Search, filter and page a hub's models, with facet counts of the filtered set.",
                "parameters": MODEL_PARAMS,
                "responses": {"200": _json("ModelPage", "A page of models"), **ERRORS},
            }
        },
        "/hubs/{hub}/models/{model_id}": {
            "get": {
                "operationId": "getModel",
                "summary": "Details of one model version (latest by default).",
                "parameters": [
                    HUB_PARAM,
                    {"name": "model_id", "in": "path", "required": True, "schema": {"type": "string"}},
                    _query("version", {"type": "string"}, "Version (default: latest)."),
                ],
                "responses": {"200": _json("ModelDetail", "Model details"), **ERRORS},
            }
        },
    },
    "components": {"schemas": _schemas()},
}
