"""Pure request building: document + options -> CreateModel / CreateEndpointConfig / CreateEndpoint."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from doc_support import model_doc as shared_model_doc

from jumpstart_lab.browse.models import ModelDocument
from jumpstart_lab.deployments import hosting, payloads, plan
from jumpstart_lab.errors import InvalidInput, UpstreamError

DATA = Path(__file__).resolve().parent.parent / "jumpstart_lab" / "local" / "data"
ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
REGION = "us-west-2"
SCRIPT_MODE = {
    "SAGEMAKER_SUBMIT_DIRECTORY": "",
    "SAGEMAKER_CONTAINER_LOG_LEVEL": "20",
    "SAGEMAKER_REGION": REGION,
}


def resolve(document: dict, instance_type: str | None) -> hosting.Hosting:
    return hosting.resolve(document, instance_type, region=REGION)


TGI = (
    "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:"
    "2.1.1-tgi2.0.0-gpu-py310-cu121-ubuntu22.04"
)


@pytest.fixture(scope="module")
def llm_document() -> dict:
    """The demo catalog's Llama 2 13B chat document (the SDK fixture with InferenceConfigs)."""
    return json.loads((DATA / "hub-document-llm.json").read_text())


def model_doc(document: dict, *, hub: str = "CompanyHub", content_type: str = "ModelReference") -> ModelDocument:
    return shared_model_doc(document, hub=hub, content_type=content_type)


def test_default_instance_type_uses_top_ranked_config(llm_document):
    h = resolve(llm_document, None)
    assert h.instance_type == "ml.g5.12xlarge"
    assert h.config_name == "tgi"
    assert h.image_uri == TGI  # from the tgi component's g5 family variant
    assert h.environment["SM_NUM_GPUS"] == "4"  # instance-type variant over the family / defaults
    assert h.environment["ENDPOINT_SERVER_TIMEOUT"] == "3600"  # int default sent as a string
    assert h.environment["SAGEMAKER_PROGRAM"] == "inference.py"
    for name, value in SCRIPT_MODE.items():  # script-mode variables, as SDK v3 sets them
        assert h.environment[name] == value
    assert h.artifact_uri.endswith("/inference-prepack/v1.1.0/")
    assert (h.s3_data_type, h.compression_type) == ("S3Prefix", "None")
    assert h.network_isolation is True
    assert h.volume_size_gb is None  # g5 has NVMe storage: no EBS volume


def test_instance_type_variant_environment_overrides_family(llm_document):
    h = resolve(llm_document, "ml.g5.48xlarge")
    assert h.environment["SM_NUM_GPUS"] == "8"


def test_unsupported_instance_type_lists_supported(llm_document):
    with pytest.raises(InvalidInput) as err:
        resolve(llm_document, "ml.t2.medium")
    assert err.value.code == "UnsupportedInstanceType"
    assert "ml.g5.12xlarge" in err.value.message
    assert "ml.g5.12xlarge" in err.value.details["supported"]


def test_v2_dialect_variants_resolve_aliases_and_volume():
    doc = {
        "HostingEcrUri": "fallback-image",
        "HostingArtifactUri": "s3://bucket/model.tar.gz",
        "DefaultInferenceInstanceType": "ml.m5.xlarge",
        "SupportedInferenceInstanceTypes": ["ml.m5.xlarge", "ml.c5.2xlarge", "ml.p3.2xlarge"],
        "InferenceVolumeSize": 30,
        "ModelDataDownloadTimeout": 1200,
        "ContainerStartupHealthCheckTimeout": 600,
        "InferenceEnvironmentVariables": [
            {"Name": "SAGEMAKER_PROGRAM", "Default": "inference.py", "RequiredForModelClass": True},
            {"Name": "OPTIONAL_ONLY", "Default": "x", "RequiredForModelClass": False},
        ],
        "HostingInstanceTypeVariants": {
            "Aliases": {"cpu_image": "cpu-image:1"},
            "Variants": {
                "m5": {"properties": {"image_uri": "$cpu_image", "environment_variables": {"OMP": "1"}}},
                "ml.m5.xlarge": {"properties": {"environment_variables": {"OMP": "4"}}},
            },
        },
    }
    m5 = resolve(doc, None)
    assert m5.image_uri == "cpu-image:1"
    assert m5.environment == {"SAGEMAKER_PROGRAM": "inference.py", "OMP": "4", **SCRIPT_MODE}
    assert (m5.s3_data_type, m5.compression_type) == ("S3Object", "Gzip")
    assert m5.volume_size_gb == 30
    assert (m5.model_data_download_timeout, m5.container_startup_health_check_timeout) == (1200, 600)
    assert resolve(doc, "ml.c5.2xlarge").image_uri == "fallback-image"  # no variant: HostingEcrUri
    assert resolve(doc, "ml.p3.2xlarge").volume_size_gb == 30


def test_document_without_image_is_not_deployable():
    with pytest.raises(UpstreamError) as err:
        resolve({"DefaultInferenceInstanceType": "ml.m5.xlarge"}, None)
    assert err.value.code == "ModelNotDeployable"


def test_gated_accepted_private_hub_request(llm_document):
    doc = model_doc(llm_document)
    h = resolve(llm_document, None)
    p = plan.build(doc, h, plan.Options(endpoint_name="ep-1", role_arn=ROLE, accept_eula=True, created_by="alice"))
    container = p.create_model["PrimaryContainer"]
    source = container["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert source["HubAccessConfig"] == {"HubContentArn": doc.hub_content_arn}
    assert container["Image"] == TGI
    assert p.create_model["ExecutionRoleArn"] == ROLE
    assert p.create_model["EnableNetworkIsolation"] is True
    variant = p.create_endpoint_config["ProductionVariants"][0]
    assert variant["InstanceType"] == "ml.g5.12xlarge"
    assert variant["ModelName"] == p.model_name == "ep-1"
    assert p.create_endpoint == {"EndpointName": "ep-1", "EndpointConfigName": "ep-1", "Tags": p.create_model["Tags"]}
    tags = {t["Key"]: t["Value"] for t in p.create_model["Tags"]}
    assert tags == {
        "jumpstart-lab:hub": "CompanyHub",
        "jumpstart-lab:hub-arn": doc.hub_arn,
        "jumpstart-lab:model-id": doc.model_id,
        "jumpstart-lab:version": "4.19.0",
        "jumpstart-lab:created-by": "alice",
        "sagemaker.amazonaws.com/model-source": doc.model_id,
    }


def test_no_accept_eula_without_acceptance(llm_document):
    doc = model_doc(llm_document)
    p = plan.build(doc, resolve(llm_document, None), plan.Options(endpoint_name="ep", role_arn=ROLE))
    source = p.create_model["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]
    assert "ModelAccessConfig" not in source


def test_public_hub_has_no_hub_access_config(llm_document):
    doc = model_doc(llm_document, hub="SageMakerPublicHub", content_type="Model")
    p = plan.build(doc, resolve(llm_document, None), plan.Options(endpoint_name="ep", role_arn=ROLE))
    assert "HubAccessConfig" not in p.create_model["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]


def test_marketplace_model_deploys_from_its_model_package():
    document = {
        "ModelTypes": ["PROPRIETARY"],
        "DefaultInferenceInstanceType": "ml.g5.12xlarge",
        "SupportedInferenceInstanceTypes": ["ml.g5.12xlarge", "ml.p4d.24xlarge"],
        "HostingModelPackageArn": "arn:aws:sagemaker:us-west-2:594846645681:model-package/j2-light-default",
        "HostingInstanceTypeVariants": {
            "Variants": {"p4d": {"Properties": {"ModelPackageArn": "arn:aws:sagemaker:us-west-2:1:model-package/p4d"}}}
        },
    }
    doc = model_doc(document)
    g5 = plan.build(doc, resolve(document, None), plan.Options(endpoint_name="mp", role_arn=ROLE))
    assert g5.create_model["PrimaryContainer"] == {"ModelPackageName": document["HostingModelPackageArn"]}
    assert g5.create_model["EnableNetworkIsolation"] is True  # Marketplace packages run isolated
    p4d = resolve(document, "ml.p4d.24xlarge")
    assert p4d.model_package_arn == "arn:aws:sagemaker:us-west-2:1:model-package/p4d"


def test_default_endpoint_name_is_valid_and_bounded():
    when = datetime(2026, 11, 21, 20, 0, 1, 234000, tzinfo=timezone.utc)
    name = plan.default_endpoint_name("x" * 80, when)
    assert len(name) <= 63 and name.endswith("-2026-11-21-20-00-01-234")
    assert plan.default_endpoint_name("meta_text gen--", when).startswith("meta-text-gen-2026")


def test_tag_values_are_sanitised():
    assert plan.tag_value("user<script>") == "user_script_"


def test_default_payload_keys_are_snake_cased_like_the_sdk():
    document = {
        "DefaultPayloads": {
            "hello": {"ContentType": "application/json", "Body": {"Inputs": "Hi", "Parameters": {"MaxNewTokens": 8}}}
        },
        "SageMakerSdkPredictorSpecifications": {"DefaultAcceptType": "application/json"},
    }
    request = payloads.encode(document, None, None)
    assert json.loads(request.body) == {"inputs": "Hi", "parameters": {"max_new_tokens": 8}}
    assert (request.content_type, request.accept) == ("application/json", "application/json")
    raw = payloads.encode(document, "plain words", "text/plain")
    assert (raw.body, raw.content_type) == (b"plain words", "text/plain")
    as_json = payloads.encode(document, "plain words", None)  # JSON by default: a JSON string
    assert (as_json.body, as_json.content_type) == (b'"plain words"', "application/json")
    text_model = {"SageMakerSdkPredictorSpecifications": {"DefaultContentType": "application/x-text"}}
    assert payloads.encode(text_model, "hi", None).body == b"hi"
    assert payloads.encode(text_model, {"a": 1}, None).body == b'{"a": 1}'


def test_missing_default_payload_asks_for_one():
    with pytest.raises(InvalidInput) as err:
        payloads.encode({}, None, None)
    assert err.value.code == "PayloadRequired"


def test_decode_json_text_and_binary():
    assert payloads.decode(b'[{"generated_text": "hi"}]', "application/json") == [{"generated_text": "hi"}]
    assert payloads.decode(b"body", "content_type") == "body"
    assert payloads.decode(b"\xff\xfe", "application/octet-stream") == "//4="


def test_configs_do_not_leak_between_resolutions(llm_document):
    before = copy.deepcopy(llm_document)
    resolve(llm_document, "ml.p4d.24xlarge")
    assert llm_document == before
