"""Hostile input across the REST API (issue 7, validation).

Every user-controlled string (hub and model names, versions, endpoint names, instance
types, cursors, filter values, notebook fields) is refused with a 400/404 JSON error before
it reaches boto3 (the local service's call log stays empty), a file name or a notebook.
Text that hub admins control (display names, descriptions) reaches generated notebooks
only as literals.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from service_support import aws_calls, aws_client, clear_aws_calls, own_service

from jumpstart_lab import validation
from jumpstart_lab.errors import InvalidInput

INJECTION = '"); import os; os.system("touch /tmp/pwned")#'
HOSTILE = [
    "../../../etc/passwd",
    "..",
    "a/../b",
    "..%2f..%2fetc",
    "x\x00y",
    "Çompany",
    "\uff23ompany",  # fullwidth C
    "\u0661.\u0662.\u0663",  # Arabic-Indic digits (Python's \d would match them)
    "A" * 10_000,
    INJECTION,
    "'; DROP TABLE acceptances;--",
    "${jndi:ldap://x}",
    "{{ 7*7 }}",
    "<script>alert(1)</script>",
    " CompanyHub",
    "CompanyHub\n",
    "-leading-dash",
    "$(id)",
    "C:\\Windows\\system32",
]
GOOD_HUB, GOOD_MODEL = "CompanyHub", "meta-textgeneration-llama-2-7b-f"
OPEN_HUB, OPEN_MODEL = "ResearchHub", "acme-custom-llm"


# --- the validators themselves ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("fn", "good"),
    [
        (validation.hub_name, "CompanyHub"),
        (validation.model_id, "meta-textgeneration-llama-2-7b-f"),
        (validation.version, "4.19.0"),
        (validation.endpoint_name, "my-endpoint-1"),
        (validation.instance_type, "ml.g5.12xlarge"),
        (validation.account_id, "123456789012"),
        (validation.hub_name_or_arn, "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"),
    ],
)
def test_validators_accept_aws_values_and_refuse_hostile_ones(fn, good: str) -> None:
    assert fn(good) == good
    for bad in [*HOSTILE, "", None, 42, ["CompanyHub"]]:
        with pytest.raises(InvalidInput) as info:
            fn(bad)
        assert info.value.code == "ValidationError"
        assert len(info.value.message) < 200, "the message must not echo a huge input"
        assert "\x00" not in info.value.message


@pytest.mark.parametrize(
    "uri",
    ["s3:/bucket/key", "s3://B/key", "s3://bucket", "http://bucket/key", "s3://bucket/k\x00ey", "s3://bucket/k\ney"],
)
def test_s3_uris(uri: str) -> None:
    assert validation.s3_uri("s3://jumpstart-cache-prod-us-west-2/a/b.txt") == (
        "jumpstart-cache-prod-us-west-2",
        "a/b.txt",
    )
    with pytest.raises(InvalidInput):
        validation.s3_uri(uri)


def test_public_hub_arn_and_names() -> None:
    assert validation.hub_arn("CompanyHub", region="us-west-2", account="123456789012").endswith(
        ":123456789012:hub/CompanyHub"
    )
    assert ":aws:hub/SageMakerPublicHub" in validation.hub_arn("SageMakerPublicHub", region="us-west-2", account="1")
    arn = "arn:aws:sagemaker:us-west-2:111122223333:hub/PartnerHub"
    assert validation.hub_name_from(validation.hub_name_or_arn(arn)) == "PartnerHub"
    with pytest.raises(InvalidInput):
        validation.hub_name_or_arn("arn:aws:sagemaker:us-west-2:111122223333:hub/../PartnerHub")


# --- the REST API -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def quiet_service() -> Iterator[str]:
    """A local service of our own, so its call log only shows this module's calls."""
    yield from own_service()


@pytest.fixture
def aws_endpoint(quiet_service):
    return quiet_service


class AwsLog:
    """The local service's call log: ``await settle(api)`` then ``calls()`` lists what followed."""

    def __init__(self, url: str) -> None:
        self.url = url

    async def settle(self, api) -> None:
        assert (await api("GET", "status")).code == 200  # identity fetched: no background call left
        clear_aws_calls(self.url)

    def calls(self) -> list[str]:
        log = aws_calls(self.url)
        return [f"{c['service']}:{c['action']}" for c in log]


@pytest.fixture
def aws_log(quiet_service) -> AwsLog:
    return AwsLog(quiet_service)


def seg(value: str) -> str:
    return quote(value, safe="")


def assert_refused(r, value: str) -> None:
    assert r.code in (400, 404), (repr(value)[:80], r.code, r.body[:300])
    body = r.json()
    assert set(body) >= {"code", "message"}, body
    assert len(r.body) < 2000, "an error must not echo a huge input"
    assert "Traceback" not in body["message"]


# (method, path template, where the value goes) -- {v} is the hostile value
CASES = [
    ("GET", "hubs/{v}/models", "path"),
    ("GET", f"hubs/{GOOD_HUB}/models/{{v}}", "path"),
    ("GET", "hubs/{v}/models/" + GOOD_MODEL, "path"),
    ("GET", f"hubs/{GOOD_HUB}/models/{GOOD_MODEL}", "query:version"),
    ("GET", f"hubs/{GOOD_HUB}/models/{{v}}/eula", "path"),
    ("GET", f"hubs/{GOOD_HUB}/models/{GOOD_MODEL}/eula", "query:version"),
    ("POST", f"hubs/{GOOD_HUB}/models/{GOOD_MODEL}/eula", "body:version"),
    ("POST", f"hubs/{GOOD_HUB}/models/{GOOD_MODEL}/eula", "body:action"),
    ("POST", f"hubs/{GOOD_HUB}/models/{GOOD_MODEL}/eula", "body:sha256"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:instance_type"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:cursor"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:task"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:provider"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:sort"),
    ("GET", f"hubs/{GOOD_HUB}/models", "query:limit"),
    ("POST", "notebooks", "body:hub"),
    ("POST", "notebooks", "body:model_id"),
    ("POST", "notebooks", "body:version"),
    ("POST", "notebooks", "body:endpoint_name"),
    ("POST", "notebooks", "body:action"),
    ("POST", "notebooks", "body:sdk"),
    ("POST", "notebooks", "body:directory"),
    ("POST", "deployments", "body:hub"),
    ("POST", "deployments", "body:model_id"),
    ("POST", "deployments", "body:version"),
    ("POST", "deployments", "body:endpoint_name"),
    ("POST", "deployments", "body:instance_type"),
    ("GET", "deployments/{v}", "path"),
    ("DELETE", "deployments/{v}", "path"),
    ("POST", "deployments/{v}/invoke", "path"),
    ("POST", "hubs", "body:name"),
    ("DELETE", "hubs/{v}", "path"),
    ("GET", "hubs/{v}/references", "path"),
    ("POST", f"hubs/{GOOD_HUB}/references", "body:models"),
    ("POST", f"hubs/{GOOD_HUB}/references", "body:min_version"),
    ("DELETE", f"hubs/{GOOD_HUB}/references/{{v}}", "path"),
    ("POST", f"hubs/{GOOD_HUB}/shares", "body:account_ids"),
]
# Applied to the cached catalog in memory, never sent to AWS: the (valid) hub's catalog may be
# loaded first, and filter text that fits the facet pattern (e.g. "a/../b") just matches nothing.
IN_MEMORY = {"query:cursor", "query:task", "query:provider"}
BASE_BODIES = {
    "notebooks": {"hub": OPEN_HUB, "model_id": OPEN_MODEL, "action": "deploy"},
    "deployments": {"hub": OPEN_HUB, "model_id": OPEN_MODEL},
    "eula": {"action": "deploy"},
    "hubs": {"name": "FuzzHub", "display_name": "x", "description": "x"},
    "references": {"models": [OPEN_MODEL]},
    "shares": {"account_ids": ["111122223333"], "permission": "Read"},
}


def request_for(method: str, template: str, where: str, value: str) -> tuple[str, dict | None, dict | None]:
    if where == "path":
        return template.replace("{v}", seg(value)), None, None
    kind, field = where.split(":")
    if kind == "query":
        return template, {field: value}, None
    base = BASE_BODIES[template.rsplit("/", 1)[-1]]
    listed = field in ("models", "account_ids")
    return template, None, {**base, field: [value] if listed else value}


@pytest.mark.parametrize(("method", "template", "where"), CASES, ids=[f"{m} {t} {w}" for m, t, w in CASES])
async def test_hostile_values_are_refused_before_aws(api, aws_log, jp_root_dir, method, template, where) -> None:
    await aws_log.settle(api)
    before = set(jp_root_dir.rglob("*"))
    for value in HOSTILE:
        path, params, body = request_for(method, template, where, value)
        r = await api(method, path, params=params, body=body)
        if where in IN_MEMORY and r.code == 200:
            assert r.json()["total"] == 0, (where, value)  # a harmless filter that matches nothing
            continue
        assert_refused(r, value)
    if where not in IN_MEMORY:
        assert aws_log.calls() == [], f"{method} {template} {where}: hostile values reached AWS"
    assert set(jp_root_dir.rglob("*")) == before, "nothing may be written for a refused request"


async def test_valid_requests_do_reach_aws(api, aws_log) -> None:
    """The log the tests above rely on does record the server's calls."""
    await aws_log.settle(api)
    r = await api("GET", f"hubs/{OPEN_HUB}/models/{OPEN_MODEL}")
    assert r.code == 200
    assert any(c.startswith("sagemaker:") for c in aws_log.calls())


async def test_wrong_json_types_are_400(api) -> None:
    for body in ([], "x", 1, {"hub": ["CompanyHub"], "model_id": OPEN_MODEL, "action": "deploy"}, {"extra": 1}):
        r = await api("POST", "notebooks", body=json.dumps(body))
        assert r.code == 400, body
        assert set(r.json()) >= {"code", "message"}
    r = await api("POST", "notebooks", body=b"\xff\xfe not json")
    assert r.code == 400 and r.json()["code"] == "InvalidJson"


# --- admin-controlled text reaches notebooks only as literals ------------------------------------


async def test_hostile_hub_content_text_stays_literal(api, quiet_service, jp_root_dir: Path) -> None:
    """A hub admin's display name/description with code in it never becomes code in a notebook."""
    sm = aws_client(quiet_service, max_attempts=4)
    source = sm.describe_hub_content(HubName=OPEN_HUB, HubContentType="Model", HubContentName=OPEN_MODEL)
    sm.import_hub_content(
        HubName=OPEN_HUB,
        HubContentName="hostile-text-model",
        HubContentType="Model",
        DocumentSchemaVersion=source["DocumentSchemaVersion"],
        HubContentDocument=source["HubContentDocument"],
        HubContentDisplayName=INJECTION[:60],
        HubContentDescription=f"{INJECTION}\n```\n{INJECTION}\n'''\"\"\"\\",
        HubContentMarkdown=f"<script>{INJECTION}</script>",
    )
    r = await api("POST", "notebooks", body={"hub": OPEN_HUB, "model_id": "hostile-text-model", "action": "deploy"})
    assert r.code == 201, r.body
    nb = json.loads((jp_root_dir / r.json()["path"]).read_text())
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source_code = "".join(cell["source"])
        lines = [ln for ln in source_code.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        tree = ast.parse("\n".join(lines))  # still valid Python
        calls = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert "os.system" not in calls, source_code
        literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
        if "pwned" in source_code:  # the admin's text may be in code only inside a string literal
            assert any("pwned" in text for text in literals), source_code
    assert "touch /tmp/pwned" in json.dumps(nb), "the admin's text is shown (as text)"
