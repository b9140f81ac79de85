"""Helpers of the deploy-economics tests: a local service with known quotas, its call log, endpoints made
straight through boto3 (not ours, as another team's would be)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator

from hub_support import unique
from service_support import aws_calls, own_service

QUOTAS = "ml.g5.12xlarge=2,ml.p4d.24xlarge=0,ml.g5.2xlarge=3"
LLAMA = "meta-textgeneration-llama-2-13b-f"
PRIVATE_HUB = "CompanyHub"
CREATE_CALLS = {"CreateModel", "CreateEndpointConfig", "CreateEndpoint"}


def start_service(**env: str) -> Iterator[str]:
    yield from own_service(**{"JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS": "1", "JUMPSTART_LAB_LOCAL_QUOTAS": QUOTAS, **env})


def create_calls(url: str) -> list[str]:
    return [c["action"] for c in aws_calls(url, "sagemaker") if c["action"] in CREATE_CALLS]


def foreign_endpoint(sm, instance_type: str, count: int = 1) -> str:
    """An endpoint made without jumpstart-lab (no tags of ours): it still takes the account's quota."""
    name = unique("other")
    sm.create_model(
        ModelName=name,
        ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        PrimaryContainer={"Image": "123456789012.dkr.ecr.us-west-2.amazonaws.com/x:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName=name,
        ProductionVariants=[
            {
                "VariantName": "AllTraffic",
                "ModelName": name,
                "InstanceType": instance_type,
                "InitialInstanceCount": count,
            }
        ],
    )
    sm.create_endpoint(EndpointName=name, EndpointConfigName=name)
    return name


def remove_foreign(sm, name: str) -> None:
    sm.delete_endpoint(EndpointName=name)
    sm.delete_endpoint_config(EndpointConfigName=name)
    sm.delete_model(ModelName=name)


async def options(api, hub: str = PRIVATE_HUB, model_id: str = LLAMA) -> dict[str, dict]:
    r = await api("GET", f"hubs/{hub}/models/{model_id}/deploy-options")
    assert r.code == 200, r.body
    return {row["name"]: row for row in r.json()["instance_types"]}


async def accept(api, hub: str = PRIVATE_HUB, model_id: str = LLAMA) -> None:
    r = await api("POST", f"hubs/{hub}/models/{model_id}/eula", body={"action": "deploy"})
    assert r.code == 201, r.body


async def wait_status(api, name: str, want: str = "InService", timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        r = await api("GET", f"deployments/{name}")
        assert r.code == 200, r.body
        if r.json()["status"] == want or time.monotonic() > deadline:
            return r.json()
        await asyncio.sleep(0.2)
