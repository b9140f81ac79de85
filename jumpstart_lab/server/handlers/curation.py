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

from ...curation.models import AddReferencesRequest, CreateHubRequest, CurationStatus, ShareRequest
from ...errors import AccessDenied
from ..hub import CURATE_SCOPE, has_scope
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

    def progress_logger(self, hub: str) -> Callable[[str, int, int], None]:
        def report(what: str, done: int, total: int) -> None:
            self.log.debug("jumpstart_lab: %s %s: %s (%d/%d)", self.request.method, hub, what, done, total)

        return report


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
        curation = self.services.curation
        self.reply(await self.call(curation.delete_hub, hub, self.progress_logger(hub)))


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
        curation = self.services.curation
        self.reply(await self.call(curation.add_references, hub, request, self.progress_logger(hub)))


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
def _json(schema: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


def _body(schema: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


ERR = {"$ref": "#/components/responses/Error"}
DELETE_ERR = _json("DeleteHubError", "Error; once the deletion started, with what was done before it")
HUB_PARAM = {
    "name": "hub",
    "in": "path",
    "required": True,
    "description": "Private hub name or ARN (URL-encoded).",
    "schema": {"type": "string"},
}
ACCOUNT_PARAM = {"name": "account_id", "in": "path", "required": True, "schema": {"type": "string"}}
MODEL_PARAM = {"name": "model_id", "in": "path", "required": True, "schema": {"type": "string"}}
NULLABLE_STR = {"type": ["string", "null"]}  # OpenAPI 3.1 (JSON Schema)
PERMISSION = {"type": "string", "enum": ["Read", "ReadAndUse", "FullAccess"]}
FILTER_PROPERTIES = {
    "q": {"type": "string", "maxLength": 256},
    "task": {"type": "string", "maxLength": 128},
    "provider": {"type": "string", "maxLength": 128},
    "framework": {"type": "string", "maxLength": 128},
    "license": {"type": "string", "maxLength": 256},
    "gated": {"type": "boolean"},
    "trainable": {"type": "boolean"},
    "model_type": {"type": "string", "enum": ["open_weights", "proprietary"]},
    "instance_type": {"type": "string"},
    "sort": {"type": "string", "enum": ["name", "newest"]},
    "refresh": {"type": "boolean"},
}

OPENAPI: dict[str, Any] = {
    "paths": {
        "/curation": {
            "get": {
                "operationId": "getCurationStatus",
                "summary": "Whether hub curation (the Admin view) is allowed for this user on this server.",
                "responses": {"200": _json("CurationStatus", "Curation status"), "403": ERR},
            }
        },
        "/hubs": {
            "post": {
                "operationId": "createHub",
                "summary": "Create a private hub (CreateHub).",
                "requestBody": _body("CreateHubRequest"),
                "responses": {"201": _json("Hub", "The new hub"), "400": ERR, "403": ERR, "409": ERR, "503": ERR},
            }
        },
        "/hubs/{hub}": {
            "parameters": [HUB_PARAM],
            "delete": {
                "operationId": "deleteHub",
                "summary": "Unshare the hub, remove its references and contents (all versions), then delete it. "
                "Refused for SageMakerPublicHub.",
                "description": "One blocking call. To show progress, a client removes the references first, one "
                "by one (DELETE hubs/{hub}/references/{model_id}; GET hubs/{hub}/contents says what there is), "
                "then calls this for the rest, as the panel does. An error after the deletion started says "
                "what was done: removed, remaining, shares_updated (calling again continues from there).",
                "responses": {
                    "200": _json("DeleteHubResult", "What was removed, in order"),
                    "400": DELETE_ERR,
                    "403": DELETE_ERR,
                    "404": DELETE_ERR,
                    "409": DELETE_ERR,
                    "500": DELETE_ERR,
                    "503": DELETE_ERR,
                },
            },
        },
        "/hubs/{hub}/contents": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "getHubContents",
                "summary": "Everything DELETE hubs/{hub} would remove: references, owned content with every "
                "version, and the RAM shares (with their accounts). Read from AWS, not cached.",
                "responses": {
                    "200": _json("HubContents", "The hub's contents and shares"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
        },
        "/hubs/{hub}/references": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "listReferences",
                "summary": "The hub's model references (read from AWS, not cached).",
                "responses": {
                    "200": _json("ReferenceList", "References"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
            "post": {
                "operationId": "addReferences",
                "summary": "Add a ModelReference for each public model id, or for every public model matching a "
                "catalog filter. Idempotent; one result per model, failures included.",
                "requestBody": _body("AddReferencesRequest"),
                "responses": {
                    "200": _json("AddReferencesResult", "Per-model results"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
        },
        "/hubs/{hub}/references/{model_id}": {
            "parameters": [HUB_PARAM, MODEL_PARAM],
            "delete": {
                "operationId": "removeReference",
                "summary": "Remove a model reference (DeleteHubContentReference).",
                "responses": {
                    "200": _json("RemovedReference", "Removed"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
        },
        "/hubs/{hub}/shares": {
            "parameters": [HUB_PARAM],
            "get": {
                "operationId": "listShares",
                "summary": "AWS RAM resource shares containing the hub, with permission and principals.",
                "responses": {"200": _json("ShareList", "Shares"), "400": ERR, "403": ERR, "404": ERR, "503": ERR},
            },
            "post": {
                "operationId": "shareHub",
                "summary": "Give accounts a permission on the hub (RAM share created or updated).",
                "requestBody": _body("ShareRequest"),
                "responses": {
                    "200": _json("ShareList", "Shares after the change"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
        },
        "/hubs/{hub}/shares/{account_id}": {
            "parameters": [HUB_PARAM, ACCOUNT_PARAM],
            "delete": {
                "operationId": "unshareHub",
                "summary": "Stop sharing the hub with one account (removed from every RAM share of the hub).",
                "responses": {
                    "200": _json("ShareList", "Shares after the change"),
                    "400": ERR,
                    "403": ERR,
                    "404": ERR,
                    "503": ERR,
                },
            },
        },
    },
    "components": {
        "schemas": {
            "CurationStatus": {
                "type": "object",
                "required": ["allowed"],
                "properties": {"allowed": {"type": "boolean"}, "reason": NULLABLE_STR},
            },
            "CreateHubRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["name", "display_name", "description"],
                "properties": {
                    "name": {"type": "string", "pattern": "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"},
                    "display_name": {"type": "string", "minLength": 1, "maxLength": 255},
                    "description": {"type": "string", "minLength": 1, "maxLength": 1023},
                    "keywords": {
                        "type": "array",
                        "maxItems": 50,
                        "items": {"type": "string", "maxLength": 255, "pattern": "^[^A-Z]*$"},
                    },
                },
            },
            "ReferenceFilter": {"type": "object", "additionalProperties": False, "properties": FILTER_PROPERTIES},
            "AddReferencesRequest": {
                "type": "object",
                "additionalProperties": False,
                "description": "Exactly one of models or filter.",
                "properties": {
                    "models": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"type": "string"}},
                    "filter": {"$ref": "#/components/schemas/ReferenceFilter"},
                    "min_version": {"type": "string", "pattern": r"^\d{1,4}\.\d{1,4}\.\d{1,4}$"},
                },
            },
            "ReferenceResult": {
                "type": "object",
                "required": ["model_id", "status"],
                "properties": {
                    "model_id": {"type": "string"},
                    "status": {"type": "string", "enum": ["added", "updated", "already_present", "failed"]},
                    "version": NULLABLE_STR,
                    "hub_content_arn": NULLABLE_STR,
                    "min_version": NULLABLE_STR,
                    "code": NULLABLE_STR,
                    "message": NULLABLE_STR,
                },
            },
            "AddReferencesResult": {
                "type": "object",
                "required": ["hub", "requested", "added", "updated", "already_present", "failed", "results"],
                "properties": {
                    "hub": {"type": "string"},
                    "requested": {"type": "integer"},
                    "added": {"type": "integer"},
                    "updated": {"type": "integer", "description": "existing references given the new min_version"},
                    "already_present": {"type": "integer"},
                    "failed": {"type": "integer"},
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/ReferenceResult"}},
                },
            },
            "Reference": {
                "type": "object",
                "required": ["model_id", "version", "hub_content_arn"],
                "properties": {
                    "model_id": {"type": "string"},
                    "version": {"type": "string"},
                    "hub_content_arn": {"type": "string"},
                    "public_content_arn": NULLABLE_STR,
                    "display_name": NULLABLE_STR,
                    "status": NULLABLE_STR,
                },
            },
            "ReferenceList": {
                "type": "object",
                "required": ["hub", "references"],
                "properties": {
                    "hub": {"type": "string"},
                    "references": {"type": "array", "items": {"$ref": "#/components/schemas/Reference"}},
                },
            },
            "RemovedReference": {
                "type": "object",
                "required": ["hub", "model_id", "status"],
                "properties": {
                    "hub": {"type": "string"},
                    "model_id": {"type": "string"},
                    "status": {"type": "string", "enum": ["removed"]},
                },
            },
            "RemovedContent": {
                "type": "object",
                "required": ["content_type", "model_id"],
                "properties": {
                    "content_type": {"type": "string"},
                    "model_id": {"type": "string"},
                    "version": NULLABLE_STR,
                },
            },
            "DeleteHubResult": {
                "type": "object",
                "required": ["hub", "hub_arn", "shares_updated", "removed", "deleted", "warnings"],
                "properties": {
                    "hub": {"type": "string"},
                    "hub_arn": {"type": "string"},
                    "shares_updated": {"type": "array", "items": {"type": "string"}},
                    "removed": {"type": "array", "items": {"$ref": "#/components/schemas/RemovedContent"}},
                    "deleted": {"type": "boolean"},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                },
            },
            "DeleteHubError": {
                "type": "object",
                "required": ["code", "message"],
                "description": "The Error of DELETE hubs/{hub}. Once the deletion has started (the hub exists and "
                "may be changed) it also says what was done: the hub is not deleted (deleted false), 'removed' "
                "lists what was removed before the error, 'remaining' what the hub still holds (absent when its "
                "contents could not be listed), 'shares_updated' the RAM shares the hub was taken out of.",
                "properties": {
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                    "hub": {"type": "string"},
                    "hub_arn": {"type": "string"},
                    "deleted": {"type": "boolean", "enum": [False]},
                    "shares_updated": {"type": "array", "items": {"type": "string"}},
                    "removed": {"type": "array", "items": {"$ref": "#/components/schemas/RemovedContent"}},
                    "remaining": {"type": "array", "items": {"$ref": "#/components/schemas/RemovedContent"}},
                },
            },
            "OwnedContent": {
                "type": "object",
                "required": ["content_type", "model_id", "versions"],
                "properties": {
                    "content_type": {"type": "string"},
                    "model_id": {"type": "string"},
                    "versions": {"type": "array", "items": {"type": "string"}},
                },
            },
            "HubContents": {
                "type": "object",
                "required": ["hub", "hub_arn", "references", "owned", "shares", "warnings"],
                "properties": {
                    "hub": {"type": "string"},
                    "hub_arn": {"type": "string"},
                    "references": {"type": "array", "items": {"type": "string"}, "description": "model ids"},
                    "owned": {"type": "array", "items": {"$ref": "#/components/schemas/OwnedContent"}},
                    "shares": {"type": "array", "items": {"$ref": "#/components/schemas/Share"}},
                    "warnings": {"type": "array", "items": {"type": "string"}},
                },
            },
            "ShareRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["account_ids", "permission"],
                "properties": {
                    "account_ids": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 100,
                        "items": {"type": "string", "pattern": r"^\d{12}$"},
                    },
                    "permission": PERMISSION,
                },
            },
            "SharePrincipal": {
                "type": "object",
                "required": ["principal", "status"],
                "properties": {
                    "principal": {"type": "string"},
                    "status": {"type": "string"},
                    "external": {"type": ["boolean", "null"]},
                },
            },
            "Share": {
                "type": "object",
                "required": ["arn", "name", "status", "permission", "permission_arns", "principals"],
                "properties": {
                    "arn": {"type": "string"},
                    "name": {"type": "string"},
                    "status": {"type": "string"},
                    "permission": {"type": ["string", "null"], "enum": [*PERMISSION["enum"], None]},
                    "permission_arns": {"type": "array", "items": {"type": "string"}},
                    "principals": {"type": "array", "items": {"$ref": "#/components/schemas/SharePrincipal"}},
                },
            },
            "ShareList": {
                "type": "object",
                "required": ["hub", "hub_arn", "shares"],
                "properties": {
                    "hub": {"type": "string"},
                    "hub_arn": {"type": "string"},
                    "shares": {"type": "array", "items": {"$ref": "#/components/schemas/Share"}},
                },
            },
        }
    },
}
