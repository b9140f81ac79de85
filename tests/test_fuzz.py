"""schemathesis against the served OpenAPI document (issue 7, fuzzing).

Every operation of ``GET jumpstart-lab/api/openapi.json`` (loaded from the live server with
the token) gets a bounded number of positive and negative examples, generated with a fixed
seed (``derandomize``), sent to the real pytest-jupyter server on its own local service.
Checks: no 5xx, status code and response body conform to the document, JSON content
type, and every error is ``{code, message}``.

Nothing is excluded: the fuzzed server has its own local service, so mutating operations
(POST/DELETE hubs, references, shares, deployments) only touch throwaway state; random
names almost never match the seeded hubs, and when they do the API must still answer
within the document.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from service_support import own_service

from jumpstart_lab.server.handlers.openapi import document

EXAMPLES = {GenerationMode.POSITIVE: 25, GenerationMode.NEGATIVE: 15}  # per operation
REAL_EXAMPLES = 15
REAL_PATH_VALUES = {"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f"}
# Not fuzzed with real path values (they are in the random passes): deleting the real hub or its
# reference would empty the catalog the other operations' real-value passes need.
NOT_ON_REAL_DATA = {("DELETE", "/hubs/{hub}"), ("DELETE", "/hubs/{hub}/references/{model_id}")}
PARAM = re.compile(r"\{(\w+)\}")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_service() -> Iterator[str]:
    yield from own_service(JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS="1")


@pytest.fixture
def aws_endpoint(fuzz_service):
    return fuzz_service


def error_format(response: Any) -> str | None:
    """Why an error response is not the JSON error format, or None."""
    if response.status_code < 400:
        return None
    try:
        body = json.loads(response.content)
    except ValueError:
        return f"{response.status_code} body is not JSON: {response.content[:200]!r}"
    if not (isinstance(body, dict) and isinstance(body.get("code"), str) and isinstance(body.get("message"), str)):
        return f"{response.status_code} body is not {{code, message}}: {body!r}"
    if "Traceback" in body["message"]:
        return f"{response.status_code} leaks a traceback"
    return None


def examples(operation: Any, mode: GenerationMode, count: int, body: Any, path_parameters: dict | None = None) -> Any:
    """A hypothesis test running ``body(case)`` on ``count`` derandomized cases of ``operation``."""

    @settings(
        max_examples=count,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, path_parameters=path_parameters))
    def run(case: Any) -> None:
        body(case)

    return run


def fuzz(api_url: str, token: str) -> list[str]:
    """Run every operation's examples; returns one line per failure (empty = all good)."""
    auth = {"Authorization": f"token {token}"}
    schema = schemathesis.openapi.from_url(f"{api_url}/openapi.json", headers=auth, timeout=30)
    session = requests.Session()
    failures: list[str] = []
    statuses: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20, [op.label for op in operations]

    def send(case: Any, mode: GenerationMode | str) -> None:
        response = case.call(base_url=api_url, session=session, headers=auth, timeout=120)
        where = f"{getattr(mode, 'value', mode)} {case.method} {response.request.url}"
        statuses[f"{case.method} {case.operation.path} {response.status_code}"] += 1
        try:
            case.validate_response(response, checks=CHECKS)
        except (Exception, FailureGroup) as exc:  # a schemathesis Failure, or a group of them
            for failure in getattr(exc, "exceptions", [exc]):
                first = (str(failure).strip().splitlines() or [type(failure).__name__])[0]
                failures.append(f"{where}: {first[:300]} body={response.content[:200]!r}")
        problem = error_format(response)
        if problem:
            failures.append(f"{where}: {problem}")

    for operation in operations:
        for mode, count in EXAMPLES.items():
            examples(operation, mode, count, lambda case, mode=mode: send(case, mode))()
        # A third pass with real path values, so queries and bodies reach a real catalog, model and EULA.
        names = {p["name"] for p in operation.definition.raw.get("parameters", []) if p.get("in") == "path"}
        names |= set(PARAM.findall(operation.path))
        real = {k: v for k, v in REAL_PATH_VALUES.items() if k in names}
        if real and names <= set(real) and (operation.method.upper(), operation.path) not in NOT_ON_REAL_DATA:
            pass_ = examples(operation, GenerationMode.POSITIVE, REAL_EXAMPLES, lambda case: send(case, "real"), real)
            pass_()
    print("\n".join(f"{n:4d} {key}" for key, n in sorted(statuses.items())))
    # the run exercised every operation, and reached past validation into the domain somewhere
    assert {key.rsplit(" ", 1)[0] for key in statuses} == {f"{op.method.upper()} {op.path}" for op in operations}
    assert any(key.endswith((" 200", " 201", " 202")) for key in statuses if "/status" not in key)
    return failures


async def test_fuzz_every_operation(http_server_client, http_server_port, jp_base_url, jp_serverapp) -> None:
    api_url = f"http://127.0.0.1:{http_server_port[-1]}{jp_base_url}jumpstart-lab/api"
    token = jp_serverapp.identity_provider.token
    failures = await asyncio.to_thread(fuzz, api_url, token)
    assert not failures, "\n".join(sorted(set(failures))[:40])


def fake_response(url: str, status: int, body: bytes, content_type: str = "application/json") -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.headers["Content-Type"] = content_type
    response.url = url
    response.request = requests.Request("GET", url).prepare()
    response.elapsed = datetime.timedelta(milliseconds=1)
    return response


@pytest.mark.parametrize(
    ("status", "body", "content_type"),
    [
        (500, b'{"code": "InternalError", "message": "x"}', "application/json"),  # a 5xx
        (200, b'{"mode": "local"}', "application/json"),  # missing required fields
        (418, b'{"code": "Teapot", "message": "x"}', "application/json"),  # undocumented status
        (200, b"<html></html>", "text/html"),  # not JSON
    ],
)
def test_the_checks_catch_bad_responses(status: int, body: bytes, content_type: str) -> None:
    """The fuzz test's checks can fail: a bad GET status response is reported."""
    schema = schemathesis.openapi.from_dict(json.loads(json.dumps(document())))
    operation = schema["/status"]["GET"]
    case = operation.Case()
    with pytest.raises((Failure, FailureGroup)):
        case.validate_response(
            fake_response("http://127.0.0.1:1/jumpstart-lab/api/status", status, body, content_type), checks=CHECKS
        )


def test_error_format_check() -> None:
    assert error_format(fake_response("http://x/", 400, b'{"code": "A", "message": "b"}')) is None
    assert error_format(fake_response("http://x/", 400, b"<html>")) is not None
    assert error_format(fake_response("http://x/", 404, b'{"error": "x"}')) is not None
