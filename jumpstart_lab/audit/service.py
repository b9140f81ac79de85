"""The audit service's tornado application, run by the hub (``c.JupyterHub.services``).

Authentication is JupyterHub's ``HubOAuth`` (an API token in the Authorization header, or the browser's
OAuth login through the hub); only users (or services) holding ``custom:jumpstart-lab:audit`` get in, others
get 403. Routes under ``JUPYTERHUB_SERVICE_PREFIX``: ``/`` (HTML), ``acceptances`` (JSON, ``?format=csv``),
``oauth_callback``.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import sys
from http import HTTPStatus
from typing import Any

from jupyterhub.services.auth import HubOAuth, HubOAuthCallbackHandler, HubOAuthenticated
from jupyterhub.utils import url_path_join
from pydantic import ValidationError
from tornado import ioloop, web
from tornado.httpserver import HTTPServer

from ..db import Database
from ..errors import JumpStartLabError
from ..eula.audit import to_csv
from ..eula.store import AcceptanceStore
from ..server.errors import status_for, validation_message
from ..server.hub import AUDIT_SCOPE
from .query import AuditQuery, page, run

log = logging.getLogger("jumpstart_lab.audit")
SERVICE_NAME = "jumpstart-lab-audit"
PAGE_ROWS = 50


class AuditHandler(HubOAuthenticated, web.RequestHandler):
    """Base: the hub decides who the caller is; the audit scope decides whether they may read."""

    hub_scopes = {AUDIT_SCOPE}

    @property
    def store(self) -> AcceptanceStore:
        return self.settings["store"]

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, JumpStartLabError):
            body = {"code": exc.code, "message": exc.message}
        elif isinstance(exc, ValidationError):
            body = {"code": "InvalidInput", "message": validation_message(exc)}
        elif status_code == 403:
            body = {"code": "Forbidden", "message": f"Reading the audit log needs the {AUDIT_SCOPE} scope."}
        elif status_code < 500:
            body = {"code": HTTPStatus(status_code).phrase.replace(" ", ""), "message": HTTPStatus(status_code).phrase}
        else:
            body = {"code": "InternalError", "message": "An unexpected error occurred; the service log has details."}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, ValidationError) and not self._finished:
            self.send_error(400, exc_info=sys.exc_info())
            return
        if isinstance(e, JumpStartLabError) and not self._finished:
            self.send_error(status_for(e), exc_info=sys.exc_info())
            return
        super()._handle_request_exception(e)

    def query(self) -> AuditQuery:
        return AuditQuery.model_validate({k: self.get_query_argument(k) for k in self.request.query_arguments})


class AcceptancesHandler(AuditHandler):
    @web.authenticated
    async def get(self) -> None:
        query = self.query()
        rows = await ioloop.IOLoop.current().run_in_executor(None, run, self.store, query)
        self.set_header("Cache-Control", "no-store")
        if query.format == "csv":
            self.set_header("Content-Type", "text/csv; charset=utf-8")
            self.set_header("Content-Disposition", 'attachment; filename="eula-acceptances.csv"')
            self.finish(to_csv(rows))
            return
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"acceptances": [r.model_dump(mode="json") for r in rows], "count": len(rows)}))


class PageHandler(AuditHandler):
    @web.authenticated
    async def get(self) -> None:
        loop = ioloop.IOLoop.current()
        rows = await loop.run_in_executor(None, lambda: self.store.query(limit=PAGE_ROWS, newest_first=True))
        total = await loop.run_in_executor(None, self.store.count)
        user = self.current_user or {}
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.finish(page(str(user.get("name", "")), self.settings["prefix"], rows, total))


def make_app(store: AcceptanceStore, prefix: str) -> web.Application:
    """The routes under ``prefix`` (the hub's ``/services/<name>/``)."""
    # the singleton every HubOAuthenticated handler (the OAuth callback's too) uses
    HubOAuth.instance(api_token=os.environ["JUPYTERHUB_API_TOKEN"], cache_max_age=60, access_scopes={AUDIT_SCOPE})
    return web.Application(
        [
            (prefix, PageHandler),
            (url_path_join(prefix, "acceptances"), AcceptancesHandler),
            (url_path_join(prefix, "oauth_callback"), HubOAuthCallbackHandler),
        ],
        cookie_secret=secrets.token_bytes(32),
        store=store,
        prefix=prefix,
    )


def serve(db_url: str, *, port: int | None = None) -> None:
    """Run until stopped: listen where the hub says (``JUPYTERHUB_SERVICE_URL``), or on ``port``."""
    from urllib.parse import urlparse

    if not os.environ.get("JUPYTERHUB_API_TOKEN"):
        raise RuntimeError(
            "the audit service runs as a JupyterHub service (c.JupyterHub.services); JUPYTERHUB_API_TOKEN is not set"
        )
    db = Database(db_url)
    store = AcceptanceStore(db)
    try:
        store.ready()
    except JumpStartLabError as exc:  # start anyway: requests answer 503 until the database is back
        log.warning("%s", exc.message)
    prefix = os.environ.get("JUPYTERHUB_SERVICE_PREFIX", f"/services/{SERVICE_NAME}/")
    where = urlparse(os.environ.get("JUPYTERHUB_SERVICE_URL", f"http://127.0.0.1:{port or 10101}"))
    app = make_app(store, prefix)
    server = HTTPServer(app, xheaders=True)
    server.listen(port or where.port or 10101, where.hostname or "127.0.0.1")
    log.info("jumpstart-lab audit service on %s%s, database %s", where.geturl(), prefix, db.redacted)
    ioloop.IOLoop.current().start()
