"""In-memory search, filters, facets, sorting and keyset paging over catalog entries."""

from __future__ import annotations

import base64
import binascii
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from ..errors import InvalidInput
from .entries import Entry
from .models import FACETS, ModelPage, ModelQuery

TEXT_FILTERS = ("task", "provider", "framework", "license")


def needs_full_catalog(query: ModelQuery) -> bool:
    """True unless the answer is a prefix of the catalog in name order (page 1, no filter)."""
    filtered = any(
        getattr(query, name) is not None
        for name in ("q", *TEXT_FILTERS, "gated", "trainable", "model_type", "instance_type")
    )
    return filtered or query.sort != "name" or query.cursor is not None


def facts_needed(query: ModelQuery) -> tuple[str, ...]:
    """Facts every entry must have before this query can be answered from the full catalog."""
    needed = {"task", "provider", "framework", "license"}  # facets
    for name in ("gated", "trainable", "model_type"):
        if getattr(query, name) is not None:
            needed.add(name)
    if query.instance_type is not None:
        needed.add("instance_types")
    return tuple(sorted(needed))


def _sort_key(entry: Entry, sort: str) -> tuple[Any, ...]:
    return (-entry.created, entry.model_id) if sort == "newest" else (entry.model_id,)


def encode_cursor(sort: str, key: tuple[Any, ...]) -> str:
    raw = json.dumps({"s": sort, "k": list(key)}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, ...]:
    """The sort key after which the page starts (400 for anything we did not issue)."""
    bad = InvalidInput(
        "The cursor is not valid; start again from the first page.", code="InvalidCursor", field="cursor"
    )
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise bad from exc
    if not isinstance(data, dict) or data.get("s") != sort or not isinstance(data.get("k"), list):
        raise bad
    key = data["k"]
    shape = (float, str) if sort == "newest" else (str,)
    if len(key) != len(shape):
        raise bad
    if not all(isinstance(v, t) or (t is float and isinstance(v, int)) for v, t in zip(key, shape, strict=True)):
        raise bad
    return tuple(key)


def matches(entry: Entry, query: ModelQuery, terms: Sequence[str]) -> bool:
    if terms and not all(term in entry.haystack for term in terms):
        return False
    for name in TEXT_FILTERS:
        wanted = getattr(query, name)
        if wanted is not None and (getattr(entry, name) or "").lower() != wanted.lower():
            return False
    if query.gated is not None and bool(entry.gated) != query.gated:
        return False
    if query.trainable is not None and bool(entry.trainable) != query.trainable:
        return False
    if query.model_type is not None and entry.model_type != query.model_type:
        return False
    return query.instance_type is None or query.instance_type in (entry.instance_types or ())


def facets(entries: Iterable[Entry]) -> dict[str, dict[str, int]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for entry in entries:
        for name in FACETS:
            value = getattr(entry, name)
            if value:
                counters[name][value] += 1
    return {name: dict(sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))) for name, counter in counters.items()}


def search(entries: Sequence[Entry], query: ModelQuery, *, complete: bool = True) -> tuple[ModelPage, list[Entry]]:
    """The page of ``entries`` (already in name order) for ``query``, plus the entries on it."""
    terms = [t for t in (query.q or "").lower().split() if t]
    selected = [e for e in entries if matches(e, query, terms)]
    if query.sort != "name":
        selected.sort(key=lambda e: _sort_key(e, query.sort))
    start = 0
    if query.cursor:
        after = decode_cursor(query.cursor, query.sort)
        start = next((i for i, e in enumerate(selected) if _sort_key(e, query.sort) > after), len(selected))
    page = selected[start : start + query.limit]
    more = start + query.limit < len(selected)
    next_cursor = encode_cursor(query.sort, _sort_key(page[-1], query.sort)) if more and page else None
    result = ModelPage(
        models=[e.summary() for e in page],
        total=len(selected),
        next_cursor=next_cursor,
        facets=facets(selected),
        complete=complete,
    )
    return result, page


def first_page(entries: Sequence[Entry], certain: int, query: ModelQuery) -> tuple[ModelPage, list[Entry]]:
    """Page 1 in name order while the catalog is still loading (``entries[:certain]`` are in place).

    ``models`` and ``next_cursor`` are exact; ``total`` and ``facets`` count what is loaded so far.
    """
    page = list(entries[: min(certain, query.limit)])
    next_cursor = encode_cursor("name", _sort_key(page[-1], "name")) if page else None
    return ModelPage(
        models=[e.summary() for e in page],
        total=len(entries),
        next_cursor=next_cursor,
        facets=facets(entries),
        complete=False,
    ), page
