"""GET/POST hubs/{hub}/models/{model_id}/eula and GET eula-acceptances (JSON or CSV)."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...eula.audit import to_csv
from ...eula.models import AcceptanceList, AcceptancesQuery, AcceptRequest, AcceptResponse, EulaInfo, EulaQuery
from . import spec
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
            self.reply(AcceptanceList(acceptances=rows))
            return
        self.set_header("Content-Disposition", 'attachment; filename="eula-acceptances.csv"')
        self.finish(to_csv(rows), set_content_type="text/csv; charset=utf-8")


ROUTES = [
    (rf"hubs/{HUB}/models/(?P<model_id>[^/]+)/eula", EulaHandler),
    (r"eula-acceptances", AcceptancesHandler),
]

OPENAPI = {
    "paths": {
        "/hubs/{hub}/models/{model_id}/eula": {
            "parameters": [spec.HUB, spec.path("model_id")],
            "get": {
                "operationId": "getEula",
                "summary": "The model's EULA (text read from S3), its SHA-256 and whether it is accepted.",
                "parameters": spec.query(EulaQuery),
                "responses": {"200": spec.json(EulaInfo, "EULA"), **spec.errors(400, 403, 404, 503)},
            },
            "post": {
                "operationId": "acceptEula",
                "summary": "Record that the current user accepts the model's current EULA text.",
                "requestBody": spec.body(AcceptRequest),
                "responses": {"201": spec.json(AcceptResponse, "Accepted"), **spec.errors(400, 403, 404, 409, 503)},
            },
        },
        "/eula-acceptances": {
            "get": {
                "operationId": "listEulaAcceptances",
                "summary": "Audit log of EULA acceptances (JSON, or CSV with format=csv).",
                "parameters": spec.query(AcceptancesQuery),
                "responses": {
                    "200": spec.json(AcceptanceList, "Acceptances, oldest first", csv=True),
                    **spec.errors(400, 403, 503),
                },
            }
        },
    },
    "components": {
        "schemas": spec.components(inputs=(AcceptRequest,), outputs=(EulaInfo, AcceptResponse, AcceptanceList))
    },
}
