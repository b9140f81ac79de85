"""The SageMaker hub operations of the local service, against the in-memory :class:`HubStore`.

``handle(store, region, action, params)`` validates ``params`` with botocore's model, runs the operation and
returns the JSON reply (a dict); failures raise :class:`AwsError`. Timestamps are epoch seconds, as the JSON 1.1
protocol sends them. No moto, no HTTP. This module has the hub and listing operations; content writes and
references are in ``hub_contents.py``, ``Search(Resource="HubContent")`` in ``hub_search.py``. The store's
models shape their own replies (``summary()`` / ``describe()``); the operations filter, sort and page.
"""

from __future__ import annotations

import time
from typing import Any

from . import hub_contents, hub_search
from .errors import AwsError, in_use, not_found, validation
from .lookup import content, document_of, writable
from .operations import HANDLERS, handle, operation
from .paging import name_filter, paged, sort, time_filter
from .store import OWN_ACCOUNT, PUBLIC_HUB, Content, Hub, HubStore, version_key

__all__ = ["HUB_ACTIONS", "handle"]

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
_MODULES = (hub_contents, hub_search)  # their operations register on import
HANDLED = frozenset(HANDLERS)


@operation
def list_hubs(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hubs = name_filter(store.own_hubs(region), p)
    hubs = time_filter(hubs, p, "created", "CreationTime")
    hubs = time_filter(hubs, p, "modified", "LastModifiedTime")
    keys = {
        "HubName": lambda h: h.name.lower(),
        "CreationTime": lambda h: h.created,
        "HubStatus": lambda h: h.status,
        "AccountIdOwner": lambda h: h.account,
    }
    return paged(sort(hubs, p, keys, "HubName"), p, "hubs", "HubSummaries", Hub.summary)


@operation
def describe_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    return store.get(region, p["HubName"], for_action="DescribeHub").describe()


@operation
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


@operation
def update_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "UpdateHub")
    if "HubDescription" in p:
        hub.description = p["HubDescription"]
    if "HubDisplayName" in p:
        hub.display_name = p["HubDisplayName"]
    if "HubSearchKeywords" in p:
        hub.keywords = list(p["HubSearchKeywords"])
    hub.modified = time.time()
    return {"HubArn": hub.arn}


@operation
def delete_hub(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = writable(store, region, p["HubName"], "DeleteHub")
    if hub.count():
        raise in_use(f"Hub {hub.name} is not empty: delete its {hub.count()} content versions first.")
    store.drop(hub)
    return {}


# --- listing and describing content ----------------------------------------------------------


@operation
def list_hub_contents(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="ListHubContents")
    ctype = p["HubContentType"]
    items = [hub.latest(t, n) for (t, n) in hub.contents if t == ctype]
    items = name_filter([c for c in items if c is not None], p)
    if p.get("MaxSchemaVersion"):
        limit = version_key(p["MaxSchemaVersion"])
        items = [c for c in items if version_key(c.schema_version) <= limit]
    items = time_filter(items, p, "created", "CreationTime")
    keys = {
        "HubContentName": lambda c: c.name,
        "CreationTime": lambda c: (c.created, c.name),
        "HubContentStatus": lambda c: (c.status, c.name),
    }
    items = sort(items, p, keys, "HubContentName")
    return paged(items, p, f"contents:{hub.arn}:{ctype}", "HubContentSummaries", Content.summary)


@operation
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
    items = time_filter(items, p, "created", "CreationTime")
    keys = {
        "HubContentName": lambda c: version_key(c.version),
        "CreationTime": lambda c: (c.created, version_key(c.version)),
        "HubContentStatus": lambda c: (c.status, version_key(c.version)),
    }
    items = sort(items, p, keys, "HubContentName")
    scope = f"versions:{hub.arn}:{p['HubContentType']}:{p['HubContentName']}"
    return paged(items, p, scope, "HubContentSummaries", Content.summary)


@operation
def describe_hub_content(store: HubStore, region: str, p: dict[str, Any]) -> dict[str, Any]:
    hub = store.get(region, p["HubName"], for_action="DescribeHubContent")
    c = content(hub, p["HubContentType"], p["HubContentName"], p.get("HubContentVersion"))
    document = document_of(store, c)
    if document is None:
        raise not_found(f"The public hub content referenced by {c.name} no longer exists.")
    return c.describe(document)

assert set(HANDLERS) - {"Search"} == set(HUB_ACTIONS), sorted(set(HUB_ACTIONS) ^ set(HANDLERS))
