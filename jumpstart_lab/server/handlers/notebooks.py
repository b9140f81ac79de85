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
        created = await self.call(self.services.notebooks.open_or_create, request, self.username)
        self.reply(created, 200 if created.reused else 201)


ROUTES = [(r"notebooks", NotebooksHandler)]

OPENAPI = {
    "paths": {
        "/notebooks": {
            "post": {
                "operationId": "createNotebook",
                "summary": "Open the prefilled notebook (train, deploy or evaluate) of a hub model: the one already "
                "written for this model, version and action (200, reused), else a new file (201); fresh: always new.",
                "requestBody": spec.body(NotebookRequest),
                "responses": {
                    "200": spec.json(NotebookCreated, "The notebook already written for this model, version, action."),
                    "201": spec.json(NotebookCreated, "Created; the path is relative to the Jupyter server root."),
                    **spec.errors(400, 403, 404, 503),
                },
            }
        }
    },
    "components": {"schemas": spec.components(inputs=(NotebookRequest,), outputs=(NotebookCreated,))},
}
