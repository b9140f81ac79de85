"""Parity: our deployment sends SageMaker what SDK v3's JumpStart path sends for the same hub model.

The SDK runs in a subprocess (``ModelBuilder.from_jumpstart_config(...).build()`` then
``deploy(wait=False)``) against the same local service; both results are read back with
DescribeModel / DescribeEndpointConfig and compared, ignoring names and tags.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest

pytest.importorskip("sagemaker.serve")

HUB = "CompanyHub"
MODEL_ID = "meta-textgeneration-llama-2-13b-f"
INSTANCE_TYPE = "ml.g5.12xlarge"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"

SDK_SCRIPT = textwrap.dedent(
    """
    import json, sys
    from jumpstart_lab.local.sdk import use_local_service

    url, hub_arn, model_id, instance_type, role, endpoint = sys.argv[1:7]
    use_local_service(url)
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
    print(json.dumps({"endpoint": endpoint}))
    """
)


def _model_request(sm, endpoint: str) -> tuple[dict, dict]:
    """(CreateModel as stored, production variant as stored) behind ``endpoint``, names removed."""
    config_name = sm.describe_endpoint(EndpointName=endpoint)["EndpointConfigName"]
    variant = dict(sm.describe_endpoint_config(EndpointConfigName=config_name)["ProductionVariants"][0])
    model = sm.describe_model(ModelName=variant.pop("ModelName"))
    variant.pop("VariantName", None)
    request = {
        k: model.get(k) for k in ("PrimaryContainer", "Containers", "ExecutionRoleArn", "EnableNetworkIsolation")
    }
    request = {k: v for k, v in request.items() if v is not None}
    return request, variant


@pytest.mark.slow
async def test_create_model_and_endpoint_config_match_sdk_v3(api, boto, local_service, tmp_path):
    sm = boto("sagemaker")
    hub_arn = f"arn:aws:sagemaker:us-west-2:123456789012:hub/{HUB}"
    sdk_endpoint = f"parity-sdk-{uuid.uuid4().hex[:8]}"
    ours = f"parity-ours-{uuid.uuid4().hex[:8]}"

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    env.pop("AWS_PROFILE", None)
    proc = subprocess.run(
        [sys.executable, "-c", SDK_SCRIPT, local_service, hub_arn, MODEL_ID, INSTANCE_TYPE, ROLE, sdk_endpoint],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]

    r = await api("POST", f"hubs/{HUB}/models/{MODEL_ID}/eula", body={"action": "deploy"})
    assert r.code == 201, r.body
    r = await api(
        "POST",
        "deployments",
        body={"hub": HUB, "model_id": MODEL_ID, "endpoint_name": ours, "instance_type": INSTANCE_TYPE},
    )
    assert r.code == 202, r.body

    sdk_model, sdk_variant = _model_request(sm, sdk_endpoint)
    our_model, our_variant = _model_request(sm, ours)
    assert our_model == sdk_model
    assert our_variant == sdk_variant
    assert our_model["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]["ModelAccessConfig"] == {"AcceptEula": True}

    assert (await api("DELETE", f"deployments/{ours}")).code == 200
