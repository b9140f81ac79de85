"""In-memory hub store of the local service: hubs and their versioned contents, per region and account."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from .errors import access_denied, not_found, validation

PUBLIC_HUB = "SageMakerPublicHub"
PUBLIC_ACCOUNT = "aws"
OWN_ACCOUNT = "123456789012"
PARTITION = "aws"


@lru_cache(maxsize=4096)
def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def drop_none(d: dict[str, Any]) -> dict[str, Any]:
    """A reply without its unset members (AWS leaves them out)."""
    return {k: v for k, v in d.items() if v is not None and v != []}


@dataclass
class Content:
    """One version of one hub content item (Model, ModelReference, Notebook, ...)."""

    hub: Hub
    type: str
    name: str
    version: str
    schema_version: str = "2.3.0"
    display_name: str | None = None
    description: str | None = None
    markdown: str | None = None
    document: str | None = None  # JSON text; None for ModelReference (resolved from the public hub)
    keywords: list[str] = field(default_factory=list)
    support_status: str | None = "Supported"
    status: str = "Available"
    public_arn: str | None = None  # ModelReference: the referenced public content ARN (with version)
    min_version: str | None = None
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)
    tags: list[dict[str, str]] = field(default_factory=list)
    _parsed: tuple[str | None, dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    def parsed(self) -> dict[str, Any]:
        """The document as a dict (parsed once per document text; {} when it is not a JSON object)."""
        if self._parsed is None or self._parsed[0] is not self.document:
            try:
                value = json.loads(self.document or "{}")
            except ValueError:
                value = {}
            self._parsed = (self.document, value if isinstance(value, dict) else {})
        return self._parsed[1]

    @property
    def arn(self) -> str:
        h = self.hub
        prefix = f"arn:{PARTITION}:sagemaker:{h.region}:{h.account}:hub-content"
        return f"{prefix}/{h.name}/{self.type}/{self.name}/{self.version}"

    def summary(self) -> dict[str, Any]:
        """The ``HubContentInfo`` of ListHubContents / ListHubContentVersions (no document, no markdown)."""
        return drop_none(
            {
                "HubContentName": self.name,
                "HubContentArn": self.arn,
                "SageMakerPublicHubContentArn": self.public_arn,
                "HubContentVersion": self.version,
                "HubContentType": self.type,
                "DocumentSchemaVersion": self.schema_version,
                "HubContentDisplayName": self.display_name,
                "HubContentDescription": self.description,
                "SupportStatus": self.support_status,
                "HubContentSearchKeywords": self.keywords,
                "HubContentStatus": self.status,
                "CreationTime": self.created,
                "OriginalCreationTime": self.created,
            }
        )

    def describe(self, document: str | None) -> dict[str, Any]:
        """The DescribeHubContent reply, with ``document`` (a reference's is the public model's)."""
        return drop_none(
            {
                "HubContentName": self.name,
                "HubContentArn": self.arn,
                "HubContentVersion": self.version,
                "HubContentType": self.type,
                "DocumentSchemaVersion": self.schema_version,
                "HubName": self.hub.name,
                "HubArn": self.hub.arn,
                "HubContentDisplayName": self.display_name,
                "HubContentDescription": self.description,
                "HubContentMarkdown": self.markdown,
                "HubContentDocument": document or "{}",
                "SageMakerPublicHubContentArn": self.public_arn,
                "ReferenceMinVersion": self.min_version,
                "SupportStatus": self.support_status,
                "HubContentSearchKeywords": self.keywords,
                "HubContentStatus": self.status,
                "CreationTime": self.created,
                "LastModifiedTime": self.modified,
            }
        )


@dataclass
class Hub:
    name: str
    region: str
    account: str
    description: str
    display_name: str | None = None
    keywords: list[str] = field(default_factory=list)
    s3_output_path: str | None = None
    status: str = "InService"
    created: float = field(default_factory=time.time)
    modified: float = field(default_factory=time.time)
    tags: list[dict[str, str]] = field(default_factory=list)
    # (type, name) -> {version: Content}
    contents: dict[tuple[str, str], dict[str, Content]] = field(default_factory=dict)

    @property
    def arn(self) -> str:
        return f"arn:{PARTITION}:sagemaker:{self.region}:{self.account}:hub/{self.name}"

    def summary(self) -> dict[str, Any]:
        """The ``HubInfo`` of ListHubs (DescribeHub adds the storage config)."""
        return drop_none(
            {
                "HubName": self.name,
                "HubArn": self.arn,
                "HubDisplayName": self.display_name,
                "HubDescription": self.description,
                "HubSearchKeywords": self.keywords,
                "HubStatus": self.status,
                "CreationTime": self.created,
                "LastModifiedTime": self.modified,
            }
        )

    def describe(self) -> dict[str, Any]:
        reply = self.summary()
        if self.s3_output_path:
            reply["S3StorageConfig"] = {"S3OutputPath": self.s3_output_path}
        return reply

    @property
    def is_public(self) -> bool:
        return self.account == PUBLIC_ACCOUNT

    def versions(self, content_type: str, name: str) -> dict[str, Content]:
        return self.contents.get((content_type, name), {})

    def latest(self, content_type: str, name: str) -> Content | None:
        versions = self.versions(content_type, name)
        if len(versions) == 1:
            return next(iter(versions.values()))
        return versions[max(versions, key=version_key)] if versions else None

    def add(self, content: Content) -> Content:
        self.contents.setdefault((content.type, content.name), {})[content.version] = content
        return content

    def remove(self, content_type: str, name: str, version: str | None = None) -> None:
        key = (content_type, name)
        if version is None:
            self.contents.pop(key, None)
            return
        versions = self.contents.get(key, {})
        versions.pop(version, None)
        if not versions:
            self.contents.pop(key, None)

    def count(self) -> int:
        return sum(len(v) for v in self.contents.values())


class HubStore:
    """All hubs, keyed by (region, account, name). Callers hold ``lock`` around multi-step work."""

    def __init__(self, *, deny_public_hub: bool = False) -> None:
        self.lock = threading.RLock()
        self.hubs: dict[tuple[str, str, str], Hub] = {}
        self.deny_public_hub = deny_public_hub

    def clear(self) -> None:
        with self.lock:
            self.hubs.clear()

    def put(self, hub: Hub) -> Hub:
        self.hubs[(hub.region, hub.account, hub.name)] = hub
        return hub

    def drop(self, hub: Hub) -> None:
        self.hubs.pop((hub.region, hub.account, hub.name), None)

    def own_hubs(self, region: str) -> list[Hub]:
        """What ListHubs shows: the caller's hubs plus the public hub (not hubs shared from other accounts)."""
        return [h for (r, acct, _), h in self.hubs.items() if r == region and acct in (OWN_ACCOUNT, PUBLIC_ACCOUNT)]

    def shared_hubs(self, region: str) -> list[Hub]:
        """Hubs of other accounts shared with the caller through RAM."""
        return [h for (r, acct, _), h in self.hubs.items() if r == region and acct not in (OWN_ACCOUNT, PUBLIC_ACCOUNT)]

    def locate(self, region: str, name_or_arn: str) -> tuple[str, str, str]:
        """(region, account, name) named by a hub name or hub ARN."""
        if name_or_arn.startswith("arn:"):
            try:
                head, name = name_or_arn.split(":hub/", 1)
                _, _, _, arn_region, account = head.split(":")
            except ValueError:
                raise validation(f"Invalid hub ARN {name_or_arn}.") from None
            return arn_region, account, name
        account = PUBLIC_ACCOUNT if name_or_arn == PUBLIC_HUB else OWN_ACCOUNT
        return region, account, name_or_arn

    def get(self, region: str, name_or_arn: str, *, for_action: str = "read") -> Hub:
        """The hub, or ResourceNotFound; AccessDenied for the public hub when the deny knob is on."""
        key = self.locate(region, name_or_arn)
        if key[1] == PUBLIC_ACCOUNT and key[2] == PUBLIC_HUB and self.deny_public_hub:
            raise access_denied(
                f"User: arn:aws:sts::{OWN_ACCOUNT}:assumed-role/DataScientist/user is not authorized to perform: "
                f"sagemaker:{for_action} on resource: arn:aws:sagemaker:{key[0]}:aws:hub/{PUBLIC_HUB} "
                "with an explicit deny in an identity-based policy"
            )
        hub = self.hubs.get(key)
        if hub is None:
            raise not_found(f"Hub {key[2]} does not exist.")
        return hub

    def public_hub(self, region: str) -> Hub | None:
        return self.hubs.get((region, PUBLIC_ACCOUNT, PUBLIC_HUB))

    def snapshot(self) -> dict[str, Any]:
        return {"hubs": len(self.hubs), "contents": sum(h.count() for h in self.hubs.values())}
