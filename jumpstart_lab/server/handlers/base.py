"""The base of every REST handler: auth, JSON in and out, errors, the AWS pool."""

from __future__ import annotations

import asyncio
import functools
import getpass
import json
import sys
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any, TypeVar

from jupyter_server.auth.identity import IdentityProvider, PasswordIdentityProvider
from jupyter_server.base.handlers import APIHandler
from jupyter_server.extension.handler import ExtensionHandlerMixin
from pydantic import BaseModel, ValidationError
from tornado.web import HTTPError

from ...errors import InvalidInput, JumpStartLabError
from ...services import Services
from ..errors import status_for, validation_message

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

# jupyter-server's own token / password identities name nobody: every browser or kernel session that
# presents the shared token gets a new random "Anonymous" user.
ANONYMOUS_IDENTITIES = (IdentityProvider, PasswordIdentityProvider)


@functools.cache
def server_account() -> str:
    """The operating-system account that runs this server (holder of its token and AWS credentials)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # an arbitrary container uid without a passwd entry or USER
        return "jupyter"


class ApiHandler(ExtensionHandlerMixin, APIHandler):
    """Parse, call the domain, serialise. Errors are mapped in ``write_error``.

    Subclasses set ``auth_resource`` (the authorizer's resource name) and decorate
    each verb with ``@tornado.web.authenticated`` and ``@authorized``.
    """

    auth_resource = "jumpstart_lab"

    @property
    def services(self) -> Services:
        services = self.settings.get("jumpstart_lab.services")
        if services is None:  # the extension could not start its services (e.g. the local service)
            raise self.settings["jumpstart_lab.startup_error"]
        return services

    @property
    def username(self) -> str:
        """Who acts: the audit log's "who", and the owner of EULA acceptances.

        An identity provider that names users (JupyterHub's, a custom one) gives their username. With
        jupyter-server's own anonymous token/password identity the server is single-user, so it is the
        account running the server (a random per-session name would lose acceptances between kernels).
        """
        if type(self.identity_provider) in ANONYMOUS_IDENTITIES:
            return server_account()
        user = self.current_user
        return getattr(user, "username", None) or str(user or "anonymous")

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run blocking domain code (boto3) on the AWS thread pool, never on the loop."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.services.executor, functools.partial(fn, *args, **kwargs))

    def body_as(self, model: type[M]) -> M:
        """The JSON body validated into ``model`` (400 with a clear message otherwise)."""
        raw = self.request.body or b"{}"
        try:
            data = json.loads(raw)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InvalidInput("The request body is not valid JSON.", code="InvalidJson") from exc
        if not isinstance(data, dict):
            raise InvalidInput("The request body must be a JSON object.", code="InvalidJson")
        return model.model_validate(data)

    def query_as(self, model: type[M]) -> M:
        """Query arguments (last value of each) validated into ``model``."""
        args = {k: self.get_query_argument(k) for k in self.request.query_arguments}
        return model.model_validate(args)

    def reply(self, payload: Any, status: int = 200) -> Awaitable[None]:
        """Send ``payload`` as JSON; await the result to know it has been written out."""
        if isinstance(payload, BaseModel):
            payload = payload.model_dump(mode="json")
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        return self.finish(json.dumps(payload))

    # -- errors: the one mapping --------------------------------------------------------
    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, (JumpStartLabError, ValidationError)) and not self._finished:
            status = status_for(e) if isinstance(e, JumpStartLabError) else 400
            self.log.info(
                "jumpstart_lab: %s %s -> %s %s",
                self.request.method,
                self.request.path,
                status,
                getattr(e, "code", "InvalidInput"),
            )
            self.send_error(status, exc_info=sys.exc_info())
            return
        super()._handle_request_exception(e)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, JumpStartLabError):
            body = exc.to_dict()
        elif isinstance(exc, ValidationError):
            body = {"code": "InvalidInput", "message": validation_message(exc)}
        elif isinstance(exc, HTTPError):
            body = {"code": _code_for(status_code), "message": exc.log_message or exc.reason or _reason(status_code)}
        elif status_code < 500:
            body = {"code": _code_for(status_code), "message": self._reason or _reason(status_code)}
        else:
            body = {"code": "InternalError", "message": "An unexpected error occurred; the server log has the details."}
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(body))


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _code_for(status: int) -> str:
    return {
        400: "InvalidInput",
        401: "Unauthorized",
        403: "Forbidden",
        404: "NotFound",
        405: "MethodNotAllowed",
        409: "Conflict",
    }.get(status, _reason(status).replace(" ", ""))


class NotFoundHandler(ApiHandler):
    """Unknown paths under the API prefix answer a JSON 404, not an HTML page."""

    async def prepare(self) -> None:
        await super().prepare()  # authentication first: an anonymous caller learns nothing about paths
        if self.current_user is None:
            raise HTTPError(403)
        raise HTTPError(404, "No such jumpstart-lab API endpoint.")
