"""Paged listing of a hub's contents (the List*Hub* operations have no boto3 paginator)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..aws.errors import aws_errors

PAGE = 100
# Deletion order: references first, then owned content of every type (all versions).
OWNED_TYPES = ("Model", "Notebook", "DataSet", "JsonDoc")


def _pages(call: Any, what: str, **kwargs: Any) -> Iterator[dict[str, Any]]:
    token: str | None = None
    while True:
        with aws_errors(what):
            page = call(**kwargs, MaxResults=PAGE, **({"NextToken": token} if token else {}))
        yield from page.get("HubContentSummaries", [])
        token = page.get("NextToken")
        if not token:
            return


def list_contents(sagemaker: Any, hub: str, content_type: str) -> list[dict[str, Any]]:
    """Every HubContentInfo of ``content_type`` in ``hub`` (latest version of each name)."""
    return list(_pages(sagemaker.list_hub_contents, f"hub {hub}", HubName=hub, HubContentType=content_type))


def list_versions(sagemaker: Any, hub: str, content_type: str, name: str) -> list[str]:
    """Every version of one content item."""
    items = _pages(
        sagemaker.list_hub_content_versions,
        f"{content_type} {name} in hub {hub}",
        HubName=hub,
        HubContentType=content_type,
        HubContentName=name,
    )
    return [item["HubContentVersion"] for item in items]
