"""SageMaker SDK v3 against the local service: ModelBuilder on a CompanyHub reference reaches InService.

Runs in a fresh interpreter (the SDK computes globals at import time)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from service_support import aws_calls

SCRIPT = textwrap.dedent(
    """
    import json, sys, time
    url = sys.argv[1]
    from jumpstart_lab.local.sdk import use_local_service, EXECUTION_ROLE_ARN
    use_local_service(url)

    import boto3
    from sagemaker.core.jumpstart.configs import JumpStartConfig
    from sagemaker.core.training.configs import Compute
    from sagemaker.serve.model_builder import ModelBuilder

    hub_arn = "arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub"
    mb = ModelBuilder.from_jumpstart_config(
        JumpStartConfig(model_id="meta-textgeneration-llama-2-13b-f", hub_name=hub_arn, accept_eula=True),
        role_arn=EXECUTION_ROLE_ARN,
        compute=Compute(instance_type="ml.g5.12xlarge", instance_count=1),
    )
    model = mb.build()
    mb.deploy(endpoint_name="sdk-v3-llama", wait=False)
    sm = boto3.client("sagemaker")
    statuses = []
    for _ in range(200):
        status = sm.describe_endpoint(EndpointName="sdk-v3-llama")["EndpointStatus"]
        if not statuses or statuses[-1] != status:
            statuses.append(status)
        if status == "InService":
            break
        time.sleep(0.1)
    config = sm.describe_endpoint(EndpointName="sdk-v3-llama")["EndpointConfigName"]
    variant = sm.describe_endpoint_config(EndpointConfigName=config)["ProductionVariants"][0]
    described = sm.describe_model(ModelName=variant["ModelName"])
    answer = boto3.client("sagemaker-runtime").invoke_endpoint(
        EndpointName="sdk-v3-llama", ContentType="application/json", Body=json.dumps({"inputs": "Hi"})
    )
    print("RESULT " + json.dumps({
        "statuses": statuses,
        "container": described["PrimaryContainer"],
        "answer": json.loads(answer["Body"].read()),
    }))
    """
)


@pytest.mark.slow
def test_sdk_v3_model_builder_deploys_company_hub_reference(local_service, boto):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    for var in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        env.pop(var, None)
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT, local_service], capture_output=True, text=True, timeout=300, env=env
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-3000:] + proc.stderr[-5000:]
    result = json.loads(lines[-1][len("RESULT ") :])
    assert result["statuses"][-1] == "InService"  # Creating first when the host is not overloaded (ENDPOINT_SECONDS=1)
    source = result["container"]["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert source["HubAccessConfig"]["HubContentArn"].startswith(
        "arn:aws:sagemaker:us-west-2:123456789012:hub-content/CompanyHub/ModelReference/meta-textgeneration-llama-2-13b-f/"
    )
    assert source["S3Uri"].startswith("s3://jumpstart-private-cache-prod-us-west-2/")
    assert "huggingface-pytorch-tgi-inference" in result["container"]["Image"]
    assert result["answer"][0]["generated_text"]
    calls = [c["action"] for c in aws_calls(local_service)]
    assert "ListHubContentVersions" in calls and "DescribeHubContent" in calls and "CreateEndpoint" in calls
