"""Models, endpoints and InvokeEndpoint on the local service (layer gap-fillers over moto)."""

from __future__ import annotations

import base64
import json
import time

import pytest
from botocore.exceptions import ClientError
from hub_support import unique

REGION = "us-west-2"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
LLAMA_ARTIFACT = (
    "s3://jumpstart-private-cache-prod-us-west-2/meta-textgeneration/meta-textgeneration-llama-2-13b-f/"
    "artifacts/inference-prepack/v1.1.0/"
)
IMAGE = "763104351884.dkr.ecr.us-west-2.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi2.0.0-gpu-py310"


def container(uri: str, accept: bool | None, hub_content_arn: str | None = None) -> dict:
    source: dict = {"S3Uri": uri, "S3DataType": "S3Prefix", "CompressionType": "None"}
    if accept is not None:
        source["ModelAccessConfig"] = {"AcceptEula": accept}
    if hub_content_arn:
        source["HubAccessConfig"] = {"HubContentArn": hub_content_arn}
    return {"Image": IMAGE, "ModelDataSource": {"S3DataSource": source}}


@pytest.mark.parametrize("accept", [None, False])
def test_gated_create_model_without_accept_eula_is_rejected(boto, accept):
    sm = boto("sagemaker")
    name = unique("gated")
    with pytest.raises(ClientError) as exc:
        sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container(LLAMA_ARTIFACT, accept))
    err = exc.value.response["Error"]
    assert err["Code"] == "ValidationException"
    assert err["Message"].startswith(
        "The AcceptEula value must be explicitly defined as True in order to accept the end-user license agreement "
        f'(EULA) that this "{LLAMA_ARTIFACT}" model requires.'
    )
    with pytest.raises(ClientError):
        sm.describe_model(ModelName=name)


def test_gated_create_model_with_accept_eula_is_accepted(boto):
    sm = boto("sagemaker")
    name = unique("gated-ok")
    arn = (
        "arn:aws:sagemaker:us-west-2:123456789012:hub-content/CompanyHub/ModelReference/"
        "meta-textgeneration-llama-2-13b-f/4.19.0"
    )
    sm.create_model(ModelName=name, ExecutionRoleArn=ROLE, PrimaryContainer=container(LLAMA_ARTIFACT, True, arn))
    described = sm.describe_model(ModelName=name)
    source = described["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert source["HubAccessConfig"] == {"HubContentArn": arn}
    assert "VpcConfig" not in described  # fidelity fix 4: no empty structures


def test_open_model_needs_no_eula(boto):
    sm = boto("sagemaker")
    uri = "s3://jumpstart-cache-prod-us-west-2/huggingface-infer/huggingface-text2text-flan-t5-base/artifacts/"
    sm.create_model(ModelName=unique("open"), ExecutionRoleArn=ROLE, PrimaryContainer=container(uri, None))


def deploy(sm, model_uri: str, accept: bool | None, tags: list | None = None, instance: str = "ml.g5.2xlarge") -> str:
    model, endpoint = unique("m"), unique("ep")
    sm.create_model(
        ModelName=model, ExecutionRoleArn=ROLE, PrimaryContainer=container(model_uri, accept), Tags=tags or []
    )
    sm.create_endpoint_config(
        EndpointConfigName=endpoint,
        ProductionVariants=[
            {"VariantName": "AllTraffic", "ModelName": model, "InitialInstanceCount": 1, "InstanceType": instance}
        ],
    )
    sm.create_endpoint(EndpointName=endpoint, EndpointConfigName=endpoint)
    return endpoint


def wait_in_service(sm, endpoint: str) -> list[str]:
    seen: list[str] = []
    for _ in range(300):
        status = sm.describe_endpoint(EndpointName=endpoint)["EndpointStatus"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status == "InService":
            return seen
        time.sleep(0.05)
    raise AssertionError(f"endpoint stuck: {seen}")


def test_endpoint_lifecycle_and_text_generation_invoke(boto):
    sm, rt = boto("sagemaker"), boto("sagemaker-runtime")
    endpoint = deploy(sm, LLAMA_ARTIFACT, True, instance="ml.g5.12xlarge")  # g5: fidelity fix 5
    # Creating -> InService timing is checked with a slower service in test_local_knobs.py
    assert wait_in_service(sm, endpoint)[-1] == "InService"
    reply = rt.invoke_endpoint(
        EndpointName=endpoint,
        ContentType="application/json",
        Body=json.dumps({"inputs": "What is a hub?", "parameters": {"max_new_tokens": 8}}),
    )
    assert reply["ContentType"] == "application/json"
    answer = json.loads(reply["Body"].read())
    assert isinstance(answer, list) and "What is a hub?" in answer[0]["generated_text"]
    assert "meta-textgeneration-llama-2-13b-f" in answer[0]["generated_text"]
    sm.delete_endpoint(EndpointName=endpoint)
    with pytest.raises(ClientError):
        rt.invoke_endpoint(EndpointName=endpoint, ContentType="application/json", Body=b"{}")


def test_invoke_answers_in_the_models_output_shape(boto):
    sm, rt = boto("sagemaker"), boto("sagemaker-runtime")
    uri = "s3://jumpstart-cache-prod-us-west-2/huggingface-infer/huggingface-textembedding-bloom-7b1/artifacts/"
    tags = [{"Key": "sagemaker-sdk:jumpstart-model-id", "Value": "huggingface-textembedding-bloom-7b1"}]
    endpoint = deploy(sm, uri, None, tags)
    wait_in_service(sm, endpoint)
    body = rt.invoke_endpoint(
        EndpointName=endpoint, ContentType="application/json", Body=json.dumps({"text_inputs": ["hello"]})
    )["Body"].read()
    embedding = json.loads(body)["embedding"]
    assert len(embedding) == 1 and all(isinstance(x, float) for x in embedding[0])


def _is_png_base64(value: object) -> bool:
    return isinstance(value, str) and base64.b64decode(value).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("model_id", "payload", "check"),
    [
        (
            "model-txt2img-stabilityai-stable-diffusion-v2-1-base",
            {"prompt": "a hub of models"},
            lambda a: _is_png_base64(a["generated_images"][0]) and a["prompt"] == "a hub of models",
        ),
        (
            "huggingface-asr-whisper-large-v3",
            {"inputs": "<audio bytes as hex>"},
            lambda a: isinstance(a["text"], list) and isinstance(a["text"][0], str) and a["text"][0],
        ),
        (
            "huggingface-tc-distilbert-base-uncased",
            {"inputs": "I love this hub"},
            lambda a: (
                a["labels"] == ["0", "1"]
                and abs(sum(a["probabilities"]) - 1) < 1e-3
                and a["predicted_label"] == ("1" if a["probabilities"][1] >= 0.5 else "0")
            ),
        ),
        (
            "huggingface-text2text-flan-t5-base",
            {"inputs": "Translate: hub"},
            lambda a: "Translate: hub" in a[0]["generated_text"],
        ),
    ],
)
def test_invoke_answers_each_task_family_in_its_shape(boto, model_id, payload, check):
    sm, rt = boto("sagemaker"), boto("sagemaker-runtime")
    uri = f"s3://jumpstart-cache-prod-us-west-2/huggingface-infer/{model_id}/artifacts/"
    endpoint = deploy(sm, uri, None, [{"Key": "sagemaker-sdk:jumpstart-model-id", "Value": model_id}])
    wait_in_service(sm, endpoint)
    body = rt.invoke_endpoint(EndpointName=endpoint, ContentType="application/json", Body=json.dumps(payload))["Body"]
    answer = json.loads(body.read())
    assert check(answer), answer
    sm.delete_endpoint(EndpointName=endpoint)


def test_invoke_unknown_endpoint_is_a_validation_error(boto):
    with pytest.raises(ClientError) as exc:
        boto("sagemaker-runtime").invoke_endpoint(EndpointName="no-such-endpoint", Body=b"{}")
    err = exc.value.response["Error"]
    assert err["Code"] == "ValidationError"
    assert err["Message"] == "Endpoint no-such-endpoint of account 123456789012 not found."


def test_simulate_principal_policy_allows(boto):
    result = boto("iam").simulate_principal_policy(
        PolicySourceArn=ROLE, ActionNames=["sagemaker:CreateModel", "s3:GetObject"]
    )
    decisions = {r["EvalActionName"]: r["EvalDecision"] for r in result["EvaluationResults"]}
    assert decisions == {"sagemaker:CreateModel": "allowed", "s3:GetObject": "allowed"}


def test_training_job_reaches_moto(boto):
    sm = boto("sagemaker")
    name = unique("train")
    sm.create_training_job(
        TrainingJobName=name,
        RoleArn=ROLE,
        AlgorithmSpecification={"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        OutputDataConfig={"S3OutputPath": "s3://bucket/out/"},
        ResourceConfig={"InstanceType": "ml.g5.12xlarge", "InstanceCount": 1, "VolumeSizeInGB": 50},
        StoppingCondition={"MaxRuntimeInSeconds": 3600},
    )
    assert sm.describe_training_job(TrainingJobName=name)["TrainingJobName"] == name
