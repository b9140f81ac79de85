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
from tornado.iostream import StreamClosedError

from ...browse.models import HubList, ModelDetail, ModelPage, ModelQuery
from . import spec
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
        # once the page is on the wire: page 1 of a loading hub reads its documents, a stored snapshot revalidates
        if not page.complete or page.stale:
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


QUERY_DESCRIPTIONS = {
    "q": "Free text over id, display name, description, keywords.",
    "task": "Task facet value.",
    "provider": "Provider facet value.",
    "framework": "Framework facet value.",
    "license": "License facet value.",
    "gated": "Only models with (true) or without (false) a EULA.",
    "trainable": "Only models that can (true) or cannot (false) be fine-tuned.",
    "model_type": "Model type.",
    "instance_type": "Only models deployable on this instance type (or on any of several, separated by commas).",
    "sort": "Order: name (model id), title (the display name shown), newest.",
    "limit": "Page size.",
    "cursor": "next_cursor of the previous page.",
    "refresh": "Fetch again instead of answering from the cache.",
    "version": "Version (default: latest).",
}
ERRORS = spec.errors(400, 403, 404, 503)

OPENAPI: dict[str, Any] = {
    "paths": {
        "/hubs": {
            "get": {
                "operationId": "listHubs",
                "summary": "Hubs the caller can use (public, account, RAM-shared, extra_hubs) and those it cannot.",
                "parameters": spec.query(RefreshQuery, QUERY_DESCRIPTIONS),
                "responses": {"200": spec.json(HubList, "Hubs"), **ERRORS},
            }
        },
        "/hubs/{hub}/models": {
            "get": {
                "operationId": "searchModels",
                "summary": "Search, filter and page a hub's models, with facet counts of the filtered set.",
                "parameters": [spec.HUB, *spec.query(ModelQuery, QUERY_DESCRIPTIONS)],
                "responses": {"200": spec.json(ModelPage, "A page of models"), **ERRORS},
            }
        },
        "/hubs/{hub}/models/{model_id}": {
            "get": {
                "operationId": "getModel",
                "summary": "Details of one model version (latest by default).",
                "parameters": [spec.HUB, spec.path("model_id"), *spec.query(DetailQuery, QUERY_DESCRIPTIONS)],
                "responses": {"200": spec.json(ModelDetail, "Model details"), **ERRORS},
            }
        },
    },
    "components": {"schemas": spec.components(outputs=(HubList, ModelPage, ModelDetail))},
}
