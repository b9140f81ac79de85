"""Parity: our deployment sends SageMaker what SDK v3's JumpStart path sends for the same hub model.

The SDK runs in a subprocess (``ModelBuilder.from_jumpstart_config(...).build()`` then
``deploy(wait=False)``) against the same local service. Both sides record the CreateModel and
CreateEndpointConfig requests their botocore clients send (the server runs in this process);
the requests are compared with names and tags removed. DescribeModel of both is compared too.
SDK v2 (``JumpStartModel(hub_name=...).deploy(accept_eula=True)``, in its own venv) is compared
on what decides what runs where: image, weights and their access, environment, role, instances.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from botocore.client import BaseClient

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("sagemaker") is None, reason="the SageMaker SDK v3 is not installed"
)  # not imported here: sagemaker.serve needs a region at import time

HUB = "CompanyHub"
MODEL_ID = "meta-textgeneration-llama-2-13b-f"
INSTANCE_TYPE = "ml.g5.12xlarge"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
RECORDED = ("CreateModel", "CreateEndpointConfig")

# Both SDK scripts: point at the local service, record the requests botocore sends, write them to ``out``.
RECORDING = textwrap.dedent(
    """
    import json, sys
    from jumpstart_lab.local.sdk import use_local_service

    url, hub_arn, model_id, instance_type, role, endpoint, out = sys.argv[1:8]
    use_local_service(url)

    from botocore.client import BaseClient

    sent = []
    original = BaseClient._make_api_call

    def record(self, operation, params):
        if operation in ("CreateModel", "CreateEndpointConfig"):
            sent.append([operation, params])
        return original(self, operation, params)

    BaseClient._make_api_call = record
    """
)
SAVE = "\nwith open(out, 'w') as f:\n    json.dump(sent, f, default=str)\n"

SDK_SCRIPT = (
    RECORDING
    + textwrap.dedent(
        """
    from sagemaker.core.jumpstart.configs import JumpStartConfig
    from sagemaker.core.training.configs import Compute
    from sagemaker.serve.model_builder import ModelBuilder

    builder = ModelBuilder.from_jumpstart_config(
        JumpStartConfig(model_id=model_id, hub_name=hub_arn, accept_eula=True),
        role_arn=role,
        compute=Compute(instance_type=instance_type, instance_count=1),
    )
    builder.build()
    builder.deploy(endpoint_name=endpoint, wait=False)
    """
    )
    + SAVE
)

SDK_V2_SCRIPT = (
    RECORDING
    + textwrap.dedent(
        """
    from sagemaker.jumpstart.model import JumpStartModel

    model = JumpStartModel(model_id=model_id, hub_name=hub_arn, role=role, instance_type=instance_type)
    model.deploy(accept_eula=True, endpoint_name=endpoint, wait=False)
    """
    )
    + SAVE
)


def run_sdk(python: str, script: str, local_service: str, endpoint: str, tmp_path, env: dict[str, str]) -> dict:
    """Run an SDK script; the CreateModel / CreateEndpointConfig requests it sent, names and tags removed."""
    hub_arn = f"arn:aws:sagemaker:us-west-2:123456789012:hub/{HUB}"
    out = tmp_path / f"{endpoint}.json"
    for key in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_DEFAULT_REGION"):
        env.pop(key, None)
    proc = subprocess.run(
        [python, "-c", script, local_service, hub_arn, MODEL_ID, INSTANCE_TYPE, ROLE, endpoint, out],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    return {op: without_names(op, params) for op, params in json.loads(out.read_text())}


async def deploy_ours(api, monkeypatch, endpoint: str) -> dict:
    """Deploy through our REST API; the requests our server's botocore sent, names and tags removed."""
    sent: list[tuple[str, dict]] = []
    original = BaseClient._make_api_call

    def record(self, operation, params):
        if operation in RECORDED:
            sent.append((operation, params))
        return original(self, operation, params)

    monkeypatch.setattr(BaseClient, "_make_api_call", record)
    r = await api("POST", f"hubs/{HUB}/models/{MODEL_ID}/eula", body={"action": "deploy"})
    assert r.code == 201, r.body
    body = {"hub": HUB, "model_id": MODEL_ID, "endpoint_name": endpoint, "instance_type": INSTANCE_TYPE}
    r = await api("POST", "deployments", body=body)
    assert r.code == 202, r.body
    return {op: without_names(op, params) for op, params in sent}


def without_names(operation: str, params: dict) -> dict:
    """The request minus resource names and tags."""
    params = json.loads(json.dumps(params, default=str))
    params.pop("Tags", None)
    if operation == "CreateModel":
        params.pop("ModelName", None)
    else:
        params.pop("EndpointConfigName", None)
        for variant in params.get("ProductionVariants", []):
            variant.pop("ModelName", None)
    return params


def describe_without_names(sm, endpoint: str) -> tuple[dict, dict]:
    config_name = sm.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    variant = dict(sm.describe_endpoint_config(EndpointConfigName=config_name)["ProductionVariants"][0])
    model = sm.describe_model(ModelName=variant.pop("ModelName"))
    keys = ("PrimaryContainer", "Containers", "ExecutionRoleArn", "EnableNetworkIsolation")
    return {k: model[k] for k in keys if model.get(k) not in (None, [])}, variant


@pytest.mark.slow
async def test_create_model_and_endpoint_config_match_sdk_v3(api, boto, local_service, tmp_path, monkeypatch):
    sm = boto("sagemaker")
    sdk_endpoint = f"parity-sdk-{uuid.uuid4().hex[:8]}"
    ours = f"parity-ours-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [os.getcwd(), os.environ.get("PYTHONPATH")]))}
    sdk = run_sdk(sys.executable, SDK_SCRIPT, local_service, sdk_endpoint, tmp_path, env)
    assert set(sdk) == set(RECORDED)
    mine = await deploy_ours(api, monkeypatch, ours)

    assert mine["CreateModel"] == sdk["CreateModel"]
    assert mine["CreateEndpointConfig"] == sdk["CreateEndpointConfig"]
    source = mine["CreateModel"]["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert source["HubAccessConfig"]["HubContentArn"].endswith(f"/{HUB}/ModelReference/{MODEL_ID}/4.19.0")
    assert describe_without_names(sm, ours) == describe_without_names(sm, sdk_endpoint)

    assert (await api("DELETE", f"deployments/{ours}")).code == 200


V3_ONLY_ENVIRONMENT = ("SAGEMAKER_CONTAINER_LOG_LEVEL", "SAGEMAKER_REGION", "SAGEMAKER_SUBMIT_DIRECTORY")


def deployment_essentials(requests_by_operation: dict) -> dict:
    """What decides what runs where: container image, weights and their access, environment, role, instances."""
    container = requests_by_operation["CreateModel"].get("PrimaryContainer", {})
    variant = requests_by_operation["CreateEndpointConfig"]["ProductionVariants"][0]
    return {
        "Image": container.get("Image"),
        "ModelDataSource": container.get("ModelDataSource"),
        "Environment": container.get("Environment"),
        "ExecutionRoleArn": requests_by_operation["CreateModel"].get("ExecutionRoleArn"),
        "InstanceType": variant.get("InstanceType"),
        "InitialInstanceCount": variant.get("InitialInstanceCount"),
    }


@pytest.mark.slow
async def test_deployment_matches_sdk_v2_where_it_matters(api, local_service, tmp_path, monkeypatch, sdk_v2_python):
    """SDK v2 users get the same model on the same instances: image, weights, EULA and hub access,
    environment, role and instance type of ``JumpStartModel(hub_name=...).deploy(accept_eula=True)``."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(PYTHONPATH=os.getcwd(), AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", HOME=str(tmp_path))
    sdk = run_sdk(str(sdk_v2_python), SDK_V2_SCRIPT, local_service, f"parity-v2-{uuid.uuid4().hex[:8]}", tmp_path, env)
    ours = f"parity-ours-{uuid.uuid4().hex[:8]}"
    mine = await deploy_ours(api, monkeypatch, ours)
    theirs, mine_ = deployment_essentials(sdk), deployment_essentials(mine)
    # We send what SDK v3 sends (test above); v2 leaves out three container settings v3 adds, all defaults.
    extra = {k: mine_["Environment"].pop(k) for k in V3_ONLY_ENVIRONMENT if k in mine_["Environment"]}
    assert extra == dict(zip(V3_ONLY_ENVIRONMENT, ("20", "us-west-2", ""), strict=True))
    assert mine_ == theirs
    assert (await api("DELETE", f"deployments/{ours}")).code == 200
