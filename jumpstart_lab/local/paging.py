"""Listing helpers shared by the hub operations: one paginator (opaque, scoped NextToken), time filters, sorting."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Any

from .errors import validation

DEFAULT_PAGE = 100


def page(items: list[Any], params: dict[str, Any], scope: str) -> tuple[list[Any], str | None]:
    """``items[start:start + MaxResults]`` and the token of the next page (None on the last one).

    The token names the listing it belongs to (``scope``): a token of another listing is refused, as AWS does.
    """
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


def paged(
    items: list[Any], params: dict[str, Any], scope: str, member: str, shape: Callable[[Any], Any]
) -> dict[str, Any]:
    """A list reply: ``{member: [shape(item) ...], "NextToken": ...}``."""
    chunk, nxt = page(items, params, scope)
    reply: dict[str, Any] = {member: [shape(i) for i in chunk]}
    if nxt:
        reply["NextToken"] = nxt
    return reply


def time_filter(items: list[Any], params: dict[str, Any], attr: str, prefix: str) -> list[Any]:
    """``<prefix>Before`` / ``<prefix>After`` (exclusive, as AWS documents them) on ``item.<attr>``."""
    before, after = params.get(f"{prefix}Before"), params.get(f"{prefix}After")
    if before is not None:
        items = [i for i in items if getattr(i, attr) < float(before)]
    if after is not None:
        items = [i for i in items if getattr(i, attr) > float(after)]
    return items


def name_filter(items: list[Any], params: dict[str, Any]) -> list[Any]:
    """``NameContains``: a case-insensitive substring of the name."""
    needle = (params.get("NameContains") or "").lower()
    return [i for i in items if needle in i.name.lower()] if needle else items


def sort(items: list[Any], params: dict[str, Any], keys: dict[str, Callable[[Any], Any]], default: str) -> list[Any]:
    key = keys[params.get("SortBy") or default]
    return sorted(items, key=key, reverse=params.get("SortOrder") == "Descending")
