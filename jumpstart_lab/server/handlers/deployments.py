"""Deployments: POST/GET deployments, GET/DELETE deployments/{name}, POST deployments/{name}/invoke,
POST deployments/{name}/redeploy, GET hubs/{hub}/models/{model_id}/deploy-options."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...deployments.models import (
    CapacityList,
    Deleted,
    Deployment,
    DeploymentList,
    DeploymentRequest,
    DeployOptions,
    InvokeRequest,
    InvokeResult,
    ListQuery,
)
from . import spec
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

NAME = spec.path("name", "Endpoint name.")
LIST_DESCRIPTIONS = {"include": "deleted: also saved deployments whose endpoint was deleted (redeployable)."}

OPENAPI = {
    "paths": {
        "/deployments": {
            "get": {
                "operationId": "listDeployments",
                "summary": "Endpoints deployed by jumpstart-lab in this region, newest first, with prices, the "
                "estimated cost so far and the number running.",
                "parameters": spec.query(ListQuery, LIST_DESCRIPTIONS),
                "responses": {"200": spec.json(DeploymentList, "Deployments"), **spec.errors(400, 403, 503)},
            },
            "post": {
                "operationId": "createDeployment",
                "summary": "Deploy a hub model to a new real-time endpoint (defaults from the model's document); "
                "refused with QuotaExceeded before any AWS create call when the quota has no room.",
                "requestBody": spec.body(DeploymentRequest),
                "responses": {
                    "202": spec.json(Deployment, "Deployment started (status Creating)"),
                    **spec.errors(400, 403, 404, 409, 503),
                },
            },
        },
        "/deployments/{name}": {
            "parameters": [NAME],
            "get": {
                "operationId": "getDeployment",
                "summary": "One deployment and its status.",
                "responses": {"200": spec.json(Deployment, "Deployment"), **spec.errors(400, 403, 404)},
            },
            "delete": {
                "operationId": "deleteDeployment",
                "summary": "Delete the endpoint, its endpoint configuration and its model.",
                "responses": {"200": spec.json(Deleted, "Deleted"), **spec.errors(400, 403, 404)},
            },
        },
        "/deployments/{name}/redeploy": {
            "parameters": [NAME],
            "post": {
                "operationId": "redeployDeployment",
                "summary": "Create a deleted saved deployment again with the same settings (EULA and quota checked).",
                "responses": {
                    "202": spec.json(Deployment, "Deployment started (status Creating)"),
                    **spec.errors(400, 403, 404, 409, 503),
                },
            },
        },
        "/deployments/{name}/invoke": {
            "parameters": [NAME],
            "post": {
                "operationId": "invokeDeployment",
                "summary": "Send the model's default payload (or the given one) to the endpoint.",
                "requestBody": spec.body(InvokeRequest, required=False),
                "responses": {
                    "200": spec.json(InvokeResult, "The endpoint's answer"),
                    **spec.errors(400, 403, 404, 409),
                },
            },
        },
        "/instance-types": {
            "get": {
                "operationId": "listInstanceCapacity",
                "summary": "Every instance type with an endpoint quota in this account, with instances in use and free "
                '(what the model list\'s "deployable with my quota" filter uses).',
                "responses": {"200": spec.json(CapacityList, "Quotas per instance type"), **spec.errors(403, 503)},
            },
        },
        "/hubs/{hub}/models/{model_id}/deploy-options": {
            "parameters": [spec.HUB, spec.path("model_id")],
            "get": {
                "operationId": "getDeployOptions",
                "summary": "Each supported inference instance type with its hourly price, quota, instances in use "
                "and free count (null with a reason when unknown).",
                "parameters": spec.query(DetailQuery),
                "responses": {"200": spec.json(DeployOptions, "Deploy options"), **spec.errors(400, 403, 404)},
            },
        },
    },
    "components": {
        "schemas": spec.components(
            inputs=(DeploymentRequest, InvokeRequest),
            outputs=(Deployment, DeploymentList, Deleted, InvokeResult, DeployOptions, CapacityList),
        )
    },
}
