"""The 15 SageMaker hub operations against the in-memory :class:`HubStore`.

``handle(store, region, action, params)`` validates ``params`` with botocore's model, runs the
operation and returns the JSON reply (a dict). Failures raise :class:`AwsError`. Timestamps are
epoch seconds, as the JSON 1.1 protocol sends them. No moto, no HTTP.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from typing import Any

from .constraints import validate
from .errors import AwsError, access_denied, in_use, not_found, validation
from .store import OWN_ACCOUNT, PUBLIC_HUB, Content, Hub, HubStore, version_key

HUB_ACTIONS = (
    "CreateHub",
    "CreateHubContentPresignedUrls",
    "CreateHubContentReference",
    "DeleteHub",
    "DeleteHubContent",
    "DeleteHubContentReference",
    "DescribeHub",
    "DescribeHubContent",
    "ImportHubContent",
    "ListHubContentVersions",
    "ListHubContents",
    "ListHubs",
    "UpdateHub",
    "UpdateHubContent",
    "UpdateHubContentReference",
)
MAX_HUBS = 50
DEFAULT_PAGE = 100
PUBLIC_CONTENT_ARN = re.compile(
    r"arn:[a-z0-9-.]{1,63}:sagemaker:(?P<region>[\w-]+):aws:hub-content/(?P<hub>[^/]+)/Model/(?P<name>[^/]+)"
    r"(?:/(?P<version>\d{1,4}\.\d{1,4}\.\d{1,4}))?"
)

Handler = Callable[[HubStore, str, dict[str, Any]], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}


def _op(fn: Handler) -> Handler:
    name = "".join(part.title() for part in fn.__name__.strip("_").split("_"))
    _HANDLERS[name] = fn
    return fn


def handle(store: HubStore, region: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run one hub action. Raises AwsError (validation, not found, in use, access denied)."""
    if action not in _HANDLERS:
        raise AwsError("UnknownOperationException", f"Unknown operation {action}.")
    validate(action, params)
    with store.lock:
        return _HANDLERS[action](store, region, params)


# --- paging and shaping ----------------------------------------------------------------------


def _page(items: list[Any], params: dict[str, Any], scope: str) -> tuple[list[Any], str | None]:
    size = params.get("MaxResults") or DEFAULT_PAGE
    start = 0
    token = params.get("NextToken")
    if token:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(token.encode()))
            start, token_scope = int(decoded["o"]), decoded["s"]
        except (ValueError, KeyError, TypeError, binascii.Error):
            raise validation("The NextToken is not valid.") from None
        if token_scope != scope or start < 0:
            raise validation("The NextToken is not valid for this request.")
    end = start + size
    nxt = None
    if end < len(items):
        nxt = base64.urlsafe_b64encode(json.dumps({"o": end, "s": scope}).encode()).decode()
    return items[start:end], nxt


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None and v != []}


def _hub_info(hub: Hub) -> dict[str, Any]:
    return _drop_none(
        {
            "HubName": hub.name,
            "HubArn": hub.arn,
            "HubDisplayName": hub.display_name,
            "HubDescription": hub.description,
            "HubSearchKeywords": hub.keywords,
            "HubStatus": hub.status,
            "CreationTime": hub.created,
            "LastModifiedTime": hub.modified,
        }
    )


def _content_info(c: Content) -> dict[str, Any]:
    return _drop_none(
        {
            "HubContentName": c.name,
            "HubContentArn": c.arn,
            "SageMakerPublicHubContentArn": c.public_arn,
            "HubContentVersion": c.version,
            "HubContentType": c.type,
            "DocumentSchemaVersion": c.schema_version,
            "HubContentDisplayName": c.display_name,
            "HubContentDescription": c.description,
            "SupportStatus": c.support_status,
            "HubContentSearchKeywords": c.keywords,
            "HubContentStatus": c.status,
            "CreationTime": c.created,
            "OriginalCreationTime": c.created,
        }
    )


def _time_filter(items: list[Any], params: dict[str, Any], attr: str, prefix: str) -> list[Any]:
    before, after = params.get(f"{prefix}Before"), params.get(f"{prefix}After")
    if before is not None:
        items = [i for i in items if getattr(i, attr) < float(before)]
    if after is not None:
        items = [i for i in items if getattr(i, attr) > float(after)]
    return items


def _sorted(items: list[Any], params: dict[str, Any], keys: dict[str, Callable[[Any], Any]], default: str) -> list[Any]:
    key = keys[params.get("SortBy") or default]
    return sorted(items, key=key, reverse=params.get("SortOrder") == "Descending")


def _writable(store: HubStore, region: str, name_or_arn: str, action: str) -> Hub:
    """A hub the caller may change: its own (not the public hub, not another account's)."""
    hub = store.get(region, name_or_arn, for_action=action)
    if hub.account != OWN_ACCOUNT:
        raise access_denied(
            f"User: arn:aws:sts::{OWN_ACCOUNT}:user/moto is not authorized to perform: sagemaker:{action} "
            f"on resource: {hub.arn}"
        )
    return hub


def _content(hub: Hub, content_type: str, name: str, version: str | None) -> Content:
    if version:
        found = hub.versions(content_type, name).get(version)
    else:
        found = hub.latest(content_type, name)
    if found is None:
        suffix = f" version {version}" if version else ""
        raise not_found(f"Hub content {name}{suffix} of type {content_type} does not exist in hub {hub.name}.")
    return found


def _referenced(store: HubStore, ref: Content) -> Content | None:
    """The public content a ModelReference points at (its version, else the latest public one)."""
    m = PUBLIC_CONTENT_ARN.fullmatch(ref.public_arn or "")
    if not m:
        return None
    public = store.public_hub(m["region"])
    if public is None:
        return None
    return public.versions("Model", m["name"]).get(m["version"] or "") or public.latest("Model", m["name"])


# --- hubs ------------------------------------------------------------------------------------


@_op
def list_hubs(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hubs = store.own_hubs(region)
    if p.get("NameContains"):
        needle = p["NameContains"].lower()
        hubs = [h for h in hubs if needle in h.name.lower()]
    hubs = _time_filter(hubs, p, "created", "CreationTime")
    hubs = _time_filter(hubs, p, "modified", "LastModifiedTime")
    keys = {
        "HubName": lambda h: h.name.lower(),
        "CreationTime": lambda h: h.created,
        "HubStatus": lambda h: h.status,
        "AccountIdOwner": lambda h: h.account,
    }
    hubs = _sorted(hubs, p, keys, "HubName")
    page, nxt = _page(hubs, p, "hubs")
    reply: dict[str, Any] = {"HubSummaries": [_hub_info(h) for h in page]}
    if nxt:
        reply["NextToken"] = nxt
    return reply


@_op
def describe_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="DescribeHub")
    reply = _hub_info(hub)
    if hub.s3_output_path:
        reply["S3StorageConfig"] = {"S3OutputPath": hub.s3_output_path}
    return reply


@_op
def create_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    name = p["HubName"]
    if name.startswith("arn:") or name == PUBLIC_HUB:
        raise validation(f"Hub name {name} is not allowed.")
    if (region, OWN_ACCOUNT, name) in store.hubs:
        raise in_use(f"Hub {name} already exists.")
    if len([h for h in store.own_hubs(region) if h.account == OWN_ACCOUNT]) >= MAX_HUBS:
        raise AwsError("ResourceLimitExceeded", f"You have reached the limit of {MAX_HUBS} hubs in {region}.")
    hub = store.put(
        Hub(
            name=name,
            region=region,
            account=OWN_ACCOUNT,
            description=p["HubDescription"],
            display_name=p.get("HubDisplayName"),
            keywords=list(p.get("HubSearchKeywords") or []),
            s3_output_path=(p.get("S3StorageConfig") or {}).get("S3OutputPath"),
            tags=list(p.get("Tags") or []),
        )
    )
    return {"HubArn": hub.arn}


@_op
def update_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "UpdateHub")
    if "HubDescription" in p:
        hub.description = p["HubDescription"]
    if "HubDisplayName" in p:
        hub.display_name = p["HubDisplayName"]
    if "HubSearchKeywords" in p:
        hub.keywords = list(p["HubSearchKeywords"])
    hub.modified = time.time()
    return {"HubArn": hub.arn}


@_op
def delete_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "DeleteHub")
    if hub.count():
        raise in_use(f"Hub {hub.name} is not empty: delete its {hub.count()} content versions first.")
    store.drop(hub)
    return {}


# --- listing and describing content ----------------------------------------------------------


@_op
def list_hub_contents(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="ListHubContents")
    ctype = p["HubContentType"]
    items = [hub.latest(t, n) for (t, n) in hub.contents if t == ctype]
    items = [c for c in items if c is not None]
    if p.get("NameContains"):
        needle = p["NameContains"].lower()
        items = [c for c in items if needle in c.name.lower()]
    if p.get("MaxSchemaVersion"):
        limit = version_key(p["MaxSchemaVersion"])
        items = [c for c in items if version_key(c.schema_version) <= limit]
    items = _time_filter(items, p, "created", "CreationTime")
    keys = {
        "HubContentName": lambda c: c.name,
        "CreationTime": lambda c: (c.created, c.name),
        "HubContentStatus": lambda c: (c.status, c.name),
    }
    items = _sorted(items, p, keys, "HubContentName")
    page, nxt = _page(items, p, f"contents:{hub.arn}:{ctype}")
    reply: dict[str, Any] = {"HubContentSummaries": [_content_info(c) for c in page]}
    if nxt:
        reply["NextToken"] = nxt
    return reply


@_op
def list_hub_content_versions(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="ListHubContentVersions")
    items = list(hub.versions(p["HubContentType"], p["HubContentName"]).values())
    if not items:
        raise not_found(
            f"Hub content {p['HubContentName']} of type {p['HubContentType']} does not exist in hub {hub.name}."
        )
    if p.get("MinVersion"):
        low = version_key(p["MinVersion"])
        items = [c for c in items if version_key(c.version) >= low]
    if p.get("MaxSchemaVersion"):
        limit = version_key(p["MaxSchemaVersion"])
        items = [c for c in items if version_key(c.schema_version) <= limit]
    items = _time_filter(items, p, "created", "CreationTime")
    keys = {
        "HubContentName": lambda c: version_key(c.version),
        "CreationTime": lambda c: (c.created, version_key(c.version)),
        "HubContentStatus": lambda c: (c.status, version_key(c.version)),
    }
    items = _sorted(items, p, keys, "HubContentName")
    page, nxt = _page(items, p, f"versions:{hub.arn}:{p['HubContentType']}:{p['HubContentName']}")
    reply: dict[str, Any] = {"HubContentSummaries": [_content_info(c) for c in page]}
    if nxt:
        reply["NextToken"] = nxt
    return reply


@_op
def describe_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="DescribeHubContent")
    c = _content(hub, p["HubContentType"], p["HubContentName"], p.get("HubContentVersion"))
    document = c.document
    if c.type == "ModelReference":
        public = _referenced(store, c)
        if public is None:
            raise not_found(f"The public hub content referenced by {c.name} no longer exists.")
        document = public.document
    reply = _drop_none(
        {
            "HubContentName": c.name,
            "HubContentArn": c.arn,
            "HubContentVersion": c.version,
            "HubContentType": c.type,
            "DocumentSchemaVersion": c.schema_version,
            "HubName": hub.name,
            "HubArn": hub.arn,
            "HubContentDisplayName": c.display_name,
            "HubContentDescription": c.description,
            "HubContentMarkdown": c.markdown,
            "HubContentDocument": document or "{}",
            "SageMakerPublicHubContentArn": c.public_arn,
            "ReferenceMinVersion": c.min_version,
            "SupportStatus": c.support_status,
            "HubContentSearchKeywords": c.keywords,
            "HubContentStatus": c.status,
            "CreationTime": c.created,
            "LastModifiedTime": c.modified,
        }
    )
    return reply


# --- imported content ------------------------------------------------------------------------


@_op
def import_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "ImportHubContent")
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


@_op
def update_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "UpdateHubContent")
    if p["HubContentType"] == "ModelReference":
        raise validation("Use UpdateHubContentReference to update a ModelReference.")
    if not any(k in p for k in _UPDATABLE):
        raise validation(
            "At least one of HubContentDisplayName, HubContentDescription, HubContentMarkdown, "
            "HubContentSearchKeywords or SupportStatus must be specified."
        )
    c = _content(hub, p["HubContentType"], p["HubContentName"], p["HubContentVersion"])
    for key, attr in _UPDATABLE.items():
        if key in p:
            setattr(c, attr, list(p[key]) if key == "HubContentSearchKeywords" else p[key])
    c.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": c.arn}


@_op
def delete_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "DeleteHubContent")
    c = _content(hub, p["HubContentType"], p["HubContentName"], p["HubContentVersion"])
    hub.remove(c.type, c.name, c.version)
    return {}


# --- references ------------------------------------------------------------------------------


@_op
def create_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "CreateHubContentReference")
    arn = p["SageMakerPublicHubContentArn"]
    m = PUBLIC_CONTENT_ARN.fullmatch(arn)
    if not m or m["hub"] != PUBLIC_HUB:
        raise validation(f"SageMakerPublicHubContentArn {arn} does not name a model of {PUBLIC_HUB}.")
    public_hub = store.get(m["region"], PUBLIC_HUB, for_action="DescribeHubContent")
    public = _content(public_hub, "Model", m["name"], m["version"])
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


@_op
def update_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "UpdateHubContentReference")
    ref = _reference(hub, p)
    if "MinVersion" in p:
        if version_key(p["MinVersion"]) > version_key(ref.version):
            raise validation(f"MinVersion {p['MinVersion']} is newer than the referenced version {ref.version}.")
        ref.min_version = p["MinVersion"]
    ref.modified = time.time()
    return {"HubArn": hub.arn, "HubContentArn": ref.arn}


@_op
def delete_hub_content_reference(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = _writable(store, region, p["HubName"], "DeleteHubContentReference")
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


@_op
def create_hub_content_presigned_urls(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="CreateHubContentPresignedUrls")
    c = _content(hub, p["HubContentType"], p["HubContentName"], p.get("HubContentVersion"))
    doc_text = _referenced(store, c).document if c.type == "ModelReference" else c.document  # type: ignore[union-attr]
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
    page, nxt = _page(configs, p, f"presigned:{c.arn}")
    reply: dict[str, Any] = {"AuthorizedUrlConfigs": page}
    if nxt:
        reply["NextToken"] = nxt
    return reply


assert set(_HANDLERS) == set(HUB_ACTIONS), sorted(set(HUB_ACTIONS) ^ set(_HANDLERS))
