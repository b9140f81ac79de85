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


class HubCatalog(BaseModel):
    """How one loaded hub's catalog was read."""

    documents: Literal["search", "search+describe", "describe", "none", "listing"] | None = Field(
        default=None,
        description="Documents read by Search, Search then DescribeHubContent, DescribeHubContent (Search refused "
        "or not covering the hub), none, or from the listing.",
    )
    listing: Literal["windows", "sequential"] | None = Field(
        default=None, description="Parallel creation-time windows, or sequential NextToken paging."
    )
    calls: dict[str, int] = Field(default_factory=dict, description="AWS calls of its latest load, by action.")
    stale: bool = Field(default=False, description="Answered from the stored snapshot while it revalidates.")
    note: str | None = None


class CatalogStatus(BaseModel):
    hubs: dict[str, HubCatalog] = Field(default_factory=dict)
    snapshots: str | None = Field(default=None, description="Where hub snapshots are kept (null: not kept).")
    restored: list[str] | None = Field(
        default=None,
        description="Hubs whose stored snapshot was read when the server started (null: still reading, or none "
        "kept); each answers its first query from it, marked stale, and revalidates then.",
    )


class Status(BaseModel):
    """``GET status``; ``identity`` is null until the caller identity is known (or when it cannot be)."""

    mode: Literal["local", "aws"]
    region: str
    identity: Identity | None
    version: str
    database: Database | None = Field(
        default=None, description="The extension's database (JumpStartLab.db_url), its password hidden."
    )
    catalog: CatalogStatus | None = Field(default=None, description="How each loaded hub's catalog was read.")


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
                "summary": "Mode, region, caller identity, version, database (password hidden) and how each hub's "
                "catalog was read.",
                "responses": {"200": spec.json(Status, "Status"), **spec.errors(403)},
            }
        }
    },
    "components": {"schemas": spec.components(outputs=(Status,))},
}
