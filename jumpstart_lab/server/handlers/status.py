"""GET status."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from .base import ApiHandler


class StatusHandler(ApiHandler):
    auth_resource = "jumpstart_lab.hubs"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        services = self.services
        # Answer from the cache when possible: status must stay fast while the AWS pool is busy.
        self.reply(services.status() if services.identity_known else await self.call(services.status))


ROUTES = [(r"status", StatusHandler)]

OPENAPI = {
    "paths": {
        "/status": {
            "get": {
                "operationId": "getStatus",
                "summary": "Mode, region, caller identity, version, and how each hub's catalog was read.",
                "responses": {
                    "200": {
                        "description": "Status",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}},
                    },
                    "403": {"$ref": "#/components/responses/Error"},
                },
            }
        }
    },
    "components": {
        "schemas": {
            "Status": {
                "type": "object",
                "required": ["mode", "region", "identity", "version"],
                "properties": {
                    "mode": {"type": "string", "enum": ["local", "aws"]},
                    "region": {"type": "string"},
                    "identity": {
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["account", "arn"],
                                "properties": {"account": {"type": "string"}, "arn": {"type": "string"}},
                            },
                        ]
                    },
                    "version": {"type": "string"},
                    "catalog": {
                        "type": "object",
                        "description": "Per loaded hub: documents read by 'search', 'search+describe', 'describe' "
                        "(Search refused or not covering the hub) or 'none'; listing by 'windows' (parallel "
                        "creation-time windows) or 'sequential'; AWS calls of its latest load by action; stale "
                        "(answered from the stored snapshot, revalidating).",
                        "properties": {
                            "hubs": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "object",
                                    "properties": {
                                        "documents": {
                                            "type": "string",
                                            "enum": ["search", "search+describe", "describe", "none", "listing"],
                                        },
                                        "listing": {"type": "string", "enum": ["windows", "sequential"]},
                                        "calls": {"type": "object", "additionalProperties": {"type": "integer"}},
                                        "stale": {"type": "boolean"},
                                        "note": {"type": ["string", "null"]},
                                    },
                                },
                            },
                            "snapshots": {"type": ["string", "null"]},
                        },
                    },
                },
            }
        }
    },
}
