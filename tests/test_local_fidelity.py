"""The five fidelity fixes (jumpstart_lab/local/fidelity.py), each with a canary that fails when moto
(or the SDK) changes under it, plus a check that the fix works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest
from werkzeug.test import Client

from jumpstart_lab.local import fidelity

MOTO_AUTH = "AWS4-HMAC-SHA256 Credential=AK/20260101/us-west-2/{}/aws4_request, SignedHeaders=host, Signature=0"


@pytest.fixture(scope="module")
def raw_moto():
    """moto's own WSGI app, without the hub layer and without our patches."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

    return Client(DomainDispatcherApplication(create_backend_app))


def test_moto_pin_and_internals_we_rely_on():
    import moto
    from moto.moto_server import werkzeug_app

    assert moto.__version__ == "5.2.5"  # pyproject pins moto[server]==5.2.5; re-check every fix when bumping
    for name in ("DomainDispatcherApplication", "create_backend_app", "MotoRequestHandler"):
        assert hasattr(werkzeug_app, name), name
    from moto.moto_api._internal.models import moto_api_backend

    assert callable(moto_api_backend.reset)


# --- fix 1: the SDK's hard-coded STS endpoint --------------------------------------------------


def test_fix1_before_sign_redirect(local_service):
    import boto3

    session = boto3.Session(region_name="us-west-2", aws_access_key_id="t", aws_secret_access_key="t")
    fidelity.redirect_to_local(session, local_service)
    sts = session.client("sts", endpoint_url="https://sts.us-west-2.amazonaws.com")
    assert sts.get_caller_identity()["Account"] == "123456789012"
    s3 = session.client("s3")  # virtual-hosted https://<bucket>.s3.us-west-2.amazonaws.com/<key>
    body = s3.get_object(Bucket="jumpstart-cache-prod-us-west-2", Key="fmhMetadata/eula/llamaEula.txt")["Body"]
    assert b"DEMO EULA TEXT" in body.read()


SDK_SCRIPT = textwrap.dedent(
    """
    import inspect, json, sys
    from jumpstart_lab.local.sdk import use_local_service
    use_local_service(sys.argv[1])
    import boto3
    from sagemaker.core.helper import session_helper
    from sagemaker.core.jumpstart import accessors
    from sagemaker.core.jumpstart.enums import JumpStartModelType
    # fix 1 canary: the SDK still builds STS with an explicit regional endpoint (AWS_ENDPOINT_URL ignored)
    hard_coded = "sts_regional_endpoint" in inspect.getsource(session_helper.Session.account_id)
    account = session_helper.Session().account_id()
    # fix 2: the SDK reads the public manifest + specs from jumpstart-cache-prod-<region>
    s3 = boto3.client("s3")
    obj = s3.get_object(Bucket="jumpstart-cache-prod-us-west-2", Key="models_manifest.json")
    manifest = json.loads(obj["Body"].read())
    parsed = []
    for item in manifest:
        specs = accessors.JumpStartModelsAccessor.get_model_specs(
            region="us-west-2", model_id=item["model_id"], version=item["version"], s3_client=s3)
        parsed.append([specs.model_id, specs.version, bool(specs.hosting_eula_key)])
    print("RESULT " + json.dumps({"hard_coded": hard_coded, "account": account, "specs": parsed}))
    """
)


@pytest.mark.slow
def test_fix1_and_fix2_with_the_sdk(local_service):
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    env.pop("AWS_ENDPOINT_URL", None)
    proc = subprocess.run(
        [sys.executable, "-c", SDK_SCRIPT, local_service], capture_output=True, text=True, timeout=300, env=env
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    assert proc.returncode == 0 and lines, proc.stdout[-2000:] + proc.stderr[-4000:]
    result = json.loads(lines[-1][7:])
    assert result["hard_coded"] is True  # canary: if False, fix 1 may no longer be needed
    assert result["account"] == "123456789012"
    specs = {(m, v): gated for m, v, gated in result["specs"]}
    assert specs[("meta-textgeneration-llama-2-13b-f", "4.19.0")] is True
    assert specs[("huggingface-text2text-flan-t5-base", "2.3.0")] is False
    assert len(specs) >= 70


# --- fix 3: iam:SimulatePrincipalPolicy ----------------------------------------------------------


def test_fix3_canary_moto_lacks_simulate_principal_policy(raw_moto):
    form = "Action=SimulatePrincipalPolicy&Version=2010-05-08&PolicySourceArn=arn:aws:iam::123456789012:role/R"
    headers = {"Authorization": MOTO_AUTH.format("iam"), "Content-Type": "application/x-www-form-urlencoded"}
    try:
        implemented = (
            raw_moto.post("/", data=form + "&ActionNames.member.1=s3:GetObject", headers=headers).status_code < 500
        )
    except NotImplementedError:  # the served app answers this with HTTP 500
        implemented = False
    assert not implemented  # if moto implements it, drop the gap-filler


def test_fix3_reply_lists_every_action():
    body = b"Action=SimulatePrincipalPolicy&ActionNames.member.2=b%3AY&ActionNames.member.1=a%3AX"
    xml = fidelity.simulate_principal_policy(body, "rid").decode()
    assert xml.index("a:X") < xml.index("b:Y") and xml.count("<EvalDecision>allowed</EvalDecision>") == 2


# --- fix 4: empty structures in Describe* replies -------------------------------------------------


def test_fix4_canary_moto_returns_empty_vpc_config(raw_moto):
    headers = {"Authorization": MOTO_AUTH.format("sagemaker"), "Content-Type": "application/x-amz-json-1.1"}
    create = {
        "ModelName": "canary-model",
        "ExecutionRoleArn": "arn:aws:iam::123456789012:role/R",
        "PrimaryContainer": {"Image": "img:1"},
    }
    r = raw_moto.post("/", data=json.dumps(create), headers={**headers, "X-Amz-Target": "SageMaker.CreateModel"})
    assert r.status_code == 200
    r = raw_moto.post(
        "/",
        data=json.dumps({"ModelName": "canary-model"}),
        headers={**headers, "X-Amz-Target": "SageMaker.DescribeModel"},
    )
    assert json.loads(r.data)["VpcConfig"] == {}  # if moto stops sending {}, fix 4 may go


def test_fix4_prune_empty():
    value = {"A": {}, "B": None, "C": {"D": {}, "E": 1}, "F": [{"G": {}}], "H": []}
    assert fidelity.prune_empty(value) == {"C": {"E": 1}, "F": [{}], "H": []}


# --- fix 5: stale instance types ------------------------------------------------------------------


def test_fix5_canary_and_patch(monkeypatch):
    from moto.sagemaker.exceptions import ValidationError
    from moto.sagemaker.models import FakeEndpointConfig

    original = FakeEndpointConfig.validate_instance_type
    assert not getattr(original, "__jumpstart_lab_patched__", False)
    with pytest.raises(ValidationError):
        original(None, "ml.g5.12xlarge")  # canary: moto 5.2.5's list has no g5
    monkeypatch.setattr(FakeEndpointConfig, "validate_instance_type", original)  # restored after the test
    fidelity.patch_instance_type_validation()
    patched = FakeEndpointConfig.validate_instance_type
    for good in ("ml.g5.12xlarge", "ml.p5.48xlarge", "ml.g6.12xlarge", "ml.m5.large"):
        patched(None, good)
    with pytest.raises(ValidationError):
        patched(None, "ml.bogus.huge")


def test_fix5_through_the_service(boto):
    sm = boto("sagemaker")
    sm.create_model(
        ModelName="fix5-model",
        ExecutionRoleArn="arn:aws:iam::123456789012:role/SageMakerRole",
        PrimaryContainer={"Image": "763104351884.dkr.ecr.us-west-2.amazonaws.com/x:1"},
    )
    sm.create_endpoint_config(
        EndpointConfigName="fix5-config",
        ProductionVariants=[
            {"VariantName": "v", "ModelName": "fix5-model", "InitialInstanceCount": 1, "InstanceType": "ml.p5.48xlarge"}
        ],
    )
    with pytest.raises(sm.exceptions.ClientError) as exc:
        sm.create_endpoint_config(
            EndpointConfigName="fix5-bad",
            ProductionVariants=[
                {"VariantName": "v", "ModelName": "fix5-model", "InitialInstanceCount": 1, "InstanceType": "ml.bogus.x"}
            ],
        )
    assert exc.value.response["Error"]["Code"] == "ValidationException"
