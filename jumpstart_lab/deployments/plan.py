"""The CreateModel / CreateEndpointConfig / CreateEndpoint requests for one deployment (pure).

A function of the model document, its resolved :class:`~.hosting.Hosting` and the options; the
service only sends what this returns. The EULA rule lives here too: ``ModelAccessConfig`` is
attached (``AcceptEula: true``) only when the caller passes a recorded acceptance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Protocol

from ..validation import PUBLIC_HUB
from .hosting import Hosting

TAG_HUB = "jumpstart-lab:hub"
TAG_HUB_ARN = "jumpstart-lab:hub-arn"
TAG_MODEL_ID = "jumpstart-lab:model-id"
TAG_VERSION = "jumpstart-lab:version"
TAG_CREATED_BY = "jumpstart-lab:created-by"
TAG_MODEL_SOURCE = "sagemaker.amazonaws.com/model-source"
VARIANT_NAME = "AllTraffic"
_TAG_VALUE_BAD = re.compile(r"[^\w .:/=+\-@]")
_NAME_BAD = re.compile(r"[^a-zA-Z0-9-]+")


class HubModel(Protocol):
    """The fields of ``jumpstart_lab.browse.models.ModelDocument`` a deployment needs."""

    hub_name: str
    hub_arn: str
    model_id: str
    version: str
    hub_content_arn: str
    document: dict[str, Any]

    @property
    def gated(self) -> bool: ...


@dataclass(frozen=True)
class Options:
    endpoint_name: str
    role_arn: str
    instance_count: int = 1
    accept_eula: bool = False  # True only with a recorded acceptance for this hub + model + version + EULA
    created_by: str = "unknown"


@dataclass(frozen=True)
class Plan:
    """boto3 keyword arguments, in the order they are sent."""

    create_model: dict[str, Any]
    create_endpoint_config: dict[str, Any]
    create_endpoint: dict[str, Any]

    @property
    def model_name(self) -> str:
        return self.create_model["ModelName"]

    @property
    def endpoint_config_name(self) -> str:
        return self.create_endpoint_config["EndpointConfigName"]

    @property
    def endpoint_name(self) -> str:
        return self.create_endpoint["EndpointName"]


def tag_value(value: str) -> str:
    """A tag value AWS accepts (letters, digits, spaces and ``_.:/=+-@``; at most 256 characters)."""
    return _TAG_VALUE_BAD.sub("_", value)[:256]


def default_endpoint_name(base: str, now: datetime | None = None) -> str:
    """``<base>-<yyyy-mm-dd-hh-mm-ss-mmm>`` within 63 characters, as the SDK's ``name_from_base``."""
    now = now or datetime.now(timezone.utc)
    stamp = now.strftime("%Y-%m-%d-%H-%M-%S-%f")[:-3]
    clean = _NAME_BAD.sub("-", base).strip("-") or "jumpstart"
    return f"{clean[: 63 - len(stamp) - 1].rstrip('-')}-{stamp}"


def tags(model: HubModel, created_by: str) -> list[dict[str, str]]:
    """The tags that mark a resource as deployed by jumpstart-lab (and the SDK's model-source tag)."""
    return [
        {"Key": TAG_HUB, "Value": tag_value(model.hub_name)},
        {"Key": TAG_HUB_ARN, "Value": tag_value(model.hub_arn)},
        {"Key": TAG_MODEL_ID, "Value": tag_value(model.model_id)},
        {"Key": TAG_VERSION, "Value": tag_value(model.version)},
        {"Key": TAG_CREATED_BY, "Value": tag_value(created_by)},
        {"Key": TAG_MODEL_SOURCE, "Value": tag_value(model.model_id)},
    ]


def container(model: HubModel, hosting: Hosting, *, accept_eula: bool) -> dict[str, Any]:
    """``PrimaryContainer``: a model package, or image + environment + model data source."""
    if hosting.model_package_arn:
        result: dict[str, Any] = {"ModelPackageName": hosting.model_package_arn}
        if hosting.environment:
            result["Environment"] = dict(hosting.environment)
        return result
    result = {"Image": hosting.image_uri, "Environment": dict(hosting.environment)}
    if hosting.artifact_uri:
        source: dict[str, Any] = {
            "S3Uri": hosting.artifact_uri,
            "S3DataType": hosting.s3_data_type,
            "CompressionType": hosting.compression_type,
        }
        if model.gated and accept_eula:
            source["ModelAccessConfig"] = {"AcceptEula": True}
        if model.hub_name != PUBLIC_HUB:
            source["HubAccessConfig"] = {"HubContentArn": model.hub_content_arn}
        result["ModelDataSource"] = {"S3DataSource": source}
    return result


def production_variant(hosting: Hosting, model_name: str, instance_count: int) -> dict[str, Any]:
    variant: dict[str, Any] = {
        "VariantName": VARIANT_NAME,
        "ModelName": model_name,
        "InitialInstanceCount": instance_count,
        "InstanceType": hosting.instance_type,
        "InitialVariantWeight": 1,
    }
    optional = {
        "VolumeSizeInGB": hosting.volume_size_gb,
        "ModelDataDownloadTimeoutInSeconds": hosting.model_data_download_timeout,
        "ContainerStartupHealthCheckTimeoutInSeconds": hosting.container_startup_health_check_timeout,
        "InferenceAmiVersion": hosting.inference_ami_version,
    }
    variant.update({k: v for k, v in optional.items() if v is not None})
    return variant


def build(model: HubModel, hosting: Hosting, options: Options) -> Plan:
    """The three requests; model, endpoint config and endpoint share the endpoint's name."""
    name = options.endpoint_name
    marks = tags(model, options.created_by)
    create_model = {
        "ModelName": name,
        "ExecutionRoleArn": options.role_arn,
        "PrimaryContainer": container(model, hosting, accept_eula=options.accept_eula),
        "EnableNetworkIsolation": hosting.network_isolation,
        "Tags": marks,
    }
    create_endpoint_config = {
        "EndpointConfigName": name,
        "ProductionVariants": [production_variant(hosting, name, options.instance_count)],
        "Tags": marks,
    }
    create_endpoint = {"EndpointName": name, "EndpointConfigName": name, "Tags": marks}
    return Plan(create_model, create_endpoint_config, create_endpoint)
