"""Deployments: POST/GET deployments, GET/DELETE deployments/{name}, POST deployments/{name}/invoke."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...deployments.models import Deleted, Deployment, DeploymentList, DeploymentRequest, InvokeRequest, InvokeResult
from . import spec
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

NAME = spec.path("name", "Endpoint name.")

OPENAPI = {
    "paths": {
        "/deployments": {
            "get": {
                "operationId": "listDeployments",
                "summary": "Endpoints deployed by jumpstart-lab in this region, newest first.",
                "responses": {"200": spec.json(DeploymentList, "Deployments"), **spec.errors(403, 503)},
            },
            "post": {
                "operationId": "createDeployment",
                "summary": "Deploy a hub model to a new real-time endpoint (defaults from the model's document).",
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
    },
    "components": {
        "schemas": spec.components(
            inputs=(DeploymentRequest, InvokeRequest), outputs=(Deployment, DeploymentList, Deleted, InvokeResult)
        )
    },
}
