"""Listing one hub: the background job that fetches its catalog, and the snapshots it publishes.

1. The first ListHubContents page of each content type (name order) is published at once: page 1 of the
   panel needs nothing else (``complete`` false, facts from keywords).
2. The rest of the listing is paged in parallel over disjoint creation-time windows (learnt from the previous
   snapshot, else from the creation times on page 1; a full window page splits the rest of its window,
   ``fanout.py``), falling back to sequential NextToken paging when the windows do not add up to one listing.
3. Documents: ``Search(Resource="HubContent")`` pages over the same windows give every model's document in a
   few calls (each page's facts are read as it arrives, only the fields they need: ``doc_facts.py``); what
   Search refuses or does not cover falls back to DescribeHubContent (``facts.py``). Facts of
   versions known before (the previous snapshot) are reused: only new versions are read. ModelReferences take
   their facts from the public hub's entries when there are many of them.

A load started from a stored snapshot (a restarted server) publishes it at once, marked stale, and replaces
it when its revalidation (steps 1-3) is done.
"""

from __future__ import annotations

import logging
import threading
import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from typing import Any, Protocol

from .. import validation
from ..errors import JumpStartLabError
from .cache import submit
from .doc_facts import facts_of
from .entries import Entry, entry_from_summary, public_name
from .facts import Facts
from .fanout import PagingInconsistent, fan_out
from .models import ModelQuery
from .reader import HubReader, Window
from .search import Selection
from .snapshots import Stored
from .windows import epoch, learnt, merge, sampled

log = logging.getLogger(__name__)

PUBLIC = validation.PUBLIC_HUB
#: Document reads of a loading hub start once page 1 is delivered (``HubLoad.release_facts``), at the
#: latest this long after the first ListHubContents page: dozens of boto3 calls starting at once would
#: hold the GIL while page 1 is being answered.
FACTS_GRACE_SECONDS = 0.5
#: A load served from a stored snapshot revalidates this long after its stale reply went out
#: (``HubLoad.delivered``), or after publishing it when no reply says so in that time: parsing the parallel
#: window pages would otherwise slow down the very reply the snapshot is for.
REVALIDATE_AFTER_SECONDS = 1.0
SEARCH_AT_LEAST = 8  # fewer new versions than this: DescribeHubContent each rather than Search pages
REFERENCE_DOCUMENTS = 64  # up to this many references take documents rather than wait for the public catalog


@dataclass
class Snapshot:
    """Entries of a hub in name order. ``complete`` false = only the first page(s) so far."""

    entries: list[Entry]
    complete: bool
    certain: int  # entries[:certain] are in their final place (a prefix of the whole catalog)
    saved_at: float | None = None  # set when served from a stored snapshot not yet revalidated
    by_id: dict[str, Entry] = field(default_factory=dict)
    selections: dict[tuple[Any, ...], Selection] = field(default_factory=dict)  # query -> result (complete only)

    def __post_init__(self) -> None:
        self.by_id = {e.model_id: e for e in self.entries}


class LoadContext(Protocol):
    """What a load needs from the catalog (and nothing else)."""

    pool: Executor  # parallel pages and Search windows
    fact_pool: Executor  # DescribeHubContent fallback
    facts: Facts

    def client(self, service: str) -> Any: ...

    def public_entries(self, wait: bool) -> dict[str, Entry] | None: ...

    def loaded(self, load: HubLoad, snapshot: Snapshot) -> None: ...

    def revalidation_failed(self, load: HubLoad, exc: BaseException) -> None: ...


class HubLoad:
    """The background job that lists one hub: ``first`` = first page(s), ``done`` = everything."""

    def __init__(
        self, ctx: LoadContext, key: str, ref: str, previous: Stored | None = None, *,
        stored: Callable[[], Stored | None] | None = None,
    ) -> None:  # fmt: skip
        """``previous``: the last load's catalog (windows, known facts); ``stored``: reads the stored snapshot
        (in the job's thread), which is then served at once, marked stale, while the load revalidates it."""
        self.ctx = ctx
        self.key = key
        self.ref = ref
        self.previous = previous
        self._stored = stored
        self.serve_previous = False
        self.first: Future[Snapshot] = Future()
        self.done: Future[Snapshot] = Future()
        self.fresh: Future[Snapshot] = Future()  # the revalidated catalog of a load served from a snapshot
        self.reader = HubReader(self._counted_client, ref)
        self.calls: Counter[str] = Counter()
        self.path = "listing"  # how documents were read: search, search+describe, describe, none (all known)
        self.listing = "sequential"  # windows (parallel) or sequential
        self.note: str | None = None
        self.newest: float | None = None  # the newest creation time known (bounds the last window's splits)
        self._facts_go = threading.Event()
        self._delivered = threading.Event()
        self._lock = threading.Lock()

    def _counted_client(self, service: str) -> Any:
        return _Counting(self.ctx.client(service), self.calls, self._lock)

    def release_facts(self) -> None:
        """Start the document reads now (page 1 is out, or a query needs the whole catalog's facts)."""
        self._facts_go.set()

    def delivered(self) -> None:
        """A page of this load went out: documents may be read, a stale snapshot revalidated."""
        self._facts_go.set()
        self._delivered.set()

    def current(self) -> Snapshot:
        """The newest complete snapshot: the revalidated one once there, else ``done``'s."""
        if self.fresh.done() and self.fresh.exception() is None:
            return self.fresh.result()
        return self.done.result()

    def run(self) -> None:
        if not self.done.set_running_or_notify_cancel():
            return
        try:
            stored = self._stored() if self._stored is not None else None
        except Exception:  # the snapshot is an optimisation: list afresh instead
            log.warning("jumpstart_lab: the stored snapshot of %s could not be read", self.key, exc_info=True)
            stored = None
        if stored is not None:
            self.previous, self.serve_previous = stored, True
        for arn, facts in self.previous.facts.items() if self.previous is not None else ():
            self.ctx.facts.put(arn, facts)  # a version's document never changes
        if stored is not None:
            entries = stored.entries
            stale = Snapshot(entries, complete=True, certain=len(entries), saved_at=stored.saved_at)
            self.first.set_result(stale)
            self.done.set_result(stale)
            self._facts_go.set()
            if self._delivered.wait(REVALIDATE_AFTER_SECONDS):  # the stale answer goes out first
                time.sleep(REVALIDATE_AFTER_SECONDS)
            try:
                self.fresh.set_result(self._load(publish=False))
            except BaseException as exc:
                log.info("jumpstart_lab: revalidating %s failed: %s", self.key, exc)
                self.fresh.set_exception(exc)
                self.ctx.revalidation_failed(self, exc)
            return
        try:
            self.done.set_result(self._load(publish=True))
        except BaseException as exc:
            if not self.first.done():
                self.first.set_exception(exc)
            self.done.set_exception(exc)

    # -- listing ---------------------------------------------------------------------------
    def _load(self, *, publish: bool) -> Snapshot:
        ctx, reader = self.ctx, self.reader
        public_hub = reader.name == PUBLIC
        types = ("Model",) if public_hub else ("Model", "ModelReference")
        known = self._known_times()
        others = {t: submit(ctx.pool, reader.list_page, t, None) for t in types[1:]}
        pages = {types[0]: reader.list_page(types[0])}
        pages.update({t: f.result() for t, f in others.items()})
        items = {t: list(p[0]) for t, p in pages.items()}
        tokens = {t: p[1] for t, p in pages.items()}
        first = sorted((entry_from_summary(reader.name, i) for t in types for i in items[t]), key=lambda e: e.model_id)
        ctx.facts.apply_known(first)
        bounds = [items[t][-1]["HubContentName"] for t in types if tokens[t] and items[t]]
        certain = len(first) if not bounds else bisect_right([e.model_id for e in first], min(bounds))
        if publish:
            self.first.set_result(Snapshot(list(first), complete=not any(tokens.values()), certain=certain))
        release_at = time.monotonic() + FACTS_GRACE_SECONDS
        windows = known
        if not known and tokens["Model"]:  # more than a page: page 1's creation times sample the hub
            windows = self._sampled(items["Model"])
        searching = None
        if tokens["Model"] and not known and windows and any(e.missing() for e in first if e.content_type == "Model"):
            searching = submit(ctx.pool, self._search_after, windows, release_at)  # cold: documents with the rest
        summaries = {t: self._rest(t, items[t], tokens[t], windows if t == "Model" else None) for t in types}
        entries = sorted((entry_from_summary(reader.name, i) for t in types for i in summaries[t]),
                         key=lambda e: e.model_id)  # fmt: skip
        self._documents(entries, searching, windows, release_at)
        snapshot = Snapshot(entries, complete=True, certain=len(entries))
        ctx.loaded(self, snapshot)
        return snapshot

    def _known_times(self) -> list[Window] | None:
        if self.previous is None:
            return None
        times = [e.listed for e in self.previous.entries if e.content_type == "Model" and e.listed]
        self.newest = max(times, default=None)
        return learnt(times) if times else None

    def _sampled(self, page: list[dict[str, Any]]) -> list[Window] | None:
        times = [epoch(i.get("CreationTime")) for i in page]
        if not times or None in times:
            return None  # a service without creation times: sequential paging
        self.newest = max(times)  # type: ignore[type-var]
        return sampled(times)  # type: ignore[arg-type]

    def _rest(
        self, content_type: str, first: list[dict[str, Any]], token: str | None, windows: list[Window] | None
    ) -> list[dict[str, Any]]:
        """Every summary of one content type: windows in parallel when they add up, else NextToken paging."""
        if not token:
            return first
        if windows and len(windows) > 1:
            try:
                found = fan_out(self.ctx.pool, lambda w, t: self.reader.list_page(content_type, t, w), windows,
                                _name, self.newest)  # fmt: skip
                merged = merge(windows, found, first)
            except JumpStartLabError as exc:
                log.info("jumpstart_lab: windowed listing of %s refused: %s", self.key, exc.message)
                merged = None
            if merged is not None:
                self.listing = "windows"
                return merged
            self.note = "creation-time windows did not add up; listed page by page"
        items = list(first)
        while token:
            page, token = self.reader.list_page(content_type, token)
            items += page
        return items

    # -- documents -------------------------------------------------------------------------
    def _search_after(self, windows: list[Window], release_at: float) -> dict[str, dict[str, Any]]:
        self._facts_go.wait(max(0.0, release_at - time.monotonic()))
        return self._search(windows)

    def _search(self, windows: list[Window]) -> dict[str, dict[str, Any]]:
        """Document facts by HubContentArn of every version Search lists in ``windows`` (read page by page, as
        they arrive; the documents themselves are not kept)."""
        found: dict[str, dict[str, Any]] = {}

        def read(records: list[dict[str, Any]]) -> None:
            for record in records:
                arn = record.get("HubContentArn")
                if isinstance(arn, str) and arn not in found:
                    try:
                        found[arn] = facts_of(record.get("HubContentDocument"))
                    except ValueError:  # not JSON: its facts stay unknown (DescribeHubContent tries again)
                        log.info("jumpstart_lab: unreadable document in a Search record of %s", arn)

        try:
            fan_out(self.ctx.pool, lambda w, t: self.reader.search_page("Model", w, t), windows, _arn, self.newest,
                    read)  # fmt: skip
        except PagingInconsistent:  # page the whole hub in one sequence instead
            records, token = self.reader.search_page("Model", Window())
            read(records)
            while token:
                records, token = self.reader.search_page("Model", Window(), token)
                read(records)
        return found

    def _documents(
        self, entries: list[Entry], searching: Future[dict[str, dict[str, Any]]] | None,
        windows: list[Window] | None, release_at: float,
    ) -> None:  # fmt: skip
        facts = self.ctx.facts
        missing = facts.apply_known(entries)
        models = [e for e in missing if e.content_type == "Model"]
        if searching is None and len(models) >= SEARCH_AT_LEAST:
            searching = submit(self.ctx.pool, self._search_after, windows or [Window()], release_at)
        searched = 0
        if searching is not None:
            try:
                found = searching.result()
                for entry in models:
                    read = found.get(entry.hub_content_arn)
                    if read is not None:
                        facts.put(entry.hub_content_arn, read)
                        searched += 1
            except JumpStartLabError as exc:
                self.note = f"Search refused ({exc.code}): documents read one by one"
                log.info("jumpstart_lab: Search unavailable for %s: %s", self.key, exc.message)
        models = facts.apply_known(models)
        refs = [e for e in missing if e.content_type == "ModelReference"]
        if refs:
            public = self.ctx.public_entries(wait=len(refs) > REFERENCE_DOCUMENTS)
            for entry in refs if public else ():
                match = public.get(public_name(entry))  # type: ignore[union-attr]
                if match is not None:
                    entry.apply(match.facts())
        rest = models + [e for e in refs if e.missing()]
        self._facts_go.wait(max(0.0, release_at - time.monotonic()))
        fetches = [facts.describe(self.ctx.fact_pool, self.describe, e) for e in rest]
        for fetch in fetches:
            fetch.result()
        self.path = _path(searched, len(rest), bool(models or refs or searching))

    def describe(self, entry: Entry) -> dict[str, Any]:
        return self.reader.describe(entry.content_type, entry.model_id, entry.version)

    def status(self) -> dict[str, Any]:
        stale = self.done.done() and self.done.exception() is None and self.done.result().saved_at is not None
        fresh = self.fresh.done() and self.fresh.exception() is None
        return {
            "documents": self.path,
            "listing": self.listing,
            "calls": dict(sorted(self.calls.items())),
            "stale": stale and not fresh,
            "note": self.note,
        }


def _name(item: dict[str, Any]) -> str:
    return item["HubContentName"]


def _arn(item: dict[str, Any]) -> str:
    return str(item.get("HubContentArn"))


def _path(searched: int, described: int, needed: bool) -> str:
    if not needed:
        return "none"  # keywords and facts of versions read before said everything
    if searched and described:
        return "search+describe"
    return "search" if searched else "describe"


class _Counting:
    """A client proxy that counts calls by action (``list_hub_contents`` -> ``ListHubContents``)."""

    def __init__(self, client: Any, calls: Counter[str], lock: threading.Lock) -> None:
        self._client, self._calls, self._lock = client, calls, lock

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._client, name)

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                self._calls["".join(p.title() for p in name.split("_"))] += 1
            return method(*args, **kwargs)

        return call


def first_page_enough(snapshot: Snapshot, query: ModelQuery) -> bool:
    return snapshot.complete or snapshot.certain >= query.limit
