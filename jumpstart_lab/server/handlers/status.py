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
                "summary": "Mode, region, caller identity, version and database (password hidden).",
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
                    "database": {
                        "description": "The extension's database (JumpStartLab.db_url), its password hidden.",
                        "oneOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["backend", "url", "shared"],
                                "properties": {
                                    "backend": {"type": "string"},
                                    "url": {"type": "string"},
                                    "shared": {"type": "boolean"},
                                },
                            },
                        ],
                    },
                },
            }
        }
    },
}
