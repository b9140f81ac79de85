"""Finding what an operation acts on: a hub the caller may change, a content version, a reference's target."""

from __future__ import annotations

import re

from .errors import access_denied, not_found
from .store import OWN_ACCOUNT, Content, Hub, HubStore

PUBLIC_CONTENT_ARN = re.compile(
    r"arn:[a-z0-9-.]{1,63}:sagemaker:(?P<region>[\w-]+):aws:hub-content/(?P<hub>[^/]+)/Model/(?P<name>[^/]+)"
    r"(?:/(?P<version>\d{1,4}\.\d{1,4}\.\d{1,4}))?"
)


def writable(store: HubStore, region: str, name_or_arn: str, action: str) -> Hub:
    """A hub the caller may change: its own (not the public hub, not another account's)."""
    hub = store.get(region, name_or_arn, for_action=action)
    if hub.account != OWN_ACCOUNT:
        raise access_denied(
            f"User: arn:aws:sts::{OWN_ACCOUNT}:user/moto is not authorized to perform: sagemaker:{action} "
            f"on resource: {hub.arn}"
        )
    return hub


def content(hub: Hub, content_type: str, name: str, version: str | None) -> Content:
    if version:
        found = hub.versions(content_type, name).get(version)
    else:
        found = hub.latest(content_type, name)
    if found is None:
        suffix = f" version {version}" if version else ""
        raise not_found(f"Hub content {name}{suffix} of type {content_type} does not exist in hub {hub.name}.")
    return found


def referenced(store: HubStore, ref: Content) -> Content | None:
    """The public content a ModelReference points at (its version, else the latest public one)."""
    m = PUBLIC_CONTENT_ARN.fullmatch(ref.public_arn or "")
    if not m:
        return None
    public = store.public_hub(m["region"])
    if public is None:
        return None
    return public.versions("Model", m["name"]).get(m["version"] or "") or public.latest("Model", m["name"])


def source_of(store: HubStore, item: Content) -> Content | None:
    """The content whose document ``item`` has: itself, or the public model a reference points at."""
    return referenced(store, item) if item.type == "ModelReference" else item


def document_of(store: HubStore, item: Content) -> str | None:
    """The JSON document of ``item``: a reference's is the referenced public model's (None if it is gone)."""
    if item.type != "ModelReference":
        return item.document
    public = referenced(store, item)
    return public.document if public is not None else None
