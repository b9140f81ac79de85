"""What the curation tests share: unique names, owned content, and removing what a test left in a hub."""

from __future__ import annotations

import itertools
import uuid

from botocore.exceptions import ClientError

SHARE_ACCOUNT = "444455556666"  # another account a hub is shared with through RAM
_counter = itertools.count()


def unique(prefix: str = "t") -> str:
    """A name no other test (or earlier run on the same local service) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:8]}-{next(_counter)}"


def owned_versions(sm, hub: str) -> set[tuple[str, str]]:
    """(name, version) of every Model the hub owns (imported, not referenced)."""
    found = set()
    for name in content_names(sm, hub, "Model"):
        versions = sm.list_hub_content_versions(
            HubName=hub, HubContentType="Model", HubContentName=name, MaxResults=100
        )["HubContentSummaries"]
        found |= {(name, v["HubContentVersion"]) for v in versions}
    return found


def import_model(sm, hub: str, name: str = "in-house-model", versions=("1.0.0", "1.1.0")) -> None:
    """Owned content: a model imported into the hub (a copy of a public model's document), in several versions."""
    first = sorted(content_names(sm, "SageMakerPublicHub", "Model"))[0]
    public = sm.describe_hub_content(HubName="SageMakerPublicHub", HubContentType="Model", HubContentName=first)
    for version in versions:
        sm.import_hub_content(
            HubName=hub,
            HubContentName=name,
            HubContentVersion=version,
            HubContentType="Model",
            DocumentSchemaVersion=public["DocumentSchemaVersion"],
            HubContentDocument=public["HubContentDocument"],
        )


def drop_hub(sm, name: str) -> None:
    """Whatever a test left: the hub's references, its owned model versions, the hub (if it exists)."""
    if not hub_exists(sm, name):
        return
    for ref in reference_names(sm, name):
        sm.delete_hub_content_reference(HubName=name, HubContentType="ModelReference", HubContentName=ref)
    for model, version in owned_versions(sm, name):
        sm.delete_hub_content(HubName=name, HubContentType="Model", HubContentName=model, HubContentVersion=version)
    sm.delete_hub(HubName=name)


def hub_contents(sm, hub: str, content_type: str) -> dict[str, dict]:
    """Latest summary of every content of that type in the hub, by name, straight from ListHubContents
    (all pages; botocore has no paginator for it)."""
    items: dict[str, dict] = {}
    token: dict[str, str] = {}
    while True:
        page = sm.list_hub_contents(HubName=hub, HubContentType=content_type, MaxResults=100, **token)
        items |= {i["HubContentName"]: i for i in page["HubContentSummaries"]}
        if "NextToken" not in page:
            return items
        token = {"NextToken": page["NextToken"]}


def content_names(sm, hub: str, content_type: str = "ModelReference") -> set[str]:
    return set(hub_contents(sm, hub, content_type))


def reference_names(sm, hub: str) -> set[str]:
    return content_names(sm, hub, "ModelReference")


def hub_exists(sm, hub: str) -> bool:
    try:
        sm.describe_hub(HubName=hub)
        return True
    except ClientError:
        return False
