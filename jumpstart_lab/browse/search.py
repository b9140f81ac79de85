"""In-memory search, filters, facets, sorting and keyset paging over catalog entries."""

from __future__ import annotations

import base64
import binascii
import json
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from .. import validation
from ..errors import InvalidInput
from .entries import FACT_FIELDS, Entry
from .models import Facets, ModelPage, ModelQuery

TEXT_FILTERS = ("task", "provider", "framework", "license")


def needs_full_catalog(query: ModelQuery) -> bool:
    """True unless the answer is a prefix of the catalog in name order (page 1, no filter)."""
    filtered = any(
        getattr(query, name) is not None
        for name in ("q", *TEXT_FILTERS, "gated", "trainable", "model_type", "instance_type")
    )
    return filtered or query.sort != "name" or query.cursor is not None


def facts_needed(query: ModelQuery) -> tuple[str, ...]:
    """Facts every entry must have before this query can be answered from the full catalog: all of
    them, since the facets count every one (task ... license, gated, trainable, model type, instance types)."""
    return tuple(sorted(FACT_FIELDS))


def _sort_key(entry: Entry, sort: str) -> tuple[Any, ...]:
    """``name``: by model id; ``title``: by the name shown (display name, case-insensitive); ``newest``."""
    if sort == "newest":
        return (-entry.created, entry.model_id)
    if sort == "title":
        return ((entry.display_name or entry.model_id).casefold(), entry.model_id)
    return (entry.model_id,)


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
    shape = {"newest": (float, str), "title": (str, str)}.get(sort, (str,))
    if len(key) != len(shape):
        raise bad
    if not all(isinstance(v, t) or (t is float and isinstance(v, int)) for v, t in zip(key, shape, strict=True)):
        raise bad
    return tuple(key)


def select(entries: Iterable[Entry], query: ModelQuery) -> list[Entry]:
    """The entries that match every filter of ``query`` (order kept)."""
    selected = list(entries)
    for term in (query.q or "").lower().split():
        selected = [e for e in selected if term in e.haystack]
    for name in TEXT_FILTERS:
        wanted = getattr(query, name)
        if wanted is not None:
            wanted = wanted.lower()
            selected = [e for e in selected if (getattr(e, name) or "").lower() == wanted]
    if query.gated is not None:
        selected = [e for e in selected if bool(e.gated) == query.gated]
    if query.trainable is not None:
        selected = [e for e in selected if bool(e.trainable) == query.trainable]
    if query.model_type is not None:
        selected = [e for e in selected if e.model_type == query.model_type]
    if query.instance_type is not None:  # one type, or several separated by commas (any of them)
        wanted = set(query.instance_type.split(","))
        selected = [e for e in selected if wanted & (e.instance_types or frozenset())]
    return selected


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _filterable_instance_type(value: str) -> bool:
    try:
        validation.instance_type(value)
    except InvalidInput:
        return False
    return True


def facets(entries: Sequence[Entry]) -> Facets:
    """Counts of each facet value over ``entries`` (most frequent first), keyed as the query takes them:
    ``gated`` / ``trainable`` by ``"true"`` / ``"false"``, ``instance_type`` by each type a model deploys on.
    Facts not known yet (None) are not counted."""
    counters = {
        "task": Counter(e.task for e in entries),
        "provider": Counter(e.provider for e in entries),
        "framework": Counter(e.framework for e in entries),
        "license": Counter(e.license for e in entries),
        "gated": Counter(_flag(e.gated) for e in entries),
        "trainable": Counter(_flag(e.trainable) for e in entries),
        "model_type": Counter(e.model_type for e in entries),
        "instance_type": Counter(t for e in entries for t in e.instance_types or ()),
    }
    for value in [v for v in counters["instance_type"] if not _filterable_instance_type(v)]:
        del counters["instance_type"][value]  # a facet value is one the filter takes
    return Facets.model_construct(
        **{
            name: dict(sorted(((v, n) for v, n in counter.items() if v), key=lambda kv: (-kv[1], kv[0])))
            for name, counter in counters.items()
        }
    )


class Selection:
    """The filtered, sorted entries of one query over one catalog snapshot, with their facets."""

    def __init__(self, entries: Sequence[Entry], query: ModelQuery) -> None:
        self.entries = select(entries, query)
        if query.sort != "name":
            self.entries.sort(key=lambda e: _sort_key(e, query.sort))
        self.keys = [_sort_key(e, query.sort) for e in self.entries]
        self.facets = facets(self.entries)


def selection_key(query: ModelQuery) -> tuple[Any, ...]:
    """What a :class:`Selection` depends on (not the page size or the cursor)."""
    return tuple(getattr(query, n) for n in ("q", *TEXT_FILTERS, "gated", "trainable", "model_type", "instance_type",
                                              "sort"))  # fmt: skip


def search(
    entries: Sequence[Entry], query: ModelQuery, *, cache: dict[tuple[Any, ...], Selection] | None = None
) -> tuple[ModelPage, list[Entry]]:
    """The page of ``entries`` (already in name order) for ``query``, plus the entries on it.

    ``cache`` (one per immutable catalog snapshot) keeps selections, so paging and repeated
    queries cost only the page.
    """
    key = selection_key(query)
    chosen = cache.get(key) if cache is not None else None
    if chosen is None:
        chosen = Selection(entries, query)
        if cache is not None:
            if len(cache) >= 256:
                cache.clear()
            cache[key] = chosen
    start = bisect_right(chosen.keys, decode_cursor(query.cursor, query.sort)) if query.cursor else 0
    page = chosen.entries[start : start + query.limit]
    more = start + query.limit < len(chosen.entries)
    next_cursor = encode_cursor(query.sort, chosen.keys[start + len(page) - 1]) if more and page else None
    result = ModelPage(
        models=[e.summary() for e in page],
        total=len(chosen.entries),
        next_cursor=next_cursor,
        facets=chosen.facets,
        complete=True,
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
