"""POST notebooks: write a prefilled Train / Deploy / Evaluate notebook for a hub model."""

from __future__ import annotations

import tornado.web
from jupyter_server.auth.decorator import authorized

from ...notebooks.models import NotebookCreated, NotebookRequest
from . import spec
from .base import ApiHandler


class NotebooksHandler(ApiHandler):
    auth_resource = "jumpstart_lab.notebooks"

    @tornado.web.authenticated
    @authorized
    async def post(self) -> None:
        request = self.body_as(NotebookRequest)
        path = await self.call(self.services.notebooks.create, request, self.username)
        self.reply(NotebookCreated(path=path), 201)


ROUTES = [(r"notebooks", NotebooksHandler)]

OPENAPI = {
    "paths": {
        "/notebooks": {
            "post": {
                "operationId": "createNotebook",
                "summary": "Write a new prefilled notebook (train, deploy or evaluate) for a hub model.",
                "requestBody": spec.body(NotebookRequest),
                "responses": {
                    "201": spec.json(NotebookCreated, "Created; the path is relative to the Jupyter server root."),
                    **spec.errors(400, 403, 404, 503),
                },
            }
        }
    },
    "components": {"schemas": spec.components(inputs=(NotebookRequest,), outputs=(NotebookCreated,))},
}
