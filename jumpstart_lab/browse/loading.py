"""Listing one hub: the background job that fetches its catalog, and the snapshots it publishes."""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import validation
from ..aws.errors import aws_errors
from ..errors import AccessDenied, NotFound
from .cache import submit
from .discovery import unavailable_message
from .entries import Entry, entry_from_summary
from .models import ModelQuery
from .search import Selection

if TYPE_CHECKING:
    from .catalog import Catalog

PUBLIC = validation.PUBLIC_HUB
PAGE_SIZE = 100
#: Document fetches of a loading hub start once page 1 is delivered (``HubLoad.release_facts``), at the
#: latest this long after the first ListHubContents page: dozens of boto3 calls starting at once would
#: hold the GIL while page 1 is being answered.
FACTS_GRACE_SECONDS = 0.5


@contextmanager
def hub_errors(ref: str, *, missing: str | None = None) -> Iterator[None]:
    """AWS errors of a hub call, phrased for the panel: a denied hub, an unknown hub (or ``missing``)."""
    name = validation.hub_name_from(ref)
    try:
        with aws_errors(f"hub {name}"):
            yield
    except AccessDenied as exc:
        message = unavailable_message(name, "", exc)
        raise AccessDenied(message, code="AccessDenied", aws_code=exc.details.get("aws_code")) from exc
    except NotFound as exc:
        message = missing or unavailable_message(name, "", exc)
        raise NotFound(message, code="NotFound", aws_code=exc.details.get("aws_code")) from exc


@dataclass
class Snapshot:
    """Entries of a hub in name order. ``complete`` false = only the first page(s) so far."""

    entries: list[Entry]
    complete: bool
    certain: int  # entries[:certain] are in their final place (a prefix of the whole catalog)
    by_id: dict[str, Entry] = field(default_factory=dict)
    selections: dict[tuple[Any, ...], Selection] = field(default_factory=dict)  # query -> result (complete only)

    def __post_init__(self) -> None:
        self.by_id = {e.model_id: e for e in self.entries}


class HubLoad:
    """The background job that lists one hub: ``first`` = first page(s), ``done`` = everything."""

    def __init__(self, catalog: Catalog, key: str, ref: str) -> None:
        self.catalog = catalog
        self.key = key
        self.ref = ref
        self.first: Future[Snapshot] = Future()
        self.done: Future[Snapshot] = Future()
        self._facts_go = threading.Event()

    def release_facts(self) -> None:
        """Start the document fetches now (page 1 is out, or a query needs the whole catalog's facts)."""
        self._facts_go.set()

    def _page(self, content_type: str, token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        kwargs: dict[str, Any] = {
            "HubName": self.ref,
            "HubContentType": content_type,
            "MaxResults": PAGE_SIZE,
            "SortBy": "HubContentName",
            "SortOrder": "Ascending",
        }
        if token:
            kwargs["NextToken"] = token
        with hub_errors(self.ref):
            reply = self.catalog.client("sagemaker").list_hub_contents(**kwargs)
        return reply.get("HubContentSummaries", []), reply.get("NextToken")

    def run(self) -> None:
        if not self.done.set_running_or_notify_cancel():
            return
        try:
            self.done.set_result(self._load())
        except BaseException as exc:
            if not self.first.done():
                self.first.set_exception(exc)
            self.done.set_exception(exc)

    def _load(self) -> Snapshot:
        catalog = self.catalog
        name = validation.hub_name_from(self.ref)
        types = ("Model",) if name == PUBLIC else ("Model", "ModelReference")
        # first pages of every content type at once: one round trip
        others = {t: submit(catalog.doc_pool, self._page, t, None) for t in types[1:]}
        pages = {types[0]: self._page(types[0], None)}
        pages.update({t: f.result() for t, f in others.items()})
        items = {t: list(p[0]) for t, p in pages.items()}
        tokens = {t: p[1] for t, p in pages.items()}
        entries = sorted((entry_from_summary(name, i) for t in types for i in items[t]), key=lambda e: e.model_id)
        # an entry is certainly in place if no unfinished stream can still bring a smaller name
        bounds = [items[t][-1]["HubContentName"] for t in types if tokens[t] and items[t]]
        certain = len(entries) if not bounds else bisect_right([e.model_id for e in entries], min(bounds))
        self.first.set_result(Snapshot(list(entries), complete=not any(tokens.values()), certain=certain))
        held = [e for e in entries if e.content_type == "Model"]  # documents to fetch, once released
        pending: list[Future[None]] = []
        release_at = time.monotonic() + FACTS_GRACE_SECONDS
        for t in types:
            while tokens[t]:
                if held and (self._facts_go.is_set() or time.monotonic() >= release_at):
                    # documents fetched while the next page is listed
                    pending += catalog.fill_facts(self.ref, held, public="no", background=True)
                    held = []
                page, tokens[t] = self._page(t, tokens[t])
                new = [entry_from_summary(name, i) for i in page]
                entries.extend(new)
                if t == "Model":
                    held += new
        self._facts_go.wait(max(0.0, release_at - time.monotonic()))
        pending += catalog.fill_facts(self.ref, held, public="no", background=True)
        entries.sort(key=lambda e: e.model_id)
        catalog.wait(pending)
        public = "wait" if name != PUBLIC else "no"
        catalog.wait(catalog.fill_facts(self.ref, entries, public=public, background=True))
        return Snapshot(entries, complete=True, certain=len(entries))


def first_page_enough(snapshot: Snapshot, query: ModelQuery) -> bool:
    return snapshot.complete or snapshot.certain >= query.limit
