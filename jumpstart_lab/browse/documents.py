"""Facts read from a HubContentDocument (the parsed JSON of DescribeHubContent)."""

from __future__ import annotations

import json
from typing import Any


def is_gated(document: dict[str, Any]) -> bool:
    """A model is gated when its document has ``HostingEulaUri`` or ``GatedBucket`` true; nothing else."""
    return bool(document.get("HostingEulaUri")) or document.get("GatedBucket") is True


def eula_uri(document: dict[str, Any]) -> str | None:
    """The S3 URI of the EULA text, if the document names one."""
    uri = document.get("HostingEulaUri")
    return uri if isinstance(uri, str) and uri else None


def parse_document(raw: Any) -> dict[str, Any]:
    """The HubContentDocument of a DescribeHubContent reply (a JSON string on the wire)."""
    if isinstance(raw, dict):
        return raw
    if not raw:
        return {}
    value = json.loads(raw)
    return value if isinstance(value, dict) else {}


def version_key(version: str) -> tuple[int, ...]:
    """Sort key of a ``1.2.3`` hub content version (non-numeric parts sort first)."""
    return tuple(int(p) if p.isdigit() else -1 for p in version.split("."))


def hyperparameters(document: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "name": h.get("Name"),
            "type": h.get("Type"),
            "default": h.get("Default"),
            "min": h.get("Min"),
            "max": h.get("Max"),
            "options": h.get("Options"),
            "description": h.get("Description") or h.get("Label"),
        }
        for h in document.get("Hyperparameters") or []
        if isinstance(h, dict) and h.get("Name")
    ]


def notebooks(document: dict[str, Any]) -> list[dict[str, str]]:
    """Official example notebooks named by the document (both document formats)."""
    found: list[dict[str, str]] = []
    locations = document.get("NotebookLocations") or {}
    for item in locations.get("DemoNotebooks") or []:
        if isinstance(item, dict) and item.get("S3Uri"):
            found.append({"title": str(item.get("Title") or "Notebook"), "uri": item["S3Uri"]})
    legacy = document.get("NotebookLocationUris") or {}
    singles = [
        ("Demo", locations.get("DemoNotebook") or legacy.get("demo_notebook")),
        ("Fine-tune", locations.get("ModelFit") or legacy.get("model_fit")),
        ("Deploy", locations.get("ModelDeploy") or legacy.get("model_deploy")),
    ]
    seen = {n["uri"] for n in found}
    for title, uri in singles:
        if isinstance(uri, str) and uri and uri not in seen:
            found.append({"title": title, "uri": uri})
            seen.add(uri)
    return found


def evaluation_supported(document: dict[str, Any], keywords: list[str] | tuple[str, ...] = ()) -> bool:
    """The document names an evaluation capability or recipe."""
    if "SAGEMAKER_EVALUATE" in (document.get("Capabilities") or []):
        return True
    if any(isinstance(r, dict) and r.get("Type") == "Evaluation" for r in document.get("RecipeCollection") or []):
        return True
    return any(k.lower().startswith("@recipe:evaluation") for k in keywords)


def marketplace(document: dict[str, Any]) -> dict[str, Any] | None:
    """Subscription facts of a proprietary (AWS Marketplace) model, else None."""
    keys = ("ModelSubscriptionLink", "ListingId", "ProductId", "HostingModelPackageArn")
    proprietary = "PROPRIETARY" in [str(t).upper() for t in document.get("ModelTypes") or []]
    if not proprietary and not any(document.get(k) for k in keys):
        return None
    return {
        "subscription_url": document.get("ModelSubscriptionLink") or None,
        "listing_id": document.get("ListingId") or None,
        "product_id": document.get("ProductId") or None,
    }
