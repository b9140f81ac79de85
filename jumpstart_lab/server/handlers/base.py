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
from tornado.iostream import StreamClosedError
from tornado.web import HTTPError

from ...errors import InvalidInput, JumpStartLabError
from ...services import Services
from ..errors import status_for, validation_message
from .spec import NDJSON

T = TypeVar("T")
Progress = Callable[[str, int, int], None]
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

    async def reply_with_progress(self, fn: Callable[..., BaseModel], *args: Any) -> None:
        """Reply ``fn(*args, progress)`` (run on the AWS pool). A client that sends ``Accept: application/x-ndjson``
        gets a stream instead: a ``{"progress": {what, done, total}}`` line per step as it happens, then
        ``{"result": ...}``. An error before the first line is an ordinary error response; after it (the
        status is sent) it is the last line, ``{"error": {status, code, message, ...}}``."""
        if NDJSON not in (self.request.headers.get("Accept") or ""):
            self.reply(await self.call(fn, *args, self._log_progress))
            return
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def progress(what: str, done: int, total: int) -> None:  # on a pool thread
            self._log_progress(what, done, total)
            loop.call_soon_threadsafe(lines.put_nowait, {"progress": {"what": what, "done": done, "total": total}})

        work = asyncio.ensure_future(self.call(fn, *args, progress))
        while True:
            line = asyncio.ensure_future(lines.get())
            await asyncio.wait({work, line}, return_when=asyncio.FIRST_COMPLETED)
            if not line.done():
                line.cancel()
                break
            await self._stream(line.result())
        while not lines.empty():  # steps reported just before the end
            await self._stream(lines.get_nowait())
        try:
            result = work.result()
        except Exception as exc:
            if not self._headers_written:
                raise
            if not isinstance(exc, (JumpStartLabError, ValidationError)):
                self.log.error("jumpstart_lab: %s %s failed", self.request.method, self.request.path, exc_info=exc)
            status = self._error_status(exc) if isinstance(exc, (JumpStartLabError, ValidationError)) else 500
            body = self._error_body(exc)
            self.log.info("jumpstart_lab: %s %s -> %s %s (streamed)", self.request.method, self.request.path,
                          status, body["code"])  # fmt: skip
            await self._stream({"error": {"status": status, **body}})
        else:
            await self._stream({"result": result.model_dump(mode="json")})
        self.finish()

    async def _stream(self, line: dict[str, Any]) -> None:
        if not self._headers_written:
            self.set_status(200)
            self.set_header("Content-Type", NDJSON)
        self.write(json.dumps(line) + "\n")
        try:
            await self.flush()
        except StreamClosedError:
            pass  # the client left; the work goes on to its end (as without a stream)

    def _log_progress(self, what: str, done: int, total: int) -> None:
        self.log.debug("jumpstart_lab: %s %s: %s (%d/%d)", self.request.method, self.request.path, what, done, total)

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
            status = self._error_status(e)
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

    @staticmethod
    def _error_status(exc: JumpStartLabError | ValidationError) -> int:
        return status_for(exc) if isinstance(exc, JumpStartLabError) else 400

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(self._error_body(kwargs.get("exc_info", (None, None, None))[1], status_code)))

    def _error_body(self, exc: BaseException | None, status_code: int = 500) -> dict[str, Any]:
        """The ``{code, message, ...}`` of an error (never a traceback)."""
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
        return body


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
