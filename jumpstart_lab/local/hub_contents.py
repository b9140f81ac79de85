"""Hub content writes of the local service: imported content, references, presigned artifact URLs."""

from __future__ import annotations

import json
import time
from typing import Any

from .errors import in_use, not_found, validation
from .lookup import PUBLIC_CONTENT_ARN, content, referenced, writable
from .operations import operation
from .paging import paged
from .store import PUBLIC_HUB, Content, Hub, HubStore, version_key

# --- imported content ------------------------------------------------------------------------


@operation
def import_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "ImportHubContent")
    ctype = p["HubContentType"]
    if ctype == "ModelReference":
        raise validation("ModelReference content is created with CreateHubContentReference, not imported.")
    version = p.get("HubContentVersion") or "1.0.0"
    name = p["HubContentName"]
    if version in hub.versions(ctype, name):
        raise in_use(f"Hub content {name} version {version} of type {ctype} already exists in hub {hub.name}.")
    try:
        parsed = json.loads(p["HubContentDocument"])
    except ValueError:
        raise validation("HubContentDocument is not valid JSON.") from None
    if not isinstance(parsed, dict):
        raise validation("HubContentDocument must be a JSON object.")
    content = hub.add(
        Content(
            hub=hub,
            type=ctype,
            name=name,
            version=version,
            schema_version=p["DocumentSchemaVersion"],
            display_name=p.get("HubContentDisplayName"),
            description=p.get("HubContentDescription"),
            markdown=p.get("HubContentMarkdown"),
            document=p["HubContentDocument"],
            keywords=list(p.get("HubContentSearchKeywords") or []),
            support_status=p.get("SupportStatus") or "Supported",
            tags=list(p.get("Tags") or []),
        )
    )
    hub.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": content.arn}


_UPDATABLE = {
    "HubContentDisplayName": "display_name",
    "HubContentDescription": "description",
    "HubContentMarkdown": "markdown",
    "HubContentSearchKeywords": "keywords",
    "SupportStatus": "support_status",
}


@operation
def update_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "UpdateHubContent")
    if p["HubContentType"] == "ModelReference":
        raise validation("Use UpdateHubContentReference to update a ModelReference.")
    if not any(k in p for k in _UPDATABLE):
        raise validation(
            "At least one of HubContentDisplayName, HubContentDescription, HubContentMarkdown, "
            "HubContentSearchKeywords or SupportStatus must be specified."
        )
    c = content(hub, p["HubContentType"], p["HubContentName"], p["HubContentVersion"])
    for key, attr in _UPDATABLE.items():
        if key in p:
            setattr(c, attr, list(p[key]) if key == "HubContentSearchKeywords" else p[key])
    c.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": c.arn}


@operation
def delete_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "DeleteHubContent")
    c = content(hub, p["HubContentType"], p["HubContentName"], p["HubContentVersion"])
    hub.remove(c.type, c.name, c.version)
    return {}


# --- references ------------------------------------------------------------------------------


@operation
def create_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "CreateHubContentReference")
    arn = p["SageMakerPublicHubContentArn"]
    m = PUBLIC_CONTENT_ARN.fullmatch(arn)
    if not m or m["hub"] != PUBLIC_HUB:
        raise validation(f"SageMakerPublicHubContentArn {arn} does not name a model of {PUBLIC_HUB}.")
    public_hub = store.get(m["region"], PUBLIC_HUB, for_action="DescribeHubContent")
    public = content(public_hub, "Model", m["name"], m["version"])
    name = p.get("HubContentName") or public.name
    if hub.versions("ModelReference", name):
        raise in_use(f"Hub content {name} of type ModelReference already exists in hub {hub.name}.")
    min_version = p.get("MinVersion")
    if min_version and version_key(min_version) > version_key(public.version):
        raise validation(f"MinVersion {min_version} is newer than the referenced version {public.version}.")
    ref = hub.add(
        Content(
            hub=hub,
            type="ModelReference",
            name=name,
            version=public.version,
            schema_version=public.schema_version,
            display_name=public.display_name,
            description=public.description,
            markdown=public.markdown,
            keywords=list(public.keywords),
            public_arn=public.arn,
            min_version=min_version,
            tags=list(p.get("Tags") or []),
        )
    )
    hub.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": ref.arn}


def _reference(hub: Hub, p: dict[str, Any]) -> Content:
    if p["HubContentType"] != "ModelReference":
        raise validation("HubContentType must be ModelReference for hub content references.")
    ref = hub.latest("ModelReference", p["HubContentName"])
    if ref is None:
        raise not_found(f"Hub content reference {p['HubContentName']} does not exist in hub {hub.name}.")
    return ref


@operation
def update_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "UpdateHubContentReference")
    ref = _reference(hub, p)
    if "MinVersion" in p:
        if version_key(p["MinVersion"]) > version_key(ref.version):
            raise validation(f"MinVersion {p['MinVersion']} is newer than the referenced version {ref.version}.")
        ref.min_version = p["MinVersion"]
    ref.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": ref.arn}


@operation
def delete_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "DeleteHubContentReference")
    ref = _reference(hub, p)
    hub.remove("ModelReference", ref.name)
    return {}


# --- presigned URLs --------------------------------------------------------------------------

_ARTIFACT_FILES = (
    "config.json",
    "generation_config.json",
    "model-00001-of-00002.safetensors",
    "model-00002-of-00002.safetensors",
    "model.safetensors.index.json",
    "special_tokens_map.json",
    "tokenizer.json",
    "tokenizer_config.json",
)


@operation
def create_hub_content_presigned_urls(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="CreateHubContentPresignedUrls")
    c = content(hub, p["HubContentType"], p["HubContentName"], p.get("HubContentVersion"))
    doc_text = referenced(store, c).document if c.type == "ModelReference" else c.document  # type: ignore[union-attr]
    document = json.loads(doc_text or "{}")
    artifact = document.get("HostingArtifactUri")
    if not isinstance(artifact, str) or not artifact.startswith("s3://"):
        raise validation(f"Hub content {c.name} has no model artifacts to download.")
    access = p.get("AccessConfig") or {}
    if document.get("HostingEulaUri") and access.get("AcceptEula") is not True:
        raise validation(
            "The AcceptEula value must be explicitly defined as True in order to accept the end-user license "
            f'agreement (EULA) that this "{artifact}" model requires.'
        )
    if access.get("ExpectedS3Url") and access["ExpectedS3Url"] != artifact:
        raise validation(f"ExpectedS3Url {access['ExpectedS3Url']} does not match the model artifact location.")
    bucket, _, prefix = artifact[len("s3://") :].partition("/")
    expires = int(time.time()) + 3600
    configs = [
        {
            "Url": f"https://{bucket}.s3.{region}.amazonaws.com/{prefix}{name}?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            f"&X-Amz-Expires=3600&X-Amz-Date={expires}&X-Amz-Signature=demo",
            "LocalPath": name,
        }
        for name in _ARTIFACT_FILES
    ]
    return paged(configs, p, f"presigned:{c.arn}", "AuthorizedUrlConfigs", lambda config: config)
