"""GET status."""

from __future__ import annotations

from typing import Literal

import tornado.web
from jupyter_server.auth.decorator import authorized
from pydantic import BaseModel, Field

from . import spec
from .base import ApiHandler


class Identity(BaseModel):
    account: str
    arn: str


class Database(BaseModel):
    backend: str
    url: str
    shared: bool


class Status(BaseModel):
    """``GET status``; ``identity`` is null until the caller identity is known (or when it cannot be)."""

    mode: Literal["local", "aws"]
    region: str
    identity: Identity | None
    version: str
    database: Database | None = Field(
        default=None, description="The extension's database (JumpStartLab.db_url), its password hidden."
    )


class StatusHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        services = self.services
        # Answer from the cache when possible: status must stay fast while the AWS pool is busy.
        status = services.status() if services.identity_known else await self.call(services.status)
        self.reply(Status.model_validate(status))


ROUTES = [(r"status", StatusHandler)]

OPENAPI = {
    "paths": {
        "/status": {
            "get": {
                "operationId": "getStatus",
                "summary": "Mode, region, caller identity, version and database (password hidden).",
                "responses": {"200": spec.json(Status, "Status"), **spec.errors(403)},
            }
        }
    },
    "components": {"schemas": spec.components(outputs=(Status,))},
}
