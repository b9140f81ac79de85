"""Each JUMPSTART_LAB_LOCAL_* knob has an observable effect; admin paths (/_emu/reset, log, faults) work.

Every test here runs against its own service instance started with LocalServiceProcess(env=...)."""

from __future__ import annotations

import json
import time
import urllib.request

import pytest
from botocore.exceptions import ClientError
from service_support import aws_client

from jumpstart_lab.local.demo_entries import synthetic_entries
from jumpstart_lab.local.process import LocalServiceProcess

REGION = "us-west-2"
PUBLIC = "SageMakerPublicHub"
LLAMA = "meta-textgeneration-llama-2-13b-f"
BUCKET = "jumpstart-cache-prod-us-west-2"


def client(url: str, service: str, retries: int = 0):
    return aws_client(url, service, max_attempts=retries)


def admin(url: str, path: str, method: str = "GET", body=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"{url}/_emu/{path}", data=data, method=method)
    try:
        with urllib.request.urlopen(req) as resp:
            return resp.status, json.loads(resp.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def restricted():
    """Deny knob + latency + slow endpoints, in one service."""
    proc = LocalServiceProcess(
        env={
            "JUMPSTART_LAB_LOCAL_DENY_PUBLIC_HUB": "1",
            "JUMPSTART_LAB_LOCAL_LATENCY_MS": "250",
            "JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS": "3",
        }
    )
    yield proc.start()
    proc.stop()


def test_deny_public_hub(restricted):
    sm = client(restricted, "sagemaker")
    for call in (
        lambda: sm.describe_hub(HubName=PUBLIC),
        lambda: sm.list_hub_contents(HubName=f"arn:aws:sagemaker:{REGION}:aws:hub/{PUBLIC}", HubContentType="Model"),
        lambda: sm.list_hub_content_versions(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA),
        lambda: sm.describe_hub_content(HubName=PUBLIC, HubContentType="Model", HubContentName=LLAMA),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
        assert "SageMakerPublicHub" in exc.value.response["Error"]["Message"]
    # the private hub (references) still works, and EULA texts and notebooks stay readable
    d = sm.describe_hub_content(HubName="CompanyHub", HubContentType="ModelReference", HubContentName=LLAMA)
    doc = json.loads(d["HubContentDocument"])
    s3 = client(restricted, "s3")
    key = doc["HostingEulaUri"].split("/", 3)[3]
    assert b"DEMO EULA TEXT" in s3.get_object(Bucket=BUCKET, Key=key)["Body"].read()
    notebook = doc["NotebookLocations"]["DemoNotebooks"][0]["S3Uri"].split("/", 3)[3]
    assert json.loads(s3.get_object(Bucket=BUCKET, Key=notebook)["Body"].read())["nbformat"] == 4
    # what every SDK user reads before any hub call stays readable (SDK v3 starts with the manifest) ...
    assert json.loads(s3.get_object(Bucket=BUCKET, Key="models_manifest.json")["Body"].read())
    # ... but not listings or model artifacts
    script = doc["HostingScriptUri"].split("/", 3)[3]
    for call in (
        lambda: s3.list_objects_v2(Bucket=BUCKET, Prefix="meta-textgeneration/"),
        lambda: s3.get_object(Bucket=BUCKET, Key=script),
    ):
        with pytest.raises(ClientError) as exc:
            call()
        assert exc.value.response["Error"]["Code"] == "AccessDenied"
    # presigned URLs (credential in the query string) follow the same policy
    eula_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": key})
    with urllib.request.urlopen(eula_url) as resp:
        assert b"DEMO EULA TEXT" in resp.read()
    script_url = s3.generate_presigned_url("get_object", Params={"Bucket": BUCKET, "Key": script})
    with pytest.raises(urllib.error.HTTPError) as denied:
        urllib.request.urlopen(script_url)
    assert denied.value.code == 403


def test_latency_is_added_to_every_aws_call(restricted):
    admin(restricted, "log", "DELETE")
    started = time.monotonic()
    client(restricted, "sts").get_caller_identity()
    client(restricted, "sagemaker").list_hubs()
    assert time.monotonic() - started >= 0.5
    calls = admin(restricted, "log")[1]["calls"]
    assert [c["action"] for c in calls] == ["GetCallerIdentity", "ListHubs"]
    assert all(c["ms"] >= 250 for c in calls)


def test_endpoint_seconds_keeps_endpoints_creating(restricted):
    sm = client(restricted, "sagemaker")
    sm.create_model(
        ModelName="m1",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        PrimaryContainer={"Image": "763104351884.dkr.ecr.us-west-2.amazonaws.com/x:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="c1",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "m1", "InitialInstanceCount": 1, "InstanceType": "ml.g5.2xlarge"}
        ],
    )
    created = time.monotonic()
    sm.create_endpoint(EndpointName="e1", EndpointConfigName="c1")
    assert sm.describe_endpoint(EndpointName="e1")["EndpointStatus"] == "Creating"
    while sm.describe_endpoint(EndpointName="e1")["EndpointStatus"] != "InService":
        assert time.monotonic() - created < 30
        time.sleep(0.2)
    assert time.monotonic() - created >= 2.5  # ENDPOINT_SECONDS=3 (lower bound, not a speed check)


def test_faults_inject_errors_then_clear(restricted):
    status, body = admin(
        restricted,
        "faults",
        "POST",
        [
            {"action": "ListHubs", "code": "ThrottlingException", "status": 429, "count": 1},
            {"action": "DescribeHub", "code": "AccessDeniedException", "status": 403, "count": -1},
        ],
    )
    assert status == 200 and len(body["faults"]) == 2
    sm = client(restricted, "sagemaker")
    with pytest.raises(ClientError) as exc:
        sm.list_hubs()
    assert exc.value.response["Error"]["Code"] == "ThrottlingException"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 429
    assert sm.list_hubs()["HubSummaries"]  # count 1: consumed
    for _ in range(2):
        with pytest.raises(ClientError) as exc:
            sm.describe_hub(HubName="CompanyHub")
        assert exc.value.response["Error"]["Code"] == "AccessDeniedException"
    assert admin(restricted, "faults", "DELETE")[0] == 200
    assert sm.describe_hub(HubName="CompanyHub")["HubName"] == "CompanyHub"
    assert admin(restricted, "faults", "POST", {"code": "X"})[0] == 400
    assert admin(restricted, "faults", "POST", {"action": "ListHubs", "status": 200})[0] == 400


def test_injected_throttling_is_retried_by_botocore(restricted):
    admin(restricted, "faults", "POST", {"action": "ListHubs", "code": "ThrottlingException", "count": 1})
    reply = client(restricted, "sagemaker", retries=2).list_hubs()
    assert reply["ResponseMetadata"]["RetryAttempts"] == 1


def test_reset_reseeds_both_stores(restricted):
    sm, s3 = client(restricted, "sagemaker"), client(restricted, "s3")
    sm.create_hub(HubName="scratch", HubDescription="temporary")
    s3.create_bucket(Bucket="scratch-bucket", CreateBucketConfiguration={"LocationConstraint": REGION})
    status, body = admin(restricted, "reset", "POST")
    assert status == 200 and body["status"] == "reset"
    assert "scratch" not in {h["HubName"] for h in sm.list_hubs()["HubSummaries"]}
    assert "scratch-bucket" not in {b["Name"] for b in s3.list_buckets()["Buckets"]}
    assert b"DEMO EULA TEXT" in s3.get_object(Bucket=BUCKET, Key="fmhMetadata/eula/llamaEula.txt")["Body"].read()
    assert client(restricted, "iam").get_role(RoleName="SageMakerRole")["Role"]["RoleName"] == "SageMakerRole"
    assert admin(restricted, "nope")[0] == 404


def test_throttle_rate():
    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_THROTTLE_RATE": "0.5"})
    url = proc.start()
    try:
        sm = client(url, "sagemaker")
        outcomes = []
        for _ in range(40):
            try:
                sm.list_hubs()
                outcomes.append("ok")
            except ClientError as exc:
                outcomes.append(exc.response["Error"]["Code"])
        assert set(outcomes) == {"ok", "ThrottlingException"}
        assert 8 <= outcomes.count("ThrottlingException") <= 32
        # every service, each with its own throttling error
        for service, call, code in (
            ("s3", lambda c: c.list_buckets(), "SlowDown"),
            ("sts", lambda c: c.get_caller_identity(), "Throttling"),
            ("ram", lambda c: c.list_resources(resourceOwner="OTHER-ACCOUNTS"), "ThrottlingException"),
        ):
            codes = set()
            for _ in range(30):
                try:
                    call(client(url, service))
                    codes.add("ok")
                except ClientError as exc:
                    codes.add(exc.response["Error"]["Code"])
            assert codes == {"ok", code}, (service, codes)
    finally:
        proc.stop()


def test_extra_models_and_settings_endpoint():
    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_EXTRA_MODELS": "1000"})
    url = proc.start()
    try:
        assert admin(url, "settings")[1]["extra_models"] == 1000
        sm = client(url, "sagemaker")
        total, token = 0, None
        while True:
            page = sm.list_hub_contents(
                HubName=PUBLIC, HubContentType="Model", MaxResults=100, **({"NextToken": token} if token else {})
            )
            total += len(page["HubContentSummaries"])
            token = page.get("NextToken")
            if not token:
                break
        assert total == 70 + 1000
        assert (
            sm.list_hub_contents(HubName=PUBLIC, HubContentType="Model", NameContains="synthetic-00999")[
                "HubContentSummaries"
            ][0]["HubContentName"]
            == synthetic_entries(1000)[-1].id
        )
    finally:
        proc.stop()


def test_invalid_knob_fails_start_with_a_clear_message():
    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_THROTTLE_RATE": "2"})
    with pytest.raises(RuntimeError) as exc:
        proc.start()
    assert "JUMPSTART_LAB_LOCAL_THROTTLE_RATE" in str(exc.value)
