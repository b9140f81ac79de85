"""Hub discovery and the cached, searchable model catalog of each hub.

One :class:`Catalog` per server. Blocking methods (``list_hubs``, ``search``,
``model_detail``, ``model_document``) are for threads; the ``*_ready`` methods return
futures an event loop can await without holding a thread while AWS answers.

Per hub, ListHubContents pages are fetched once, in sequence, by one background job
(concurrent requests share it); the first page is published as soon as it arrives, so
page 1 of a cold hub costs one ListHubContents round trip. Facts the summaries do not
carry are taken from the public hub's entry (ModelReferences) or from documents,
fetched in parallel on a bounded pool. Everything is kept for ``ttl_seconds``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Literal

from .. import validation
from ..aws.session import AwsContext
from ..errors import JumpStartLabError, NotFound
from . import documents as docs
from .cache import Call, JobCache, submit
from .detail import build_detail
from .discovery import HubDiscovery, owner_of
from .entries import Entry, document_facts, public_name, public_name_from_arn
from .loading import PAGE_SIZE, HubLoad, Snapshot, first_page_enough, hub_errors
from .models import Hub, HubList, ModelDetail, ModelDocument, ModelPage, ModelQuery
from .search import first_page, needs_full_catalog, search

log = logging.getLogger(__name__)

PUBLIC = validation.PUBLIC_HUB
REFERENCE_DOCUMENTS = 64  # up to this many references take documents rather than wait for the public catalog
RETRIES = 3  # throttling: retried with backoff (a few seconds at most), then 503


class Catalog:
    """Hubs the caller can use, and each hub's models (cached per hub)."""

    def __init__(
        self, aws: AwsContext, *, extra_hubs: tuple[str, ...] = (), ttl_seconds: float = 900.0, local: bool = False
    ) -> None:
        self.aws = aws
        self.extra_hubs = tuple(extra_hubs)
        self.ttl_seconds = ttl_seconds
        self.local = local
        # list jobs may wait on doc/fact pool tasks and on the public hub's job; those tasks never wait.
        # doc_pool serves what a user waits for (details, probes, page 1); fact_pool the background
        # document fetches of a whole catalog, so a detail never queues behind a thousand of them
        self.list_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="jumpstart-catalog")
        self.public_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="jumpstart-public")
        self.doc_pool = ThreadPoolExecutor(max_workers=64, thread_name_prefix="jumpstart-docs")
        self.fact_pool = ThreadPoolExecutor(max_workers=32, thread_name_prefix="jumpstart-facts")
        self._hub_lists: JobCache[Call[HubList]] = JobCache(self.list_pool, ttl_seconds)
        self._loads: JobCache[HubLoad] = JobCache(self.list_pool, ttl_seconds)
        self._public_loads: JobCache[HubLoad] = JobCache(self.public_pool, ttl_seconds)
        self._documents: JobCache[Call[Any]] = JobCache(self.doc_pool, ttl_seconds, max_items=512)
        self._facts: dict[str, dict[str, Any]] = {}  # hub content ARN (versioned) -> document facts
        self._facts_lock = threading.Lock()
        self._fact_jobs: dict[str, Future[None]] = {}  # in-flight document fetches for facts
        self._closed = threading.Event()
        self._account: str | None = None
        self._clients: dict[str, Any] = {}
        self._clients_lock = threading.Lock()
        self.discovery = HubDiscovery(aws, self.extra_hubs, self.doc_pool, self.client)
        self.list_pool.submit(self.client, "sagemaker")  # load the service model before the first request

    def client(self, service: str) -> Any:
        """One boto3 client per service for all catalog threads (clients are thread-safe; a
        per-thread session would load the service model again in every thread)."""
        client = self._clients.get(service)
        if client is None:
            with self._clients_lock:
                client = self._clients.get(service)
                if client is None:
                    client = self._clients[service] = self.aws.client(service, max_attempts=RETRIES)
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

        return cache.get(key, lambda: HubLoad(self, key, ref), refresh=refresh)

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
        fetched are null, and ``total`` / ``facets`` count what is loaded so far.
        """
        self.search_ready(hub, query).result()
        load = self._load(hub)
        if not load.done.done():
            snapshot = load.first.result()  # search_ready resolved on it: page 1 is in place
            return first_page(snapshot.entries, snapshot.certain, query)[0]
        snapshot = load.done.result()
        page, shown = search(snapshot.entries, query, cache=snapshot.selections)
        if any(e.missing() for e in shown):  # a document that could not be read before: try once more
            self.wait(self.fill_facts(validation.hub_name_or_arn(hub), shown, public="loaded"))
            page = page.model_copy(update={"models": [e.summary() for e in shown]})
        return page

    def page_delivered(self, hub: str, page: ModelPage) -> None:
        """Page 1 of a loading hub went out (``complete`` false): fetch the documents behind its
        facts first, then let the hub's load fetch the rest. Without this call the load starts
        them on its own after ``FACTS_GRACE_SECONDS``."""
        load = self._load(hub)
        if load.first.done() and load.first.exception() is None:
            by_id = load.first.result().by_id
            shown = [by_id[m.model_id] for m in page.models if m.model_id in by_id]
            self.fill_facts(load.ref, shown, public="loaded")
        load.release_facts()

    def invalidate(self, hub: str | None = None) -> None:
        """Forget cached catalogs, documents and facts (of one hub, or all and the hub list)."""
        if hub is None:
            for cache in (self._hub_lists, self._loads, self._public_loads, self._documents):
                cache.invalidate()
            with self._facts_lock:
                self._facts.clear()
            return
        key = self._key(validation.hub_name_or_arn(hub))
        self._loads.invalidate(lambda k: k == key)
        self._public_loads.invalidate(lambda k: k == key)
        self._documents.invalidate(lambda k: isinstance(k, tuple) and k[0] == key)
        marker = f":hub-content/{validation.hub_name_from(key)}/"
        with self._facts_lock:
            for arn in [a for a in self._facts if marker in a]:
                del self._facts[arn]

    # -- facts -----------------------------------------------------------------------------
    def fill_facts(
        self, ref: str, entries: list[Entry], *, public: Literal["wait", "loaded", "no"], background: bool = False
    ) -> list[Future[None]]:
        """Start filling facts the summaries did not state; returns the document fetches started.

        Known document facts are reused. A ModelReference takes them from the public hub's entry
        (one catalog fetch instead of one DescribeHubContent per model): ``wait`` loads the public
        catalog if needed (for more than ``REFERENCE_DOCUMENTS`` references), ``loaded`` uses it only
        if it is already there. The rest: documents.
        """
        missing = [e for e in entries if e.missing()]
        if not missing:
            return []
        with self._facts_lock:
            for entry in missing:
                entry.fill(self._facts.get(entry.hub_content_arn, {}))
        refs = [e for e in missing if e.content_type == "ModelReference" and e.missing()]
        if public == "wait" and len(refs) <= REFERENCE_DOCUMENTS:
            public = "loaded"  # a few references: one parallel round of documents beats loading the public hub
        source = self._public_snapshot(public) if refs else None
        for entry in refs if source is not None else ():
            match = source.by_id.get(public_name(entry))
            if match is not None:
                entry.fill(match.facts())
        return [self._facts_from_document(ref, e, background) for e in missing if e.missing()]

    def _facts_from_document(self, ref: str, entry: Entry, background: bool) -> Future[None]:
        """Resolves once ``entry`` holds its document's facts (one fetch per content ARN at a time)."""
        arn = entry.hub_content_arn
        with self._facts_lock:
            known = self._facts.get(arn)
            job = self._fact_jobs.get(arn)
            if known is None and job is None:
                pool = self.fact_pool if background else self.doc_pool
                job = self._fact_jobs[arn] = submit(pool, self._document_facts, ref, entry)
        filled: Future[None] = Future()
        if known is not None:
            entry.fill(known)
            filled.set_result(None)
            return filled

        def fill(_: Future[None]) -> None:
            with self._facts_lock:
                self._fact_jobs.pop(arn, None)
                facts = self._facts.get(arn, {})
            entry.fill(facts)
            filled.set_result(None)

        job.add_done_callback(fill)
        return filled

    def _public_snapshot(self, public: str) -> Snapshot | None:
        if public == "no":
            return None
        if public == "loaded":
            job = self._public_loads.peek(PUBLIC)
            if job is None or not job.done.done() or job.done.exception() is not None:
                return None
            return job.done.result()
        try:
            return self._load(PUBLIC).done.result()
        except JumpStartLabError as exc:
            log.info("jumpstart_lab: public hub unavailable for reference facts: %s", exc.message)
            return None

    def _document_facts(self, ref: str, entry: Entry) -> None:
        if self._closed.is_set():  # queued before close(): nothing to fetch any more
            return
        try:
            reply = self._describe(ref, entry.content_type, entry.model_id, entry.version)
        except JumpStartLabError as exc:
            log.info("jumpstart_lab: no document for %s: %s", entry.model_id, exc.message)
            return
        facts = document_facts(docs.parse_document(reply.get("HubContentDocument")))
        with self._facts_lock:
            self._facts[entry.hub_content_arn] = facts

    @staticmethod
    def wait(futures: list[Future[None]]) -> None:
        for future in futures:
            future.result()

    # -- documents -------------------------------------------------------------------------
    def _describe(self, ref: str, content_type: str, model_id: str, version: str | None) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"HubName": ref, "HubContentType": content_type, "HubContentName": model_id}
        if version:
            kwargs["HubContentVersion"] = version
        which = f"Version {version} of model {model_id}" if version else f"Model {model_id}"
        with hub_errors(ref, missing=f"{which} is not in hub {validation.hub_name_from(ref)}."):
            return self.client("sagemaker").describe_hub_content(**kwargs)

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

    def _fetch_document(self, ref: str, model_id: str, version: str | None) -> ModelDocument:
        content_type = self._content_type(ref, model_id)
        if content_type == "ModelReference":
            reply = self._reference(ref, model_id, version)
        elif content_type is not None:
            reply = self._describe(ref, content_type, model_id, version)
        else:  # as the SDK does: a private hub's id is a reference or an imported model
            try:
                reply = self._reference(ref, model_id, version)
            except NotFound:
                reply = self._describe(ref, "Model", model_id, version)
        minimum = reply.get("ReferenceMinVersion")
        return ModelDocument(
            hub_name=reply.get("HubName") or validation.hub_name_from(ref),
            hub_arn=reply.get("HubArn") or "",
            model_id=reply["HubContentName"],
            version=reply["HubContentVersion"],
            content_type=reply["HubContentType"],
            hub_content_arn=reply["HubContentArn"],
            public_content_arn=reply.get("SageMakerPublicHubContentArn"),
            display_name=reply.get("HubContentDisplayName") or None,
            description=reply.get("HubContentDescription") or None,
            markdown=reply.get("HubContentMarkdown") or None,
            document=docs.parse_document(reply.get("HubContentDocument")),
            reference_min_version=minimum,
            search_keywords=list(reply.get("HubContentSearchKeywords") or []),
        )

    def _reference(self, ref: str, model_id: str, version: str | None) -> dict[str, Any]:
        """DescribeHubContent of a ModelReference; another version (at least its MinVersion) is the
        referenced public model's document of that version."""
        reply = self._describe(ref, "ModelReference", model_id, None)
        if version is None or version == reply["HubContentVersion"]:
            return reply
        minimum = reply.get("ReferenceMinVersion")
        if minimum and docs.version_key(version) < docs.version_key(minimum):
            raise NotFound(
                f"Version {version} of model {model_id} is older than this hub allows (minimum {minimum}).",
                code="NotFound",
            )
        public_id = public_name_from_arn(reply.get("SageMakerPublicHubContentArn"), model_id)
        public = self._describe(PUBLIC, "Model", public_id, version)
        own_arn = reply["HubContentArn"].rsplit("/", 1)[0] + f"/{version}"
        return {
            **reply,
            "HubContentVersion": version,
            "HubContentArn": own_arn,
            "HubContentDocument": public.get("HubContentDocument"),
            "SageMakerPublicHubContentArn": public["HubContentArn"],
        }

    def _cached(self, key: Hashable, fn: Callable[[], Any]) -> Future[Any]:
        return self._documents.get(key, lambda: Call(fn)).done

    def document_ready(self, hub: str, model_id: str, version: str | None = None) -> Future[ModelDocument]:
        ref = validation.hub_name_or_arn(hub)
        validation.model_id(model_id)
        if version is not None:
            validation.version(version)
        key = (self._key(ref), model_id, version or "latest")
        return self._cached(key, lambda: self._fetch_document(ref, model_id, version))

    def model_document(self, hub: str, model_id: str, version: str | None = None) -> ModelDocument:
        """The parsed document of a model version (latest when ``version`` is None); cached."""
        return self.document_ready(hub, model_id, version).result()

    def _versions(self, doc: ModelDocument) -> list[str]:
        """Versions a user can pick: a reference's are the public model's from its MinVersion on."""
        ref, minimum = doc.hub_arn or doc.hub_name, doc.reference_min_version
        if doc.content_type == "ModelReference":
            public_id = public_name_from_arn(doc.public_content_arn, doc.model_id)
            try:
                return self._list_versions(PUBLIC, "Model", public_id, minimum)
            except JumpStartLabError as exc:  # e.g. the public hub is denied: the reference's own
                log.info("jumpstart_lab: public versions of %s unavailable: %s", public_id, exc.message)
        return self._list_versions(ref, doc.content_type, doc.model_id, minimum)

    def _list_versions(self, ref: str, content_type: str, model_id: str, minimum: str | None) -> list[str]:
        found: list[str] = []
        token = None
        while True:
            kwargs: dict[str, Any] = {
                "HubName": ref,
                "HubContentType": content_type,
                "HubContentName": model_id,
                "MaxResults": PAGE_SIZE,
            }
            if minimum:
                kwargs["MinVersion"] = minimum
            if token:
                kwargs["NextToken"] = token
            with hub_errors(ref, missing=f"Model {model_id} is not in hub {validation.hub_name_from(ref)}."):
                reply = self.client("sagemaker").list_hub_content_versions(**kwargs)
            found.extend(i["HubContentVersion"] for i in reply.get("HubContentSummaries", []))
            token = reply.get("NextToken")
            if not token:
                break
        if minimum:
            found = [v for v in found if docs.version_key(v) >= docs.version_key(minimum)]
        return sorted(set(found), key=docs.version_key, reverse=True)

    def model_detail(self, hub: str, model_id: str, version: str | None = None) -> ModelDetail:
        """Everything the detail view shows about one model version."""
        ref = validation.hub_name_or_arn(hub)
        doc = self.model_document(ref, model_id, version)
        key = (self._key(ref), model_id, "versions")
        versions = self._cached(key, lambda: self._versions(doc)).result()
        return build_detail(validation.hub_name_from(ref), doc, versions)

    def close(self) -> None:
        # No cancel_futures: cancelling runs done-callbacks in this thread under the pool's shutdown lock,
        # and a callback that takes _facts_lock deadlocks with a worker that holds it while submitting.
        # Queued fact fetches see _closed and return at once instead.
        self._closed.set()
        for pool in (self.list_pool, self.public_pool, self.doc_pool, self.fact_pool):
            pool.shutdown(wait=False)
