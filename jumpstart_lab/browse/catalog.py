"""Hub discovery and the cached, searchable model catalog of each hub.

One :class:`Catalog` per server. Blocking methods (``list_hubs``, ``search``,
``model_detail``, ``model_document``) are for threads; the ``*_ready`` methods return
futures an event loop can await without holding a thread while AWS answers.

Per hub, one background job (``loading.HubLoad``; concurrent requests share it) lists the
hub and reads the documents behind the list-page facts in bulk; the first page is published
as soon as it arrives, so page 1 of a cold hub costs one ListHubContents round trip. Facts
are kept by versioned HubContentArn (``facts.py``); catalogs for ``ttl_seconds``, and on disk
(``snapshots.py``) when a snapshot directory is given: a restarted server answers from it at
once (``stale``) while it revalidates. Single-model reads are in ``content.py``.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor, wait
from pathlib import Path
from typing import Any

from .. import validation
from ..aws.session import AwsContext
from ..errors import JumpStartLabError
from . import lean_search
from .cache import Call, JobCache, Prestart
from .content import Contents
from .discovery import HubDiscovery, owner_of
from .entries import Entry
from .facts import Facts
from .loading import HubLoad, Snapshot, first_page_enough
from .models import Hub, HubList, ModelDetail, ModelDocument, ModelPage, ModelQuery
from .reader import hub_errors
from .search import first_page, needs_full_catalog, search
from .snapshots import SnapshotStore, Stored

log = logging.getLogger(__name__)

PUBLIC = validation.PUBLIC_HUB
RETRIES = 3  # throttling: retried with backoff (a few seconds at most), then 503
SAVE_DELAY_SECONDS = 0.25  # a finished load's snapshot is written this long after its reply
PRESTARTED = 32  # threads of the page pool started with the catalog: a cold load's first round of pages
RESTORED_AT_MOST = 16  # hub snapshots read when the server starts (newest first); others are read on first use


class Catalog:
    """Hubs the caller can use, and each hub's models (cached per hub)."""

    def __init__(
        self,
        aws: AwsContext,
        *,
        extra_hubs: tuple[str, ...] = (),
        ttl_seconds: float = 900.0,
        local: bool = False,
        snapshot_dir: Path | None = None,
    ) -> None:
        self.aws = aws
        self.extra_hubs = tuple(extra_hubs)
        self.ttl_seconds = ttl_seconds
        self.local = local
        # list jobs wait on pool tasks and on the public hub's job; those tasks never wait on list jobs.
        # pool serves what a user waits for (details, pages, Search windows); fact_pool the DescribeHubContent
        # fallback of a whole catalog, so a detail never queues behind a thousand of them
        self.list_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="jumpstart-catalog")
        self.public_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jumpstart-public")
        self.pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="jumpstart-docs")
        self.fact_pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="jumpstart-facts")
        self.save_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jumpstart-snapshots")
        self._hub_lists: JobCache[Call[HubList]] = JobCache(self.list_pool, ttl_seconds)
        self._loads: JobCache[HubLoad] = JobCache(self.list_pool, ttl_seconds)
        self._public_loads: JobCache[HubLoad] = JobCache(self.public_pool, ttl_seconds)
        self._documents: JobCache[Call[Any]] = JobCache(self.pool, ttl_seconds, max_items=512)
        self._closed = threading.Event()
        self.facts = Facts(self._closed)
        self._account: str | None = None
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        settings = getattr(aws, "settings", None)
        where = "local" if local else (getattr(settings, "endpoint_url", None) or "aws")  # the demo's port varies
        scope = f"{where}|{aws.region}|{getattr(settings, 'profile', None) or ''}"
        self.snapshots = SnapshotStore(snapshot_dir, scope) if snapshot_dir is not None else None
        self._restored: set[str] = set()  # hubs whose stored snapshot this process has read
        self._restore: Future[dict[str, Stored]] | None = None  # snapshots read at start (restore_snapshots)
        self._restored_names: list[str] | None = None  # for status: the hubs that restore found
        self._last: dict[str, HubLoad] = {}  # the latest load of each hub (status)
        self.discovery = HubDiscovery(aws, self.extra_hubs, self.pool, self.client)
        self.contents = Contents(self.client, self._documents, self._content_type, self._key)
        # load the service model before the first request
        self._client_ready: Future[Any] = self.list_pool.submit(self.client, "sagemaker")
        self._prestart = Prestart(self.pool, PRESTARTED)
        self.list_pool.submit(self._prestart.run)

    def client(self, service: str) -> Any:
        """One boto3 client per service for all catalog threads (clients are thread-safe; a
        per-thread session would load the service model again in every thread)."""
        client = self._clients.get(service)
        if client is None:
            with self._clients_lock:
                client = self._clients.get(service)
                if client is None:
                    client = self._clients[service] = self.aws.client(service, max_attempts=RETRIES)
                    if service == "sagemaker":
                        lean_search.install(client)
        return client

    # -- hubs ------------------------------------------------------------------------------
    def hubs_ready(self, *, refresh: bool = False) -> Future[HubList]:
        return self._hub_lists.get("hubs", lambda: Call(self._discover), refresh=refresh).done

    def _discover(self) -> HubList:
        result = self.discovery.discover()
        self._account = self.discovery.account or self._account
        return result

    def list_hubs(self, *, refresh: bool = False) -> HubList:
        return self.hubs_ready(refresh=refresh).result()

    def hub(self, name_or_arn: str) -> Hub:
        """The hub as listed (or probed with DescribeHub when it is not in the list)."""
        ref = validation.hub_name_or_arn(name_or_arn)
        name = validation.hub_name_from(ref)
        listing = self.list_hubs()
        for hub in listing.hubs:
            if hub.arn == ref or (hub.name == name and not ref.startswith("arn:")):
                return hub
        with hub_errors(ref):
            reply = self.client("sagemaker").describe_hub(HubName=ref)
        owner = owner_of(reply["HubArn"])
        shared = bool(self._account) and owner != self._account
        kind = "public" if reply["HubName"] == PUBLIC else ("shared" if shared else "private")
        return Hub(
            name=reply["HubName"],
            arn=reply["HubArn"],
            display_name=reply.get("HubDisplayName") or None,
            description=reply.get("HubDescription") or None,
            kind=kind,
            owner_account=owner,
            status=reply.get("HubStatus", "InService"),
        )

    # -- catalog ---------------------------------------------------------------------------
    def _key(self, ref: str) -> str:
        """One cache key per hub, whether it was named or given as an ARN."""
        match = validation.HUB_ARN.fullmatch(ref)
        if match and (match["account"] == "aws" or match["account"] == self._account):
            return match["name"]
        return ref

    def _load(self, hub: str, *, refresh: bool = False) -> HubLoad:
        ref = validation.hub_name_or_arn(hub)
        key = self._key(ref)
        cache = self._public_loads if key == PUBLIC else self._loads

        current = cache.peek(key)  # (make runs under the cache's lock: no peeking there)
        last = None
        if current is not None and current.done.done() and current.done.exception() is None:
            last = Stored(current.current().entries, {}, 0.0, "")  # windows and known facts of the last load

        def make() -> HubLoad:
            previous, stored = last, None
            if last is None and self.snapshots is not None and key not in self._restored:
                self._restored.add(key)
                if refresh:  # listed afresh; what the snapshot read at start knows spares document reads
                    previous = self._restored_now(key)
                else:
                    stored = functools.partial(self._stored, key, validation.hub_name_from(ref))
            load = HubLoad(self, key, ref, previous, stored=stored)
            self._last[key] = load
            return load

        return cache.get(key, make, refresh=refresh)

    # -- snapshots -------------------------------------------------------------------------
    def restore_snapshots(self) -> None:
        """Read the stored snapshots in the background (when the server starts), so a hub's first query answers
        from memory instead of decoding its snapshot then; a query that comes earlier waits for this read rather
        than reading again. Nothing is listed here: a restored hub revalidates on its first use."""
        store = self.snapshots
        if store is None or self._restore is not None:
            return
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="jumpstart-restore")
        self._restore = pool.submit(self._read_snapshots, store)
        pool.shutdown(wait=False)  # the thread ends with this one job

    def _read_snapshots(self, store: SnapshotStore) -> dict[str, Stored]:
        started = time.monotonic()
        try:
            found = store.load_all(validation.hub_name_from, most=RESTORED_AT_MOST, stop=self._closed)
        except Exception:  # the snapshots are an optimisation: hubs are listed afresh
            log.warning("jumpstart_lab: reading the catalog snapshots at start failed", exc_info=True)
            found = {}
        took = time.monotonic() - started
        names = sorted(validation.hub_name_from(k) for k in found)
        if found:
            # The start-up reads (these snapshots, botocore's SageMaker model) leave a few hundred thousand new
            # long-lived objects, so CPython's next full collection (150-350 ms in a Jupyter server here) would
            # come at a random moment soon after, often inside the first query the snapshots are for: collect
            # once now, still in the background, instead.
            wait([self._client_ready], timeout=30)
            gc.collect()
            models = sum(len(s.entries) for s in found.values())
            log.info("jumpstart_lab: catalog snapshots read at start in %.0f ms: %s (%d models)",
                     took * 1000, ", ".join(names), models)  # fmt: skip
        self._restored_names = names
        return found

    def _stored(self, key: str, hub: str) -> Stored | None:
        """The stored snapshot of a hub for its first load (in the load's thread): the one read at start, else
        read now."""
        restore = self._restore
        if restore is not None:
            found = restore.result()
            if key in found:
                return found.pop(key)
        assert self.snapshots is not None
        return self.snapshots.load(key, hub)

    def _restored_now(self, key: str) -> Stored | None:
        """The hub's snapshot read at start, if that read is done (never waits)."""
        restore = self._restore
        if restore is None or not restore.done() or restore.exception() is not None:
            return None
        return restore.result().pop(key, None)

    # LoadContext -------------------------------------------------------------------------
    def public_entries(self, wait: bool) -> dict[str, Entry] | None:
        """The public hub's entries by id: loaded for this if ``wait``, else only if already there."""
        if not wait:
            job = self._public_loads.peek(PUBLIC)
            if job is None or not job.done.done() or job.done.exception() is not None:
                return None
            return job.current().by_id
        try:
            load = self._load(PUBLIC)
            load.release_facts()
            load.done.result()
            return load.current().by_id
        except JumpStartLabError as exc:
            log.info("jumpstart_lab: public hub unavailable for reference facts: %s", exc.message)
            return None

    def revalidation_failed(self, load: HubLoad, exc: BaseException) -> None:
        """A hub served from its stored snapshot could not be listed again (gone, denied, AWS down): stop
        serving the snapshot; the next request lists it afresh and shows why."""
        cache = self._public_loads if load.key == PUBLIC else self._loads
        cache.invalidate(lambda k: k == load.key)

    def loaded(self, load: HubLoad, snapshot: Snapshot) -> None:
        """A load finished: keep its snapshot on disk (atomically; failures are logged), in the background
        and ``SAVE_DELAY_SECONDS`` later, so writing it never holds the GIL the waiting reply needs; a save
        still pending when the catalog closes is written then."""
        if self.snapshots is None or self._closed.is_set():
            return
        store = self.snapshots

        def save() -> None:
            self._closed.wait(SAVE_DELAY_SECONDS)
            entries = snapshot.entries
            store.save(load.key, entries, self.facts.known(e.hub_content_arn for e in entries), load.path)

        try:
            self.save_pool.submit(save)
        except RuntimeError:  # closing
            pass

    # -- search ----------------------------------------------------------------------------
    def search_ready(self, hub: str, query: ModelQuery) -> Future[Any]:
        """Resolves when ``search(hub, query)`` can answer from memory."""
        load = self._load(hub, refresh=query.refresh)
        if load.done.done() or needs_full_catalog(query):
            load.release_facts()  # the answer needs every model's facts
            return load.done
        out: Future[Any] = Future()

        def relay(source: Future[Any]) -> None:
            if source.exception() is not None:
                out.set_exception(source.exception())  # type: ignore[arg-type]
            else:
                out.set_result(None)

        def on_first(first: Future[Snapshot]) -> None:
            if first.exception() is not None:
                relay(first)
                return
            if not first_page_enough(first.result(), query):
                load.release_facts()
                load.done.add_done_callback(relay)
                return
            out.set_result(None)  # page 1 answers from the ListHubContents page alone (see page_delivered)

        load.first.add_done_callback(on_first)
        return out

    def search(self, hub: str, query: ModelQuery) -> ModelPage:
        """A page of the hub's models (see :class:`ModelQuery`); blocks only while the hub loads.

        While the catalog is still loading, page 1 in name order comes from the first
        ListHubContents page: ``complete`` is false, facts whose documents are still being
        read are null, and ``total`` / ``facets`` count what is loaded so far. From a stored
        snapshot not yet revalidated: ``stale`` true with its ``age_seconds``.
        """
        self.search_ready(hub, query).result()
        load = self._load(hub)
        if not load.done.done():
            snapshot = load.first.result()  # search_ready resolved on it: page 1 is in place
            return first_page(snapshot.entries, snapshot.certain, query)[0]
        snapshot = load.current()
        page, shown = search(snapshot.entries, query, cache=snapshot.selections)
        missing = [e for e in shown if e.missing()]
        if missing:  # a document that could not be read before: try once more
            for fetch in [self.facts.describe(self.pool, load.describe, e) for e in missing]:
                fetch.result()
            page = page.model_copy(update={"models": [e.summary() for e in shown]})
        if snapshot.saved_at is not None:
            age = max(0.0, time.time() - snapshot.saved_at)
            page = page.model_copy(update={"stale": True, "age_seconds": round(age, 1)})
        return page

    def page_delivered(self, hub: str, page: ModelPage) -> None:
        """Page 1 of a loading hub went out (``complete`` false): the load may read documents now; or a page
        of a stored snapshot (``stale``): the load revalidates ``REVALIDATE_AFTER_SECONDS`` later. Without this
        call it starts them on its own after ``FACTS_GRACE_SECONDS`` / ``REVALIDATE_AFTER_SECONDS``."""
        self._load(hub).delivered()

    def status(self) -> dict[str, Any]:
        """How each hub loaded: documents by Search / DescribeHubContent / keywords, windows or sequential
        listing, AWS calls of its latest load by action, stale (served from a stored snapshot)."""
        hubs = {}
        for key, load in list(self._last.items()):
            if load.done.done() and load.done.exception() is None:
                hubs[validation.hub_name_from(key)] = load.status()
        return {
            "hubs": hubs,
            "snapshots": str(self.snapshots.directory) if self.snapshots else None,
            "restored": self._restored_names,
        }

    def invalidate(self, hub: str | None = None) -> None:
        """Forget cached catalogs, documents and facts (of one hub, or all and the hub list)."""
        if hub is None:
            for cache in (self._hub_lists, self._loads, self._public_loads, self._documents):
                cache.invalidate()
            self.facts.forget()
            return
        key = self._key(validation.hub_name_or_arn(hub))
        self._loads.invalidate(lambda k: k == key)
        self._public_loads.invalidate(lambda k: k == key)
        self._documents.invalidate(lambda k: isinstance(k, tuple) and k[0] == key)
        marker = f":hub-content/{validation.hub_name_from(key)}/"
        self.facts.forget(lambda arn: marker in arn)

    # -- documents -------------------------------------------------------------------------
    def _content_type(self, ref: str, model_id: str) -> str | None:
        """Model or ModelReference, if the cached catalog knows; None when it does not."""
        if validation.hub_name_from(ref) == PUBLIC:
            return "Model"
        key = self._key(ref)
        load = (self._public_loads if key == PUBLIC else self._loads).peek(key)
        for future in (load.done, load.first) if load else ():
            if future.done() and future.exception() is None:
                entry = future.result().by_id.get(model_id)
                if entry is not None:
                    return entry.content_type
        return None

    def document_ready(self, hub: str, model_id: str, version: str | None = None) -> Future[ModelDocument]:
        return self.contents.document_ready(hub, model_id, version)

    def model_document(self, hub: str, model_id: str, version: str | None = None) -> ModelDocument:
        """The parsed document of a model version (latest when ``version`` is None); cached."""
        return self.contents.model_document(hub, model_id, version)

    def model_detail(self, hub: str, model_id: str, version: str | None = None) -> ModelDetail:
        """Everything the detail view shows about one model version."""
        return self.contents.model_detail(hub, model_id, version)

    def close(self) -> None:
        # No cancel_futures: cancelling runs done-callbacks in this thread under the pool's shutdown lock,
        # and a callback that takes a lock a worker holds while submitting deadlocks.
        # Queued fact fetches see _closed and return at once instead.
        self._closed.set()
        self._prestart.stop()
        for pool in (self.list_pool, self.public_pool, self.pool, self.fact_pool):
            pool.shutdown(wait=False)
        self.save_pool.shutdown(wait=True)  # snapshots of loads already done (each a write of a few ms)
