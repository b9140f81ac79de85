"""The hosting settings of a HubContentDocument for one instance type, resolved as the SageMaker SDK does.

Pure functions of the document (no AWS calls). Rules (sagemaker-core ``jumpstart/types.py``,
``artifacts/*.py``, ``hub/parsers.py``):

* ``InferenceConfigs``: the top-ranked config (ranking ``overall``, else config names sorted) whose
  resolved ``SupportedInferenceInstanceTypes`` holds the instance type; its ``InferenceConfigComponents``
  are deep-merged over the top-level fields (fields such as ``Url`` or ``GatedBucket`` are never overridden).
* Per-instance properties in ``HostingInstanceTypeVariants.Variants``: the exact instance type wins over
  its family (``ml.g5.12xlarge`` -> ``g5``); ``$name`` values are resolved through ``Aliases``.
* Environment (SDK v3 ``ModelBuilder``): the ``InferenceEnvironmentVariables`` defaults marked
  ``RequiredForModelClass`` (as strings), then the family's and the instance type's ``EnvironmentVariables``,
  then the script-mode variables (``SAGEMAKER_PROGRAM``, ``SAGEMAKER_SUBMIT_DIRECTORY`` -- empty for prepacked
  artifacts --, ``SAGEMAKER_CONTAINER_LOG_LEVEL`` 20, ``SAGEMAKER_REGION``). Model packages carry only the
  variant's variables.
* ``VolumeSizeInGB`` only for instance families that take an EBS volume.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import InvalidInput, UpstreamError

RANKING = "overall"
CONTAINER_LOG_LEVEL = "20"  # logging.INFO, the SDK's default container_log_level
NOT_OVERRIDDEN = frozenset(
    {
        "ModelId",
        "Url",
        "Version",
        "MinSdkVersion",
        "Deprecated",
        "DeprecatedMessage",
        "DeprecateWarnMessage",
        "ResourceNameBase",
        "GatedBucket",
        "TrainingSupported",
        "IncrementalTrainingSupported",
    }
)
NO_EBS_FAMILIES = ("g5", "g6", "g7e", "p5", "p6-b200", "trn1", "trn2")
_FAMILY = re.compile(r"^ml[._]([a-z\d\-]+)\.?\w*$")


@dataclass(frozen=True)
class Hosting:
    """Everything CreateModel / CreateEndpointConfig need from the document for one instance type."""

    instance_type: str
    supported_instance_types: list[str]
    config_name: str | None = None
    image_uri: str | None = None
    environment: dict[str, str] = field(default_factory=dict)
    model_package_arn: str | None = None
    artifact_uri: str | None = None
    s3_data_type: str = "S3Prefix"
    compression_type: str = "None"
    network_isolation: bool = False
    volume_size_gb: int | None = None
    model_data_download_timeout: int | None = None
    container_startup_health_check_timeout: int | None = None
    inference_ami_version: str | None = None


def instance_family(instance_type: str) -> str:
    """``ml.g5.12xlarge`` -> ``g5`` (the SDK's ``get_instance_type_family``)."""
    match = _FAMILY.match(instance_type)
    return match[1] if match else ""


def volume_size_supported(instance_type: str) -> bool:
    """Whether SageMaker accepts ``VolumeSizeInGB`` for this instance type (no local NVMe storage)."""
    family = instance_family(instance_type)
    return bool(family) and "d" not in family and not family.startswith(NO_EBS_FAMILIES)


def _deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        elif value is not None:
            merged[key] = copy.deepcopy(value)
    return merged


def resolved_configs(document: dict[str, Any]) -> list[tuple[str | None, dict[str, Any]]]:
    """``(config name, resolved document)`` in rank order; ``[(None, document)]`` without configs."""
    configs = document.get("InferenceConfigs") or {}
    if not isinstance(configs, dict) or not configs:
        return [(None, document)]
    components = document.get("InferenceConfigComponents") or {}
    ranking = ((document.get("InferenceConfigRankings") or {}).get(RANKING) or {}).get("Rankings")
    names = [n for n in (ranking or sorted(configs)) if n in configs]
    result: list[tuple[str | None, dict[str, Any]]] = []
    for name in names:
        resolved = document
        for component_name in (configs[name] or {}).get("ComponentNames") or []:
            component = components.get(component_name) or {}
            resolved = _deep_merge(resolved, {k: v for k, v in component.items() if k not in NOT_OVERRIDDEN})
        if _package_arn(resolved, None) is not None:
            resolved = {**resolved, "InferenceEnvironmentVariables": []}
        result.append((name, resolved))
    return result or [(None, document)]


def supported_instance_types(document: dict[str, Any]) -> list[str]:
    """Every instance type any inference config supports, in document order."""
    seen: dict[str, None] = {}
    for _, resolved in resolved_configs(document):
        for instance_type in resolved.get("SupportedInferenceInstanceTypes") or []:
            seen.setdefault(instance_type, None)
    return list(seen)


def default_instance_type(document: dict[str, Any]) -> str | None:
    _, top = resolved_configs(document)[0]
    value = top.get("DefaultInferenceInstanceType")
    return value if isinstance(value, str) and value else None


def _variants(resolved: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    variants = resolved.get("HostingInstanceTypeVariants") or {}
    return (variants.get("Variants") or {}), (variants.get("Aliases") or {})


def _properties(variants: dict[str, Any], key: str) -> dict[str, Any]:
    """A variant's properties; the v2 document dialect spells them ``properties`` / ``image_uri``."""
    variant = variants.get(key) or {}
    props = variant.get("Properties") or variant.get("properties") or {}
    return {_camel(k): v for k, v in props.items()} if isinstance(props, dict) else {}


def _camel(key: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in key.split("_")) if "_" in key or key.islower() else key


def _variant_property(resolved: dict[str, Any], instance_type: str | None, name: str) -> Any:
    variants, aliases = _variants(resolved)
    for key in (instance_type, instance_family(instance_type) if instance_type else None):
        if not key:
            continue
        value = _properties(variants, key).get(name)
        if isinstance(value, str) and value.startswith("$"):
            value = aliases.get(value[1:])
        if value:
            return value
    return None


def _package_arn(resolved: dict[str, Any], instance_type: str | None) -> str | None:
    value = _variant_property(resolved, instance_type, "ModelPackageArn") or resolved.get("HostingModelPackageArn")
    return value if isinstance(value, str) and value else None


def _environment(resolved: dict[str, Any], instance_type: str, region: str, *, package: bool) -> dict[str, str]:
    env: dict[str, str] = {}
    for var in resolved.get("InferenceEnvironmentVariables") or []:
        if isinstance(var, dict) and var.get("Name") and var.get("RequiredForModelClass"):
            env[var["Name"]] = str(var.get("Default"))
    variants, _ = _variants(resolved)
    for key in (instance_family(instance_type), instance_type):
        extra = _properties(variants, key).get("EnvironmentVariables") or {}
        env.update({str(k): str(v) for k, v in extra.items()})
    if not package:
        env.update(
            {
                "SAGEMAKER_PROGRAM": env.get("SAGEMAKER_PROGRAM", ""),
                "SAGEMAKER_SUBMIT_DIRECTORY": env.get("SAGEMAKER_SUBMIT_DIRECTORY", ""),
                "SAGEMAKER_CONTAINER_LOG_LEVEL": CONTAINER_LOG_LEVEL,
                "SAGEMAKER_REGION": region,
            }
        )
    return env


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def resolve(
    document: dict[str, Any], instance_type: str | None, *, region: str, model_id: str = "this model"
) -> Hosting:
    """The hosting settings for ``instance_type`` (default: the document's), or InvalidInput if unsupported."""
    configs = resolved_configs(document)
    supported = supported_instance_types(document)
    chosen = instance_type or default_instance_type(document)
    if not chosen:
        raise UpstreamError(
            f"The hub document of {model_id} names no default inference instance type; pass instance_type.",
            code="ModelNotDeployable",
        )
    match = next(
        ((name, doc) for name, doc in configs if chosen in (doc.get("SupportedInferenceInstanceTypes") or [])),
        None,
    )
    if match is None and not supported and instance_type is None:
        match = configs[0]  # the document lists nothing: trust its own default
    if match is None:
        listed = ", ".join(supported) or "none"
        raise InvalidInput(
            f"Instance type {chosen!r} is not supported for {model_id}. Supported: {listed}.",
            code="UnsupportedInstanceType",
            field="instance_type",
            supported=supported,
        )
    config_name, resolved = match
    package_arn = _package_arn(resolved, chosen)
    image = _variant_property(resolved, chosen, "ImageUri") or resolved.get("HostingEcrUri") or None
    if package_arn is None and not image:
        raise UpstreamError(
            f"The hub document of {model_id} has no container image for {chosen}; it cannot be deployed.",
            code="ModelNotDeployable",
        )
    artifact = resolved.get("HostingArtifactUri") or None
    data_type = resolved.get("HostingArtifactS3DataType") or (
        "S3Prefix" if not artifact or str(artifact).endswith("/") else "S3Object"
    )
    compression = resolved.get("HostingArtifactCompressionType") or ("Gzip" if data_type == "S3Object" else "None")
    isolation = resolved.get("InferenceEnableNetworkIsolation")
    return Hosting(
        instance_type=chosen,
        supported_instance_types=supported,
        config_name=config_name,
        image_uri=None if package_arn else image,
        environment=_environment(resolved, chosen, region, package=package_arn is not None),
        model_package_arn=package_arn,
        artifact_uri=None if package_arn else artifact,
        s3_data_type=data_type,
        compression_type=compression,
        network_isolation=bool(isolation) if isolation is not None else package_arn is not None,
        volume_size_gb=_int_or_none(resolved.get("InferenceVolumeSize")) if volume_size_supported(chosen) else None,
        model_data_download_timeout=_int_or_none(resolved.get("ModelDataDownloadTimeout")),
        container_startup_health_check_timeout=_int_or_none(resolved.get("ContainerStartupHealthCheckTimeout")),
        inference_ami_version=resolved.get("InferenceAmiVersion") or None,
    )
