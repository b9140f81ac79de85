"""Deployments: POST/GET deployments, GET/DELETE deployments/{name}, POST deployments/{name}/invoke,
POST deployments/{name}/redeploy, GET hubs/{hub}/models/{model_id}/deploy-options."""

from __future__ import annotations

from typing import Any

import tornado.web
from jupyter_server.auth.decorator import authorized
from pydantic.json_schema import models_json_schema

from ...deployments.models import (
    CapacityList,
    Deployment,
    DeploymentList,
    DeploymentRequest,
    DeployOptions,
    InvokeRequest,
    ListQuery,
)
from .base import ApiHandler
from .hubs import HUB, DetailQuery


class DeployOptionsHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def get(self, hub: str, model_id: str) -> None:
        version = self.query_as(DetailQuery).version
        self.reply(await self.call(self.services.deployments.deploy_options, hub, model_id, version))


class CapacityHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.call(self.services.deployments.capacity))


class DeploymentsHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def get(self) -> None:
        query = self.query_as(ListQuery)
        self.reply(await self.call(self.services.deployments.list, include_deleted=query.include == "deleted"))

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
        self.reply(await self.call(self.services.deployments.delete, name, self.username))


class RedeployHandler(ApiHandler):
    auth_resource = "jumpstart_lab.deployments"

    @tornado.web.authenticated
    @authorized
    async def post(self, name: str) -> None:
        self.reply(await self.call(self.services.deployments.redeploy, name, self.username), 202)


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
    (r"deployments/(?P<name>[^/]+)/redeploy", RedeployHandler),
    (rf"hubs/{HUB}/models/(?P<model_id>[^/]+)/deploy-options", DeployOptionsHandler),
    (r"instance-types", CapacityHandler),
]

_ERR = {"$ref": "#/components/responses/Error"}
_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Endpoint name."}
_NSTR = {"type": "string", "nullable": True}


def _generated() -> dict[str, Any]:
    """Schemas of the pydantic response models (deploy-options, deployments with prices and costs)."""
    _, defs = models_json_schema(
        [(m, "serialization") for m in (DeployOptions, Deployment, DeploymentList, CapacityList)],
        ref_template="#/components/schemas/{model}",
    )
    return defs.get("$defs", {})


_HUB = {"name": "hub", "in": "path", "required": True, "schema": {"type": "string"}, "description": "Hub name or ARN."}
_MODEL = {"name": "model_id", "in": "path", "required": True, "schema": {"type": "string"}}


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
                "summary": "Endpoints deployed by jumpstart-lab in this region, newest first, with prices, the "
                "estimated cost so far and the number running.",
                "parameters": [
                    {
                        "name": "include",
                        "in": "query",
                        "required": False,
                        "schema": {"type": "string", "enum": ["deleted"]},
                        "description": "deleted: also saved deployments whose endpoint was deleted (redeployable).",
                    }
                ],
                "responses": {"200": _json("DeploymentList", "Deployments"), "400": _ERR, "403": _ERR, "503": _ERR},
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
        "/instance-types": {
            "get": {
                "operationId": "listInstanceCapacity",
                "summary": "Every instance type with an endpoint quota in this account, with instances in use and free "
                "(what the model list's \"deployable with my quota\" filter uses).",
                "responses": {"200": _json("CapacityList", "Quotas per instance type"), "403": _ERR, "503": _ERR},
            },
        },
        "/deployments/{name}/redeploy": {
            "parameters": [_NAME],
            "post": {
                "operationId": "redeployDeployment",
                "summary": "Create a deleted saved deployment again with the same settings (EULA and quota checked).",
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
        "/hubs/{hub}/models/{model_id}/deploy-options": {
            "parameters": [_HUB, _MODEL],
            "get": {
                "operationId": "getDeployOptions",
                "summary": "Each supported inference instance type with its hourly price, quota, instances in use "
                "and free count (null with a reason when unknown).",
                "parameters": [
                    {"name": "version", "in": "query", "required": False, "schema": {"type": "string"}},
                ],
                "responses": {"200": _json("DeployOptions", "Deploy options"), "400": _ERR, "403": _ERR, "404": _ERR},
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
            **_generated(),
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
