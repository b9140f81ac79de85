"""Deployments REST API against the real server (pytest-jupyter) and the local AWS-compatible service."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from botocore.client import BaseClient
from hub_support import unique
from openapi_support import assert_documented

PRIVATE_HUB = "CompanyHub"
LLAMA = "meta-textgeneration-llama-2-13b-f"
OPEN_MODEL = "huggingface-text2text-flan-t5-base"
MARKETPLACE = "ai21-jurassic-2-light"
PUBLIC_HUB = "SageMakerPublicHub"


async def accept(api, hub: str, model_id: str, version: str | None = None) -> None:
    body = {"action": "deploy", **({"version": version} if version else {})}
    r = await api("POST", f"hubs/{hub}/models/{model_id}/eula", body=body)
    assert r.code == 201, r.body


async def wait_status(api, name: str, want: str = "InService", timeout: float = 20.0) -> dict:
    """Poll GET deployments/{name} until ``want`` (the local service needs about a second)."""
    deadline = time.monotonic() + timeout
    while True:
        r = await api("GET", f"deployments/{name}")
        assert r.code == 200, r.body
        if r.json()["status"] == want or time.monotonic() > deadline:
            return r.json()
        await asyncio.sleep(0.2)


def tags_of(sm, arn: str) -> dict[str, str]:
    return {t["Key"]: t["Value"] for t in sm.list_tags(ResourceArn=arn)["Tags"]}


@pytest.fixture
def sent(monkeypatch):
    """Every AWS request made in this process (the server runs in-process): ``[(operation, params)]``."""
    calls: list[tuple[str, dict]] = []
    original = BaseClient._make_api_call

    def record(self, operation_name, api_params):
        calls.append((operation_name, api_params))
        return original(self, operation_name, api_params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    return calls


def request_of(sent, operation: str, **match) -> dict:
    found = [p for op, p in sent if op == operation and all(p.get(k) == v for k, v in match.items())]
    assert len(found) == 1, f"{operation} {match}: {len(found)} calls"
    return found[0]


async def test_full_cycle_gated_private_hub(api, sm, sent):
    """Accept -> deploy (202, Creating) -> InService -> invoke default payload -> delete, as a user sees it."""
    name = unique("llama")
    await accept(api, PRIVATE_HUB, LLAMA)
    r = await api("POST", "deployments", body={"hub": PRIVATE_HUB, "model_id": LLAMA, "endpoint_name": name})
    assert r.code == 202, r.body
    created = r.json()
    assert created["endpoint_name"] == name
    assert created["status"] == "Creating"
    assert (created["hub"], created["model_id"]) == (PRIVATE_HUB, LLAMA)
    assert created["instance_type"] == "ml.g5.12xlarge"  # the document's default
    assert created["instance_count"] == 1
    assert created["created_at"] and created["failure_reason"] is None

    # What AWS received: the gated artifact with AcceptEula and the hub content it comes from.
    model = sm.describe_model(ModelName=name)
    source = model["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert f":hub-content/{PRIVATE_HUB}/" in source["HubAccessConfig"]["HubContentArn"]
    assert source["HubAccessConfig"]["HubContentArn"].split("/")[-2] == LLAMA
    assert model["ExecutionRoleArn"] == "arn:aws:iam::123456789012:role/SageMakerRole"
    assert request_of(sent, "CreateModel", ModelName=name)["EnableNetworkIsolation"] is True  # moto drops it
    variant = request_of(sent, "CreateEndpointConfig", EndpointConfigName=name)["ProductionVariants"][0]
    assert (variant["InstanceType"], variant["InitialInstanceCount"], variant["ModelName"]) == (
        "ml.g5.12xlarge",
        1,
        name,
    )
    endpoint = sm.describe_endpoint(EndpointName=name)
    tags = tags_of(sm, endpoint["EndpointArn"])
    assert tags["jumpstart-lab:model-id"] == LLAMA and tags["jumpstart-lab:hub"] == PRIVATE_HUB
    assert tags["sagemaker.amazonaws.com/model-source"] == LLAMA
    assert tags["jumpstart-lab:created-by"]

    listed = await api("GET", "deployments")
    assert listed.code == 200
    assert name in [d["endpoint_name"] for d in listed.json()["deployments"]]

    ready = await wait_status(api, name)
    assert ready["status"] == "InService"
    assert ready["version"] == created["version"]

    # No payload: the document's first default payload (a code prompt), sent as JSON.
    r = await api("POST", f"deployments/{name}/invoke")
    assert r.code == 200, r.body
    answer = r.json()
    assert answer["content_type"] == "application/json"
    assert "You asked: def fib(n):" in answer["body"][0]["generated_text"]
    invoked = request_of(sent, "InvokeEndpoint", EndpointName=name)
    assert invoked["ContentType"] == "application/json"
    assert json.loads(invoked["Body"])["parameters"]["max_new_tokens"] == 64

    r = await api("POST", f"deployments/{name}/invoke", body={"payload": {"inputs": "Hello there"}})
    assert r.code == 200, r.body
    assert "You asked: Hello there" in r.json()["body"][0]["generated_text"]

    r = await api("DELETE", f"deployments/{name}")
    assert r.code == 200, r.body
    assert r.json() == {"endpoint_name": name, "endpoint_config_name": name, "model_names": [name]}
    assert (await api("GET", f"deployments/{name}")).code == 404
    assert name not in [m["ModelName"] for m in sm.list_models()["Models"]]
    assert not sm.list_endpoint_configs(NameContains=name)["EndpointConfigs"]
    listed = await api("GET", "deployments")
    assert name not in [d["endpoint_name"] for d in listed.json()["deployments"]]


async def test_gated_model_without_acceptance_is_refused(api, sm):
    name = unique("gated")
    r = await api("POST", "deployments", body={"hub": PRIVATE_HUB, "model_id": LLAMA, "endpoint_name": name})
    assert r.code == 403, r.body
    body = r.json()
    assert body["code"] == "EulaNotAccepted"
    assert body["eula_uri"].startswith("s3://")
    assert name not in [m["ModelName"] for m in sm.list_models()["Models"]]  # nothing was sent to AWS


async def test_open_model_needs_no_eula_and_gets_no_accept_eula(api, sm):
    name = unique("flan")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name})
    assert r.code == 202, r.body
    source = sm.describe_model(ModelName=name)["PrimaryContainer"].get("ModelDataSource", {}).get("S3DataSource", {})
    assert "ModelAccessConfig" not in source
    assert "HubAccessConfig" not in source  # public hub content needs no hub access grant
    assert (await api("DELETE", f"deployments/{name}")).code == 200


async def test_taken_endpoint_name_is_a_conflict(api):
    name = unique("dup")
    body = {"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name}
    assert (await api("POST", "deployments", body=body)).code == 202
    r = await api("POST", "deployments", body=body)
    assert r.code == 409
    assert r.json()["code"] == "EndpointExists"
    assert name in r.json()["message"]
    assert (await api("DELETE", f"deployments/{name}")).code == 200


@pytest.mark.parametrize(
    ("patch", "code"),
    [
        ({"instance_type": "ml.t2.medium"}, "UnsupportedInstanceType"),
        ({"instance_type": "t2.medium"}, "ValidationError"),
        ({"endpoint_name": "bad_name!"}, "ValidationError"),
        ({"endpoint_name": "x" * 64}, "ValidationError"),
        ({"instance_count": 0}, "InvalidInput"),
        ({"model_id": "../etc/passwd"}, "ValidationError"),
        ({"unexpected": True}, "InvalidInput"),
    ],
)
async def test_bad_input_is_400(api, patch, code):
    body = {"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, **patch}
    r = await api("POST", "deployments", body=body)
    assert r.code == 400, r.body
    assert r.json()["code"] == code
    assert r.json()["message"]


async def test_unsupported_instance_type_names_the_supported_ones(api):
    r = await api("POST", "deployments", body={"hub": PRIVATE_HUB, "model_id": LLAMA, "instance_type": "ml.m5.large"})
    assert r.code == 400
    assert "ml.g5.12xlarge" in r.json()["message"]


async def test_body_must_be_json(api):
    r = await api("POST", "deployments", body="not json")
    assert r.code == 400 and r.json()["code"] == "InvalidJson"


async def test_unknown_model_is_404(api):
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": "no-such-model"})
    assert r.code == 404


async def test_unknown_or_foreign_endpoints_are_404(api, sm):
    """An endpoint jumpstart-lab did not create is invisible: no GET, DELETE or invoke."""
    name = unique("foreign")
    sm.create_model(
        ModelName=name,
        ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/mine:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {"VariantName": "v", "ModelName": name, "InitialInstanceCount": 1, "InstanceType": "ml.m5.large"}
        ],
    )
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    for method, path in (("GET", name), ("DELETE", name), ("POST", f"{name}/invoke")):
        r = await api(method, f"deployments/{path}")
        assert r.code == 404, (method, r.body)
        assert r.json()["code"] == "NotFound"
    assert sm.describe_endpoint(EndpointName=name)["EndpointName"] == name  # untouched
    listed = await api("GET", "deployments")
    assert name not in [d["endpoint_name"] for d in listed.json()["deployments"]]
    assert (await api("GET", "deployments/never-deployed")).code == 404
    assert (await api("GET", "deployments/bad_name")).code == 400


@pytest.fixture
def endpoint_state(monkeypatch):
    """Make DescribeEndpoint report ``status`` for one endpoint: the local service turns every endpoint
    InService after a second and never fails one, so states like a long Creating or Failed are simulated."""

    def apply(name: str, status: str, failure_reason: str | None = None) -> None:
        original = BaseClient._make_api_call

        def patched(self, operation_name, api_params):
            result = original(self, operation_name, api_params)
            if operation_name == "DescribeEndpoint" and api_params.get("EndpointName") == name:
                result = {**result, "EndpointStatus": status}
                if failure_reason:
                    result["FailureReason"] = failure_reason
            return result

        monkeypatch.setattr(BaseClient, "_make_api_call", patched)

    return apply


@pytest.mark.parametrize("status", ["Creating", "Failed", "Updating"])
async def test_invoke_when_not_in_service_is_409(api, endpoint_state, status):
    name = unique("early")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name})
    assert r.code == 202
    endpoint_state(name, status)
    r = await api("POST", f"deployments/{name}/invoke")
    assert r.code == 409, r.body
    assert r.json()["code"] == "EndpointNotReady"
    assert status in r.json()["message"] and "InService" in r.json()["message"]
    assert (await api("DELETE", f"deployments/{name}")).code == 200


@pytest.mark.parametrize(
    ("reason", "advice"),
    [
        ("Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error.", "capacity"),
        ("The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 0 Instances", "Service Quotas"),
        ("Access denied for repository: huggingface-pytorch-tgi-inference", "s3:GetObject"),
        (
            "The primary container for production variant AllTraffic did not pass the ping health check.",
            "/aws/sagemaker/Endpoints/",
        ),
        ("Something nobody has seen before.", None),
    ],
)
async def test_failed_endpoint_shows_its_failure_reason_and_what_to_do(api, endpoint_state, reason, advice):
    name = unique("failed")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name})
    assert r.code == 202
    assert (await api("GET", f"deployments/{name}")).json()["advice"] is None  # Creating: nothing to advise
    endpoint_state(name, "Failed", reason)
    shown = (await api("GET", f"deployments/{name}")).json()
    assert (shown["status"], shown["failure_reason"]) == ("Failed", reason)
    if advice is None:
        assert shown["advice"] is None
    else:
        assert advice in shown["advice"] and f"Delete {name}" in shown["advice"]
    listed = {d["endpoint_name"]: d for d in (await api("GET", "deployments")).json()["deployments"]}
    assert listed[name]["failure_reason"] == reason and listed[name]["advice"] == shown["advice"]
    assert (await api("DELETE", f"deployments/{name}")).code == 200


async def test_marketplace_model_deploys_from_model_package(api, sm):
    name = unique("mp")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": MARKETPLACE, "endpoint_name": name})
    assert r.code == 202, r.body
    container = sm.describe_model(ModelName=name)["PrimaryContainer"]
    assert ":model-package/" in container["ModelPackageName"]
    assert "Image" not in container and "ModelDataSource" not in container
    assert (await api("DELETE", f"deployments/{name}")).code == 200


QUOTA = (
    "The account-level service limit 'ml.g5.12xlarge for endpoint usage' is 0 Instances, with current utilization of 0"
)
SCP = (
    "User: arn:aws:sts::123456789012:assumed-role/Dev/alice is not authorized to perform: sagemaker:CreateModel "
    "with an explicit deny in a service control policy"
)
ROLE_GONE = (
    "Could not assume role arn:aws:iam::123456789012:role/SageMakerRole. Please ensure that the role exists and "
    "allows principal 'sagemaker.amazonaws.com' to assume the role."
)


@pytest.mark.parametrize(
    ("rule", "status", "code", "hint"),
    [
        (
            {"action": "CreateEndpoint", "code": "ResourceLimitExceeded", "message": QUOTA},
            400,
            "QuotaExceeded",
            "Service Quotas",
        ),
        (
            {"action": "CreateEndpoint", "code": "InsufficientCapacity", "message": "Insufficient capacity"},
            503,
            "InsufficientCapacity",
            "another supported instance type",
        ),
        (
            {"action": "CreateModel", "code": "AccessDeniedException", "message": SCP},
            403,
            "DeniedByPolicy",
            "administrator",
        ),
        (
            {"action": "CreateModel", "code": "ValidationException", "message": ROLE_GONE},
            400,
            "ExecutionRoleInvalid",
            "trust sagemaker.amazonaws.com",
        ),
        (
            {
                "action": "CreateEndpointConfig",
                "code": "AccessDeniedException",
                "message": "not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/x",
            },
            403,
            "PassRoleDenied",
            "iam:PassRole",
        ),
    ],
)
async def test_aws_failures_say_what_to_do_and_leave_nothing_behind(api, sm, faults, rule, status, code, hint):
    name = unique("fail")
    faults(**rule, service="sagemaker", count=1)
    r = await api(
        "POST",
        "deployments",
        body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name},
    )
    assert r.code == status, r.body
    body = r.json()
    assert body["code"] == code
    assert hint in body["message"]
    # rolled back: no half-made model or endpoint configuration stays behind
    assert name not in [m["ModelName"] for m in sm.list_models()["Models"]]
    assert not sm.list_endpoint_configs(NameContains=name)["EndpointConfigs"]
    assert not sm.list_endpoints(NameContains=name)["Endpoints"]


async def test_responses_match_the_openapi_document(api):
    name = unique("oas")
    deploy = {"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name}
    calls = [
        ("POST", "/deployments", "deployments", deploy),
        ("POST", "/deployments", "deployments", deploy),
        ("POST", "/deployments", "deployments", {**deploy, "endpoint_name": "bad name"}),
        ("POST", "/deployments", "deployments", {"hub": PRIVATE_HUB, "model_id": LLAMA}),
        ("POST", "/deployments", "deployments", {"hub": PUBLIC_HUB, "model_id": "no-such-model"}),
        ("GET", "/deployments", "deployments", None),
        ("GET", "/deployments/{name}", f"deployments/{name}", None),
        ("GET", "/deployments/{name}", "deployments/no-such-endpoint", None),
        ("GET", "/deployments/{name}", "deployments/bad_name", None),
        ("POST", "/deployments/{name}/invoke", "deployments/no-such-endpoint/invoke", None),
        ("POST", "/deployments/{name}/invoke", f"deployments/{name}/invoke", {"payload": 1, "extra": 2}),
    ]
    statuses = []
    for method, template, path, body in calls:
        r = await api(method, path, body=body)
        assert_documented(method, template, r)
        statuses.append(r.code)
    assert statuses == [202, 409, 400, 403, 404, 200, 200, 404, 400, 404, 400]
    await wait_status(api, name)
    for method, template, path, status in [
        ("POST", "/deployments/{name}/invoke", f"deployments/{name}/invoke", 200),
        ("DELETE", "/deployments/{name}", f"deployments/{name}", 200),
        ("DELETE", "/deployments/{name}", f"deployments/{name}", 404),
    ]:
        r = await api(method, path)
        assert r.code == status, r.body
        assert_documented(method, template, r)


async def test_imported_private_model_deploys_from_its_own_hub(api, sm, sent):
    """A Model imported into a private hub (not a reference): its artifact and image come from its own
    document, with HubAccessConfig naming that hub's content."""
    name = unique("acme")
    detail = (await api("GET", "hubs/ResearchHub/models/acme-custom-llm")).json()
    r = await api(
        "POST", "deployments", body={"hub": "ResearchHub", "model_id": "acme-custom-llm", "endpoint_name": name}
    )
    assert r.code == 202, r.body
    assert (r.json()["hub"], r.json()["model_id"], r.json()["version"]) == (
        "ResearchHub",
        "acme-custom-llm",
        detail["version"],
    )
    container = sm.describe_model(ModelName=name)["PrimaryContainer"]
    source = container["ModelDataSource"]["S3DataSource"]
    assert ":hub-content/ResearchHub/Model/acme-custom-llm/" in source["HubAccessConfig"]["HubContentArn"]
    assert "ModelAccessConfig" not in source  # not gated: no EULA accepted on anyone's behalf
    assert request_of(sent, "CreateModel", ModelName=name)["PrimaryContainer"]["Image"] == container["Image"]
    assert (await wait_status(api, name))["status"] == "InService"
    r = await api("POST", f"deployments/{name}/invoke")
    assert r.code == 200, r.body
    assert (await api("DELETE", f"deployments/{name}")).code == 200
