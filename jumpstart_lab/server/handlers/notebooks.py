"""POST notebooks: write a prefilled Train / Deploy / Evaluate notebook for a hub model."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...notebooks.models import NotebookRequest
from .base import ApiHandler


class NotebooksHandler(ApiHandler):
    auth_resource = "jumpstart_lab.notebooks"

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.body_as(NotebookRequest)
        created = await self.call(self.services.notebooks.open_or_create, request, self.username)
        self.reply(created, 200 if created.reused else 201)


ROUTES = [(r"notebooks", NotebooksHandler)]

_ERR = {"$ref": "#/components/responses/Error"}

OPENAPI = {
    "paths": {
        "/notebooks": {
            "post": {
                "operationId": "createNotebook",
                "summary": "Open the prefilled notebook (train, deploy or evaluate) of a hub model: the one already "
                "written for this model, version and action (200, reused), else a new file (201); fresh: always new.",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotebookRequest"}}},
                },
                "responses": {
                    "200": {
                        "description": "The notebook already written for this model, version and action (reused).",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotebookCreated"}}},
                    },
                    "201": {
                        "description": "Created; the path is relative to the Jupyter server root.",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NotebookCreated"}}},
                    },
                    "400": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "503": _ERR,
                },
            }
        }
    },
    "components": {
        "schemas": {
            "NotebookRequest": {
                "type": "object",
                "required": ["hub", "model_id", "action"],
                "additionalProperties": False,
                "properties": {
                    "hub": {"type": "string", "description": "Hub name or ARN."},
                    "model_id": {"type": "string"},
                    "version": {"type": "string", "nullable": True},
                    "action": {"type": "string", "enum": ["train", "deploy", "evaluate"]},
                    "sdk": {
                        "type": "string",
                        "enum": ["v3", "v2"],
                        "nullable": True,
                        "description": "Default: the major version of the installed sagemaker package, else v3.",
                    },
                    "endpoint_name": {"type": "string", "nullable": True},
                    "directory": {
                        "type": "string",
                        "nullable": True,
                        "maxLength": 255,
                        "description": "Folder relative to the server root (created if needed); "
                        "default: the JumpStartLab.notebook_dir setting.",
                    },
                    "fresh": {
                        "type": "boolean",
                        "default": False,
                        "description": "Write a new copy even when a notebook for this model, version and action "
                        "exists in the folder.",
                    },
                },
            },
            "NotebookCreated": {
                "type": "object",
                "required": ["path", "reused"],
                "properties": {"path": {"type": "string"}, "reused": {"type": "boolean"}},
            },
        }
    },
}
