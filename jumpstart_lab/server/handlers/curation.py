"""Hub curation for administrators (auth resource ``jumpstart_lab.curation``).

GET curation; POST hubs; DELETE hubs/{hub}; GET hubs/{hub}/contents; GET/POST hubs/{hub}/references;
DELETE hubs/{hub}/references/{model_id}; GET/POST hubs/{hub}/shares; DELETE hubs/{hub}/shares/{account_id}.
Curation can be refused while browsing is allowed: by the authorizer (resource
``jumpstart_lab.curation``), by ``JumpStartLab.allow_curation = False``, or under JupyterHub to users
without the ``custom:jumpstart-lab:curate`` scope.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import tornado.web
from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import authorized

from ...browse.models import Hub
from ...curation.models import (
    AddReferencesRequest,
    AddReferencesResult,
    CreateHubRequest,
    CurationStatus,
    DeleteHubError,
    DeleteHubResult,
    HubContents,
    ReferenceList,
    RemovedReference,
    ShareList,
    ShareRequest,
)
from ...errors import AccessDenied
from ..hub import CURATE_SCOPE, has_scope
from . import spec
from .base import ApiHandler
from .hubs import HUB as HUB_PATTERN  # one definition of the {hub} path segment (name or ARN)

RESOURCE = "jumpstart_lab.curation"
DISABLED = (
    "Hub curation is turned off on this Jupyter server (JumpStartLab.allow_curation is False). "
    "Ask the server's administrator to enable it."
)


NO_SCOPE = (
    f"Hub curation on this JupyterHub is for users holding the {CURATE_SCOPE} scope. Ask the hub's "
    "administrator for a role that grants it."
)


def refusal(handler: ApiHandler) -> AccessDenied | None:
    """Why this server's config refuses curation to this user: turned off, or (under JupyterHub) the user
    lacks the curate scope; None when it does not (the authorizer and AWS IAM still decide)."""
    if not handler.services.config.allow_curation:
        return AccessDenied(DISABLED, code="CurationDisabled")
    if handler.services.config.jupyterhub and not has_scope(handler.current_user, CURATE_SCOPE):
        return AccessDenied(NO_SCOPE, code="CurationScopeMissing", scope=CURATE_SCOPE)
    return None


def curation_enabled(method: Callable[..., Any]) -> Callable[..., Any]:
    """403 ``CurationDisabled`` / ``CurationScopeMissing`` when refused by :func:`refusal` (after auth)."""

    @functools.wraps(method)
    async def inner(self: CurationHandler, *args: Any, **kwargs: Any) -> Any:
        refused = refusal(self)
        if refused is not None:
            raise refused
        return await method(self, *args, **kwargs)

    return inner


class CurationHandler(ApiHandler):
    auth_resource = RESOURCE


class CurationStatusHandler(ApiHandler):
    """Whether the Admin view should be offered to this user (a browsing-level read)."""

    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        refused = refusal(self)
        if refused is not None:
            self.reply(CurationStatus(allowed=False, reason=refused.message))
            return
        allowed = await ensure_async(self.authorizer.is_authorized(self, self.current_user, "write", RESOURCE))
        reason = None if allowed else "Your Jupyter user is not authorized to curate hubs on this server."
        self.reply(CurationStatus(allowed=bool(allowed), reason=reason))


class HubCreateHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def post(self) -> None:
        request = self.body_as(CreateHubRequest)
        self.reply(await self.call(self.services.curation.create_hub, request), 201)


class HubDeleteHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def delete(self, hub: str) -> None:
        await self.reply_with_progress(self.services.curation.delete_hub, hub)


class HubContentsHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def get(self, hub: str) -> None:
        self.reply(await self.call(self.services.curation.contents, hub))


class ReferencesHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def get(self, hub: str) -> None:
        self.reply(await self.call(self.services.curation.references, hub))

    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def post(self, hub: str) -> None:
        request = self.body_as(AddReferencesRequest)
        await self.reply_with_progress(self.services.curation.add_references, hub, request)


class ReferenceHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def delete(self, hub: str, model_id: str) -> None:
        self.reply(await self.call(self.services.curation.remove_reference, hub, model_id))


class SharesHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def get(self, hub: str) -> None:
        self.reply(await self.call(self.services.curation.shares, hub))

    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def post(self, hub: str) -> None:
        request = self.body_as(ShareRequest)
        self.reply(await self.call(self.services.curation.share, hub, request))


class ShareHandler(CurationHandler):
    @tornado.web.authenticated
    @authorized
    @curation_enabled
    async def delete(self, hub: str, account_id: str) -> None:
        self.reply(await self.call(self.services.curation.unshare, hub, account_id))


HUB = rf"hubs/{HUB_PATTERN}"
ROUTES = [
    (r"curation", CurationStatusHandler),
    (r"hubs", HubCreateHandler),
    (HUB, HubDeleteHandler),
    (HUB + r"/contents", HubContentsHandler),
    (HUB + r"/references", ReferencesHandler),
    (HUB + r"/references/(?P<model_id>[^/]+)", ReferenceHandler),
    (HUB + r"/shares", SharesHandler),
    (HUB + r"/shares/(?P<account_id>[^/]+)", ShareHandler),
]


# -- OpenAPI -----------------------------------------------------------------------------
HUB_PARAM = spec.path("hub", "Private hub name or ARN (URL-encoded).")
ERRORS = spec.errors(400, 403, 404, 503)
DELETE_ERRORS = spec.errors(
    400, 403, 404, 409, 500, 503,
    response=spec.json(DeleteHubError, "Error; once the deletion started, with what was done before it"),
)  # fmt: skip

OPENAPI: dict[str, Any] = {
    "paths": {
        "/curation": {
            "get": {
                "operationId": "getCurationStatus",
                "summary": "Whether hub curation (the Admin view) is allowed for this user on this server.",
                "responses": {"200": spec.json(CurationStatus, "Curation status"), **spec.errors(403)},
            }
        },
        "/hubs": {
            "post": {
                "operationId": "createHub",
                "summary": "Create a private hub (CreateHub).",
                "requestBody": spec.body(CreateHubRequest),
                "responses": {"201": spec.json(Hub, "The new hub"), **spec.errors(400, 403, 409, 503)},
            }
        },
        "/hubs/{hub}": {
            "parameters": [HUB_PARAM],
            "delete": {
                "operationId": "deleteHub",
                "summary": "Unshare the hub, remove its references and contents (all versions), then delete it. "
                "Refused for SageMakerPublicHub.",
                "description": "An error after the deletion started says what was done: removed, remaining, "
                "shares_updated (calling again continues from there). With `Accept: application/x-ndjson` the "
                "answer is a stream of progress lines (`{\"progress\": {what, done, total}}`) ending with the "
                "result (`{\"result\": ...}`) or, once the stream started, the error (`{\"error\": ...}`).",
                "responses": {
                    "200": spec.json(DeleteHubResult, "What was removed, in order", streamed=True),
                    **DELETE_ERRORS,
                },
            },
        },
        "/hubs/{hub}/contents": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "getHubContents",
                "summary": "Everything DELETE hubs/{hub} would remove: references, owned content with every "
                "version, and the RAM shares (with their accounts). Read from AWS, not cached.",
                "responses": {"200": spec.json(HubContents, "The hub's contents and shares"), **ERRORS},
            },
        },
        "/hubs/{hub}/references": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "listReferences",
                "summary": "The hub's model references (read from AWS, not cached).",
                "responses": {"200": spec.json(ReferenceList, "References"), **ERRORS},
            },
            "post": {
                "operationId": "addReferences",
                "summary": "Add a ModelReference for each public model id, or for every public model matching a "
                "catalog filter. Idempotent; one result per model, failures included.",
                "description": "With `Accept: application/x-ndjson` the answer is a stream of progress lines, "
                "as for DELETE hubs/{hub}.",
                "requestBody": spec.body(AddReferencesRequest),
                "responses": {
                    "200": spec.json(AddReferencesResult, "Per-model results", streamed=True),
                    **ERRORS,
                },
            },
        },
        "/hubs/{hub}/references/{model_id}": {
            "parameters": [HUB_PARAM, spec.path("model_id")],
            "delete": {
                "operationId": "removeReference",
                "summary": "Remove a model reference (DeleteHubContentReference).",
                "responses": {"200": spec.json(RemovedReference, "Removed"), **ERRORS},
            },
        },
        "/hubs/{hub}/shares": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "listShares",
                "summary": "AWS RAM resource shares containing the hub, with permission and principals.",
                "responses": {"200": spec.json(ShareList, "Shares"), **ERRORS},
            },
            "post": {
                "operationId": "shareHub",
                "summary": "Give accounts a permission on the hub (RAM share created or updated).",
                "requestBody": spec.body(ShareRequest),
                "responses": {"200": spec.json(ShareList, "Shares after the change"), **ERRORS},
            },
        },
        "/hubs/{hub}/shares/{account_id}": {
            "parameters": [HUB_PARAM, spec.path("account_id")],
            "delete": {
                "operationId": "unshareHub",
                "summary": "Stop sharing the hub with one account (removed from every RAM share of the hub).",
                "responses": {"200": spec.json(ShareList, "Shares after the change"), **ERRORS},
            },
        },
    },
    "components": {
        "schemas": spec.components(
            inputs=(CreateHubRequest, AddReferencesRequest, ShareRequest),
            outputs=(
                *(CurationStatus, Hub, DeleteHubResult, DeleteHubError, HubContents, ReferenceList),
                *(AddReferencesResult, RemovedReference, ShareList, *spec.STREAM_SCHEMAS),
            ),
        )
    },
}
