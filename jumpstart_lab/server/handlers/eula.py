"""GET/POST hubs/{hub}/models/{model_id}/eula and GET eula-acceptances (JSON or CSV)."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...eula.audit import to_csv
from ...eula.models import AcceptancesQuery, AcceptRequest, AcceptResponse, EulaQuery
from .base import ApiHandler
from .hubs import HUB  # hub name, or hub ARN with its '/' raw or encoded (same routing as the browse API)


class EulaHandler(ApiHandler):
    auth_resource = "jumpstart_lab.eula"

    @tornado.web.authenticated
    @authorized
    async def get(self, hub: str, model_id: str) -> None:
        query = self.query_as(EulaQuery)
        self.reply(await self.call(self.services.eula.get, hub, model_id, query.version, self.username))

    @tornado.web.authenticated
    @authorized
    async def post(self, hub: str, model_id: str) -> None:
        body = self.body_as(AcceptRequest)
        acceptance = await self.call(
            self.services.eula.accept, hub, model_id, body.version, body.action, self.username, sha256=body.sha256
        )
        self.reply(AcceptResponse(accepted_at=acceptance.accepted_at, sha256=acceptance.sha256), 201)


class AcceptancesHandler(ApiHandler):
    auth_resource = "jumpstart_lab.eula"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.query_as(AcceptancesQuery)
        rows = await self.call(self.services.eula.acceptances, self.username)
        if query.format == "json":
            self.reply({"acceptances": [r.model_dump(mode="json") for r in rows]})
            return
        self.set_header("Content-Disposition", 'attachment; filename="eula-acceptances.csv"')
        self.finish(to_csv(rows), set_content_type="text/csv; charset=utf-8")


ROUTES = [
    (rf"hubs/{HUB}/models/(?P<model_id>[^/]+)/eula", EulaHandler),
    (r"eula-acceptances", AcceptancesHandler),
]

_JSON = "application/json"
_ERR = {"$ref": "#/components/responses/Error"}
_HUB = {
    "name": "hub",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "description": "Hub name or ARN (URL-encoded).",
}
_MODEL = {"name": "model_id", "in": "path", "required": True, "schema": {"type": "string"}}
_TS = {"type": "string", "format": "date-time"}
_NTS = {"type": "string", "format": "date-time", "nullable": True}
_NSTR = {"type": "string", "nullable": True}

OPENAPI = {
    "paths": {
        "/hubs/{hub}/models/{model_id}/eula": {
            "parameters": [_HUB, _MODEL],
            "get": {
                "operationId": "getEula",
                "summary": "The model's EULA (text read from S3), its SHA-256 and whether it is accepted.",
                "parameters": [{"name": "version", "in": "query", "required": False, "schema": {"type": "string"}}],
                "responses": {
                    "200": {
                        "description": "EULA",
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/EulaInfo"}}},
                    },
                    "400": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "503": _ERR,
                },
            },
            "post": {
                "operationId": "acceptEula",
                "summary": "Record that the current user accepts the model's current EULA text.",
                "requestBody": {
                    "required": True,
                    "content": {_JSON: {"schema": {"$ref": "#/components/schemas/EulaAcceptRequest"}}},
                },
                "responses": {
                    "201": {
                        "description": "Accepted",
                        "content": {_JSON: {"schema": {"$ref": "#/components/schemas/EulaAcceptResponse"}}},
                    },
                    "400": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                    "503": _ERR,
                },
            },
        },
        "/eula-acceptances": {
            "get": {
                "operationId": "listEulaAcceptances",
                "summary": "Audit log of EULA acceptances (JSON, or CSV with format=csv).",
                "parameters": [
                    {
                        "name": "format",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["json", "csv"], "default": "json"},
                    }
                ],
                "responses": {
                    "200": {
                        "description": "Acceptances, oldest first",
                        "content": {
                            _JSON: {"schema": {"$ref": "#/components/schemas/EulaAcceptances"}},
                            "text/csv": {"schema": {"type": "string"}},
                        },
                    },
                    "400": _ERR,
                    "403": _ERR,
                    "503": _ERR,
                },
            }
        },
    },
    "components": {
        "schemas": {
            "EulaInfo": {
                "type": "object",
                "required": ["required", "uri", "text", "sha256", "accepted", "accepted_at"],
                "properties": {
                    "required": {"type": "boolean"},
                    "uri": _NSTR,
                    "text": _NSTR,
                    "sha256": _NSTR,
                    "accepted": {"type": "boolean"},
                    "accepted_at": _NTS,
                },
            },
            "EulaAcceptRequest": {
                "type": "object",
                "required": ["action"],
                "additionalProperties": False,
                "properties": {
                    "version": {"type": "string", "nullable": True},
                    "action": {"type": "string", "enum": ["deploy", "train", "evaluate", "notebook"]},
                    "sha256": {
                        "type": "string",
                        "pattern": "^[0-9a-f]{64}$",
                        "nullable": True,
                        "description": "Hash of the text the user read; 409 if the EULA changed since.",
                    },
                },
            },
            "EulaAcceptResponse": {
                "type": "object",
                "required": ["accepted", "accepted_at", "sha256"],
                "properties": {
                    "accepted": {"type": "boolean", "enum": [True]},
                    "accepted_at": _TS,
                    "sha256": {"type": "string"},
                },
            },
            "EulaAcceptance": {
                "type": "object",
                "required": [
                    "username",
                    "hub",
                    "hub_arn",
                    "model_id",
                    "version",
                    "eula_uri",
                    "sha256",
                    "action",
                    "accepted_at",
                ],
                "properties": {
                    "username": {"type": "string"},
                    "hub": {"type": "string"},
                    "hub_arn": {"type": "string"},
                    "model_id": {"type": "string"},
                    "version": {"type": "string"},
                    "eula_uri": _NSTR,
                    "sha256": {"type": "string"},
                    "action": {"type": "string"},
                    "accepted_at": _TS,
                },
            },
            "EulaAcceptances": {
                "type": "object",
                "required": ["acceptances"],
                "properties": {
                    "acceptances": {"type": "array", "items": {"$ref": "#/components/schemas/EulaAcceptance"}}
                },
            },
        }
    },
}
