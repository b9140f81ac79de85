"""The facts a notebook template needs, read from a model document (plain values only)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validation

if TYPE_CHECKING:
    from ..eula.models import Acceptance
    from ..browse.models import ModelDocument

LOCAL_ROLE_ARN = "arn:aws:iam::123456789012:role/SageMakerRole"
FALLBACK_PAYLOAD = {
    "content_type": "application/json",
    "accept": "application/json",
    "body": {"inputs": "What is Amazon SageMaker?", "parameters": {"max_new_tokens": 64}},
    "prompt_key": "inputs",
}


@dataclass(frozen=True)
class NotebookContext:
    """Everything a template may print; values are rendered as Python literals or escaped Markdown."""

    action: str
    sdk: str
    region: str
    hub_name: str
    hub_arn: str
    public_hub: bool
    model_id: str
    version: str
    content_type: str
    hub_content_arn: str
    display_name: str
    description: str
    license: str | None
    task: str | None
    provider: str | None
    gated: bool
    eula_uri: str | None
    accepted_by: str | None
    accepted_at: str | None
    accepted_sha256: str | None
    instance_type: str | None
    instance_types: list[str]
    training_instance_type: str | None
    training_instance_types: list[str]
    payload: dict[str, Any]
    payload_is_default: bool
    hyperparameters: list[dict[str, Any]]
    train_data_uri: str | None
    train_data_help: list[str]
    endpoint_name: str | None
    endpoint_prefix: str
    deploy_path: str  # "v3", "v2" or "boto3"
    container: dict[str, Any] = field(default_factory=dict)
    network_isolation: bool = True
    local_endpoint_url: str | None = None
    local_role_arn: str = LOCAL_ROLE_ARN
    text_task: bool = True


def build_context(
    doc: ModelDocument,
    *,
    action: str,
    sdk: str,
    region: str,
    acceptance: Acceptance | None,
    endpoint_name: str | None,
    local_endpoint_url: str | None,
) -> NotebookContext:
    d: dict[str, Any] = doc.document or {}
    public = doc.hub_name == validation.PUBLIC_HUB
    imported = doc.content_type == "Model" and not public
    # Imported hub Models: sagemaker 3.27's JumpStart path only resolves ids of the public catalog (reference
    # §4.5) and v2's JumpStartModel needs SDK metadata (predictor specs) such documents need not carry: boto3.
    deploy_path = "boto3" if imported else sdk
    task = _text(d.get("Task"))
    return NotebookContext(
        action=action,
        sdk=sdk,
        region=region,
        hub_name=doc.hub_name,
        hub_arn=doc.hub_arn,
        public_hub=public,
        model_id=doc.model_id,
        version=doc.version,
        content_type=doc.content_type,
        hub_content_arn=doc.hub_content_arn,
        display_name=doc.display_name or doc.model_id,
        description=_text(doc.description) or "",
        license=_text(d.get("License")),
        task=task,
        provider=_text(d.get("Provider")),
        gated=bool(doc.gated),
        eula_uri=doc.eula_uri,
        accepted_by=acceptance.username if acceptance else None,
        accepted_at=acceptance.accepted_at.isoformat(timespec="seconds") if acceptance else None,
        accepted_sha256=acceptance.sha256 if acceptance else None,
        instance_type=_instance(d.get("DefaultInferenceInstanceType")),
        instance_types=_instances(d.get("SupportedInferenceInstanceTypes")),
        training_instance_type=_instance(d.get("DefaultTrainingInstanceType")),
        training_instance_types=_instances(d.get("SupportedTrainingInstanceTypes")),
        payload=_payload(d) or FALLBACK_PAYLOAD,
        payload_is_default=_payload(d) is not None,
        hyperparameters=_hyperparameters(d.get("Hyperparameters")),
        train_data_uri=_s3(d.get("DefaultTrainingDatasetUri")),
        train_data_help=_help(d.get("ContextualHelp")),
        endpoint_name=endpoint_name,
        endpoint_prefix=_prefix(doc.model_id),
        deploy_path=deploy_path,
        container=_container(doc, d),
        network_isolation=bool(d.get("InferenceEnableNetworkIsolation", True)),
        local_endpoint_url=local_endpoint_url,
        text_task=_is_text_task(task, d),
    )


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def _instance(value: Any) -> str | None:
    return value if isinstance(value, str) and validation.INSTANCE_TYPE.fullmatch(value) else None


def _instances(value: Any) -> list[str]:
    return [v for v in value if _instance(v)] if isinstance(value, list) else []


def _s3(value: Any) -> str | None:
    return value if isinstance(value, str) and validation.S3_URI.fullmatch(value) else None


def _prefix(model_id: str) -> str:
    """A short endpoint-name prefix; the notebook appends a timestamp when it runs."""
    return re.sub(r"-+", "-", model_id[:40]).strip("-") or "jumpstart"


def _payload(d: dict[str, Any]) -> dict[str, Any] | None:
    payloads = d.get("DefaultPayloads")
    if not isinstance(payloads, dict) or not payloads:
        return None
    alias = sorted(payloads)[0]
    p = payloads[alias]
    if not isinstance(p, dict) or "Body" not in p:
        return None
    spec = d.get("SageMakerSdkPredictorSpecifications") or {}
    return {
        "alias": alias,
        "content_type": p.get("ContentType") or spec.get("DefaultContentType") or "application/json",
        "accept": spec.get("DefaultAcceptType") or "application/json",
        "body": p["Body"],
        "prompt_key": p.get("PromptKey"),
    }


def _hyperparameters(value: Any) -> list[dict[str, Any]]:
    out = []
    for h in value if isinstance(value, list) else []:
        if not isinstance(h, dict) or not isinstance(h.get("Name"), str) or "Default" not in h:
            continue
        if h.get("Scope", "algorithm") != "algorithm":
            continue
        note = [str(h.get("Type", ""))]
        if "Min" in h and "Max" in h:
            note.append(f"{h['Min']} to {h['Max']}")
        elif "Min" in h or "Max" in h:
            note.append(f"min {h['Min']}" if "Min" in h else f"max {h['Max']}")
        if isinstance(h.get("Options"), list):
            note.append("one of " + ", ".join(map(str, h["Options"])))
        out.append({"name": h["Name"], "default": _jsonable(h["Default"]), "note": "; ".join(n for n in note if n)})
    return out


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value))


def _help(value: Any) -> list[str]:
    lines = []
    if isinstance(value, dict):
        for key in ("HubFormatTrainData", "HubDefaultTrainData"):
            lines += [s.strip() for s in value.get(key) or [] if isinstance(s, str) and s.strip()]
    return lines


def _is_text_task(task: str | None, d: dict[str, Any]) -> bool:
    words = (task or "").lower() + " " + " ".join(str(k).lower() for k in d.get("SearchKeywords", []) or [])
    return any(w in words for w in ("text generation", "text-generation", "textgeneration", "text2text", "llm")) or (
        not task
    )


def _container(doc: ModelDocument, d: dict[str, Any]) -> dict[str, Any]:
    """CreateModel's PrimaryContainer for an imported hub Model, from its document."""
    env = {
        e["Name"]: str(e.get("Default", ""))
        for e in d.get("InferenceEnvironmentVariables") or []
        if isinstance(e, dict) and isinstance(e.get("Name"), str) and e.get("Scope", "container") == "container"
    }
    image = d.get("HostingEcrUri")
    variants_doc = d.get("HostingInstanceTypeVariants") or {}
    aliases = variants_doc.get("Aliases") or {}
    variants = variants_doc.get("Variants") or {}
    instance = _instance(d.get("DefaultInferenceInstanceType")) or ""
    family = instance.split(".")[1:2]
    for key in (instance, *family, "gpu", "cpu"):
        props = (variants.get(key) or {}).get("Properties") or {}
        uri = props.get("ImageUri")
        if isinstance(uri, str) and uri.startswith("$"):
            uri = aliases.get(uri[1:])
        if uri and not image:
            image = uri
        if key in (instance, *family) and isinstance(props.get("EnvironmentVariables"), dict):
            env.update({k: str(v) for k, v in props["EnvironmentVariables"].items()})
    source: dict[str, Any] = {
        "S3Uri": d.get("HostingArtifactUri"),
        "S3DataType": d.get("HostingArtifactS3DataType") or "S3Prefix",
        "CompressionType": d.get("HostingArtifactCompressionType") or "None",
        "HubAccessConfig": {"HubContentArn": doc.hub_content_arn},
    }
    return {"Image": image, "Environment": env, "ModelDataSource": {"S3DataSource": source}}
