"""The hub layer: a WSGI app that answers the SageMaker hub APIs (and a few gap-fillers) itself and
passes everything else to a fallback WSGI app (moto in practice; see ``moto_backend.py``).

It routes by the SigV4 credential scope (``Credential=AKID/date/<region>/<service>/aws4_request``) and the
``X-Amz-Target`` header. It answers:

- the 15 hub operations and ``Search(Resource="HubContent")`` (``hub_api.py``), for every region (only us-west-2
  is seeded);
- ``sagemaker-runtime InvokeEndpoint`` and the endpoint lifecycle (``runtime.py``); CreateModel's EULA check;
- ``iam:SimulatePrincipalPolicy`` and pruning of empty structures in ``SageMaker.Describe*`` (``fidelity.py``);
- ``pricing:GetProducts`` and Service Quotas for SageMaker (``economics.py``);
- AWS RAM resource shares of hubs and ``ram:ListResources`` (``ram.py``; hubs shared from other accounts);
- admin paths under ``/_emu/`` (``health``, ``settings``, ``reset``, ``log``, ``faults``; see ``faults.py``).

No moto import here: the layer is plain WSGI and standard library.
"""

from __future__ import annotations

import io
import json
import random
import re
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote

from . import economics, fidelity, hub_api, ram
from .discovery import SERVICE
from .errors import AwsError, json_error, query_error, request_id, s3_error
from .faults import CallLog, Faults, parse_rule
from .runtime import Runtime
from .seed import Seed, seed_store
from .settings import Settings
from .store import HubStore

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
Reply = tuple[int, list[tuple[str, str]], bytes]

_SCOPE = re.compile(r"Credential=[^/]+/\d+/([^/]+)/([^/]+)/")
_QUERY_SCOPE = re.compile(r"X-Amz-Credential=[^/&]+/\d+/([^/&]+)/([^/&]+)/")  # presigned URLs
_INVOKE = re.compile(r"^/endpoints/(?P<name>[^/]+)/invocations$")
_JSON = "application/x-amz-json-1.1"
WARM_UP_HEADER = "X-Jumpstart-Lab-Warm-Up"  # the service's own start-up calls: no knobs, faults or log
_S3_OBJECT_ACTIONS = {"GET": "GetObject", "HEAD": "HeadObject", "PUT": "PutObject", "DELETE": "DeleteObject"}
_S3_BUCKET_ACTIONS = {"GET": "ListObjects", "HEAD": "HeadBucket", "PUT": "CreateBucket", "DELETE": "DeleteBucket"}
_REASONS = {
    200: "OK",
    400: "Bad Request",
    403: "Forbidden",
    404: "Not Found",
    429: "Too Many Requests",
    500: "Internal Server Error",
    501: "Not Implemented",
    503: "Service Unavailable",
}


class HubLayer:
    """WSGI middleware; ``fallback`` answers what the layer does not, ``on_reset(seed)`` re-seeds it."""

    def __init__(
        self,
        settings: Settings,
        fallback: WsgiApp | None = None,
        on_reset: Callable[[Seed], None] | None = None,
    ) -> None:
        self.settings = settings
        self.fallback = fallback
        self.on_reset = on_reset
        self.store = HubStore(deny_public_hub=settings.deny_public_hub)
        self.runtime = Runtime(endpoint_seconds=settings.endpoint_seconds, region=settings.region)
        self.ram = ram.Ram(self.store)
        self.economics = economics.Economics(economics.parse_quotas(settings.quotas))
        self.faults = Faults()
        self.log = CallLog()
        self._random = random.Random(0)  # noqa: S311 - throttling simulation, not security
        self.seed = self.reset(fallback=False)

    def reset(self, *, fallback: bool = True) -> Seed:
        """Re-seed the hub store (and the fallback through ``on_reset``); clear faults, log, endpoints."""
        seed = seed_store(self.store, self.settings)
        self.runtime.reset(seed.gated_prefixes, seed.model_index)
        self.ram.reset()
        self.faults.clear()
        self.log.clear()
        self.seed = seed
        if fallback and self.on_reset is not None:
            self.on_reset(seed)
        return seed

    # --- WSGI --------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path.startswith("/_emu/"):
            return self._send(start_response, self._admin(environ, path))
        started = time.time()
        auth = environ.get("HTTP_AUTHORIZATION", "")
        query = unquote(environ.get("QUERY_STRING", ""))
        scope = _SCOPE.search(auth) or _QUERY_SCOPE.search(query)
        region, service = (scope.group(1), scope.group(2)) if scope else (self.settings.region, "")
        if not scope and "AWSAccessKeyId=" in query:  # SigV2 presigned S3 URL (boto3's default for S3)
            service = "s3"
        if service == "s3" or not service:
            raw = b""
        else:
            raw = _read_body(environ)
            environ["wsgi.input"] = io.BytesIO(raw)
        action = self._action(environ, service, path, raw)
        if environ.get("HTTP_X_JUMPSTART_LAB_WARM_UP") == "1" and self.fallback is not None:
            return self.fallback(environ, start_response)
        if self.settings.latency_ms:
            time.sleep(self.settings.latency_ms / 1000)
        rid = request_id()
        try:
            injected = self.faults.take(service, action) or self._throttle(service)
            if injected is not None:
                raise injected
            reply = self._dispatch(environ, service, region, action, path, raw, rid)
        except AwsError as err:
            reply = _error(service, err, rid)
        if reply is None:  # streamed straight from the fallback
            status_holder: list[int] = []

            def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
                status_holder.append(int(status.split(" ", 1)[0]))
                return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

            assert self.fallback is not None
            result = self.fallback(environ, capture)
            self.log.record(service, action, status_holder[0] if status_holder else 0, region, started)
            return result
        self.log.record(service, action, reply[0], region, started)
        return self._send(start_response, reply)

    @staticmethod
    def _send(start_response: Callable[..., Any], reply: Reply) -> list[bytes]:
        status, headers, body = reply
        headers = [*headers, ("Content-Length", str(len(body)))]
        start_response(f"{status} {_REASONS.get(status, 'Error')}", headers)
        return [body]

    def _throttle(self, service: str) -> AwsError | None:
        """``THROTTLE_RATE``: this call is refused with its service's own throttling error."""
        rate = self.settings.throttle_rate
        if service and rate > 0 and self._random.random() < rate:
            return AwsError(*THROTTLING.get(service, ("ThrottlingException", "Rate exceeded", 400)))
        return None

    @staticmethod
    def _action(environ: dict[str, Any], service: str, path: str, raw: bytes) -> str:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if target:
            return target.rsplit(".", 1)[-1]
        if service == "sagemaker" and _INVOKE.match(path):
            return "InvokeEndpoint"
        if service in ("iam", "sts"):
            form = parse_qs(raw.decode("utf-8", "replace")) or parse_qs(environ.get("QUERY_STRING", ""))
            return (form.get("Action") or ["Unknown"])[0]
        if service == "ram":
            return ram.operations_by_path().get(path.lower(), path.strip("/") or "Unknown")
        if service == "s3":
            method = environ.get("REQUEST_METHOD", "GET")
            has_key = path.count("/") >= 2 and not path.endswith("/")
            names = _S3_OBJECT_ACTIONS if has_key else _S3_BUCKET_ACTIONS
            return "ListBuckets" if path == "/" and method == "GET" else names.get(method, method)
        return "Unknown"

    # --- dispatch ----------------------------------------------------------------------------

    def _dispatch(
        self, environ: dict[str, Any], service: str, region: str, action: str, path: str, raw: bytes, rid: str
    ) -> Reply | None:
        if service == "sagemaker" and environ.get("HTTP_X_AMZ_TARGET", "").startswith("SageMaker."):
            params = _json(raw)
            if action in hub_api.HUB_ACTIONS or hub_api.hub_search.is_hub_content_search(action, params):
                return _ok(hub_api.handle(self.store, region, action, params), rid)
            return self._sagemaker(environ, action, params, rid)
        if action == "InvokeEndpoint":
            match = _INVOKE.match(path)
            assert match is not None
            ctype, body = self.runtime.invoke(match["name"], raw, environ.get("CONTENT_TYPE"))
            return (
                200,
                [
                    ("Content-Type", ctype),
                    ("x-Amzn-Invoked-Production-Variant", "AllTraffic"),
                    ("x-amzn-RequestId", rid),
                ],
                body,
            )
        if service in economics.SERVICES:
            return _ok(self.economics.handle(service, region, action, _json(raw)), rid)
        if service == "iam" and action == "SimulatePrincipalPolicy":
            return (
                200,
                [("Content-Type", "text/xml"), ("x-amzn-RequestId", rid)],
                fidelity.simulate_principal_policy(raw, rid),
            )
        if service == "ram" and action in ram.HANDLED:
            query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
            reply = self.ram.handle(region, action, _json(raw), query)
            return 200, [("Content-Type", "application/json"), ("x-amzn-RequestId", rid)], json.dumps(reply).encode()
        if service == "s3" and self.settings.deny_public_hub:
            self._check_public_bucket(environ, path)
        return self._fallback_or_none()

    def _fallback_or_none(self) -> None:
        if self.fallback is None:
            raise AwsError(
                "NotImplemented", "This call needs the AWS fallback (pip install 'jumpstart_lab[local]').", 501
            )
        return None

    def _sagemaker(self, environ: dict[str, Any], action: str, params: dict[str, Any], rid: str) -> Reply | None:
        if action == "CreateModel":
            self.runtime.check_create_model(params)
        watched = action in ("CreateModel", "CreateEndpointConfig", "CreateEndpoint", "DeleteEndpoint")
        rewrites = action.startswith("Describe") or action == "ListEndpoints"
        if not (watched or rewrites):
            return self._fallback_or_none()
        self._fallback_or_none()
        status, headers, body = self._call_fallback(environ)
        if status != 200:
            return status, headers, body
        if watched:
            {
                "CreateModel": self.runtime.created_model,
                "CreateEndpointConfig": self.runtime.created_endpoint_config,
                "CreateEndpoint": self.runtime.created_endpoint,
                "DeleteEndpoint": self.runtime.deleted_endpoint,
            }[action](params)
            return status, headers, body
        try:
            reply = json.loads(body or b"{}")
        except ValueError:
            return status, headers, body
        reply = fidelity.prune_empty(reply)
        if action == "DescribeEndpoint":
            reply = self.runtime.rewrite_describe(reply)
        elif action == "ListEndpoints":
            reply = self.runtime.rewrite_list(reply)
        headers = [(k, v) for k, v in headers if k.lower() != "content-length"]
        return status, headers, json.dumps(reply).encode()

    def _call_fallback(self, environ: dict[str, Any]) -> Reply:
        captured: dict[str, Any] = {}

        def start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
            captured["status"], captured["headers"] = int(status.split(" ", 1)[0]), headers
            return lambda _data: None

        assert self.fallback is not None
        result = self.fallback(environ, start)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        return captured["status"], list(captured["headers"]), body

    def _check_public_bucket(self, environ: dict[str, Any], path: str) -> None:
        """Deny knob: the JumpStart content buckets serve the files every SDK user reads (the models
        manifest and specs, EULA texts, notebooks) and nothing else: no listing, no model artifacts."""
        bucket, _, key = path.lstrip("/").partition("/")
        if not bucket.startswith(("jumpstart-cache-prod-", "jumpstart-private-cache-prod-")):
            return
        if (
            environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and key
            and (
                key in self.seed.eula_keys
                or key.endswith((".ipynb", "/eula.txt", ".json"))
                or "/eula/" in key
                or "/terms/" in key
            )
        ):
            return
        raise AwsError("AccessDenied", "Access Denied", 403)

    # --- admin -------------------------------------------------------------------------------

    def _admin(self, environ: dict[str, Any], path: str) -> Reply:
        method = environ.get("REQUEST_METHOD", "GET")
        name = path[len("/_emu/") :].strip("/")
        try:
            if name == "health" and method == "GET":
                return _admin_json({"status": "ok", "service": SERVICE, **self.store.snapshot()})
            if name == "settings" and method == "GET":
                return _admin_json(vars(self.settings))
            if name == "reset" and method == "POST":
                self.reset()
                return _admin_json({"status": "reset", **self.store.snapshot()})
            if name == "log":
                if method == "DELETE":
                    self.log.clear()
                    return _admin_json({"status": "cleared"})
                if method == "GET":
                    return _admin_json({"calls": self.log.list()})
            if name == "faults":
                if method == "DELETE":
                    self.faults.clear()
                    return _admin_json({"status": "cleared"})
                if method == "GET":
                    return _admin_json({"faults": self.faults.list()})
                if method == "POST":
                    raw = json.loads(_read_body(environ) or b"null")
                    rules = [parse_rule(r) for r in (raw if isinstance(raw, list) else [raw])]
                    self.faults.add(rules)
                    return _admin_json({"faults": self.faults.list()})
        except ValueError as exc:
            return _admin_json({"code": "InvalidFault", "message": str(exc)}, 400)
        return _admin_json({"code": "NotFound", "message": f"No admin endpoint {method} /_emu/{name}"}, 404)


def _read_body(environ: dict[str, Any]) -> bytes:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    stream = environ.get("wsgi.input")
    return stream.read(length) if stream is not None and length > 0 else b""


def _json(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw or b"{}")
    except ValueError:
        raise AwsError("SerializationException", "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise AwsError("SerializationException", "The request body must be a JSON object.")
    return value


def _ok(reply: dict[str, Any], rid: str) -> Reply:
    return 200, [("Content-Type", _JSON), ("x-amzn-RequestId", rid)], json.dumps(reply).encode()


def _admin_json(value: Any, status: int = 200) -> Reply:
    return status, [("Content-Type", "application/json")], json.dumps(value).encode()


# Each service's throttling error, as AWS answers it (botocore's retry handlers know every one).
THROTTLING: dict[str, tuple[str, str, int]] = {
    "s3": ("SlowDown", "Please reduce your request rate.", 503),
    "sts": ("Throttling", "Rate exceeded", 400),
    "iam": ("Throttling", "Rate exceeded", 400),
}


def _error(service: str, err: AwsError, rid: str) -> Reply:
    if service in ("iam", "sts"):
        return query_error(err, rid)
    if service == "s3":
        return s3_error(err, rid)
    return json_error(err, rid)
