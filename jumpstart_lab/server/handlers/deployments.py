"""Deployments: POST/GET deployments, GET/DELETE deployments/{name}, POST deployments/{name}/invoke."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...deployments.models import DeploymentRequest, InvokeRequest
from .base import ApiHandler


class DeploymentsHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.call(self.services.deployments.list))

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.body_as(DeploymentRequest)
        self.reply(await self.call(self.services.deployments.create, request, self.username), 202)


class DeploymentHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def get(self, name: str) -> None:
        self.reply(await self.call(self.services.deployments.get, name))

    @tornado.web.authenticated
    @authorized
    async def delete(self, name: str) -> None:
        self.reply(await self.call(self.services.deployments.delete, name))


class InvokeHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        body = self.body_as(InvokeRequest)
        self.reply(
            await self.call(self.services.deployments.invoke, name, body.payload, content_type=body.content_type)
        )


ROUTES = [
    (r"deployments", DeploymentsHandler),
    (r"deployments/(?P<name>[^/]+)", DeploymentHandler),
    (r"deployments/(?P<name>[^/]+)/invoke", InvokeHandler),
]

_ERR = {"$ref": "#/components/responses/Error"}
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Endpoint name."}
_NSTR = {"type": "string", "nullable": True}


def _json(ref: str, description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


OPENAPI = {
    "paths": {
        "/deployments": {
            "get": {
                "operationId": "listDeployments",
                "summary": "Endpoints deployed by jumpstart-lab in this region, newest first.",
                "responses": {"200": _json("DeploymentList", "Deployments"), "403": _ERR, "503": _ERR},
            },
            "post": {
                "operationId": "createDeployment",
                "summary": "Deploy a hub model to a new real-time endpoint (defaults from the model's document).",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DeploymentRequest"}}},
                },
                "responses": {
                    "202": _json("Deployment", "Deployment started (status Creating)"),
                    "400": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                    "503": _ERR,
                },
            },
        },
        "/deployments/{name}": {
            "parameters": [_NAME],
            "get": {
                "operationId": "getDeployment",
                "summary": "One deployment and its status.",
                "responses": {"200": _json("Deployment", "Deployment"), "400": _ERR, "403": _ERR, "404": _ERR},
            },
            "delete": {
                "operationId": "deleteDeployment",
                "summary": "Delete the endpoint, its endpoint configuration and its model.",
                "responses": {"200": _json("DeletedDeployment", "Deleted"), "400": _ERR, "403": _ERR, "404": _ERR},
            },
        },
        "/deployments/{name}/invoke": {
            "parameters": [_NAME],
            "post": {
                "operationId": "invokeDeployment",
                "summary": "Send the model's default payload (or the given one) to the endpoint.",
                "requestBody": {
                    "required": False,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/InvokeRequest"}}},
                },
                "responses": {
                    "200": _json("InvokeResult", "The endpoint's answer"),
                    "400": _ERR,
                    "403": _ERR,
                    "404": _ERR,
                    "409": _ERR,
                },
            },
        },
    },
    "components": {
        "schemas": {
            "DeploymentRequest": {
                "type": "object",
                "additionalProperties": False,
                "required": ["hub", "model_id"],
                "properties": {
                    "hub": {"type": "string", "description": "Hub name or ARN."},
                    "model_id": {"type": "string"},
                    "version": _NSTR,
                    "endpoint_name": {**_NSTR, "pattern": "^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$"},
                    "instance_type": _NSTR,
                    "instance_count": {"type": "integer", "minimum": 1, "maximum": 100, "default": 1},
                },
            },
            "Deployment": {
                "type": "object",
                "required": [
                    "endpoint_name",
                    "status",
                    "hub",
                    "model_id",
                    "version",
                    "instance_type",
                    "instance_count",
                    "created_at",
                    "failure_reason",
                ],
                "properties": {
                    "endpoint_name": {"type": "string"},
                    "status": {"type": "string", "description": "SageMaker EndpointStatus (Creating, InService, ...)."},
                    "hub": _NSTR,
                    "model_id": _NSTR,
                    "version": _NSTR,
                    "instance_type": _NSTR,
                    "instance_count": {"type": "integer", "nullable": True},
                    "created_at": {"type": "string", "format": "date-time", "nullable": True},
                    "failure_reason": _NSTR,
                    "advice": {
                        "type": "string",
                        "nullable": True,
                        "description": "What to do about a Failed endpoint's failure_reason, when known.",
                    },
                },
            },
            "DeploymentList": {
                "type": "object",
                "required": ["deployments"],
                "properties": {"deployments": {"type": "array", "items": {"$ref": "#/components/schemas/Deployment"}}},
            },
            "DeletedDeployment": {
                "type": "object",
                "required": ["endpoint_name", "endpoint_config_name", "model_names"],
                "properties": {
                    "endpoint_name": {"type": "string"},
                    "endpoint_config_name": _NSTR,
                    "model_names": {"type": "array", "items": {"type": "string"}},
                },
            },
            "InvokeRequest": {
                "type": "object",
                "additionalProperties": False,
                "properties": {
                    "payload": {
                        "description": "JSON value or string; omitted = the model's default payload.",
                        "nullable": True,
                    },
                    "content_type": {**_NSTR, "description": "Content type of the payload (default: JSON)."},
                },
            },
            "InvokeResult": {
                "type": "object",
                "required": ["content_type", "body"],
                "properties": {
                    "content_type": _NSTR,
                    "body": {
                        "description": "Parsed JSON when the endpoint answered JSON, else text.",
                        "nullable": True,
                    },
                },
            },
        }
    },
}
