"""Document facts by versioned HubContentArn (a version's document never changes), and the fallback that
fetches them one DescribeHubContent at a time: bounded, and adaptive to throttling (the number of calls in
flight halves when AWS throttles, and grows back one at a time while calls succeed)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, Future
from typing import Any

from ..errors import JumpStartLabError
from .cache import submit
from .doc_facts import facts_of
from .entries import Entry

log = logging.getLogger(__name__)

MAX_IN_FLIGHT = 16  # DescribeHubContent calls at once for one server


class AdaptiveLimit:
    """At most ``limit`` holders at once; ``limit`` halves on throttling and grows back by one per ``limit``
    successes (additive increase, multiplicative decrease), between 1 and ``high``."""

    def __init__(self, high: int = MAX_IN_FLIGHT) -> None:
        self.high = high
        self.limit = high
        self.lowest = high
        self._active = 0
        self._successes = 0
        self._cond = threading.Condition()

    def __enter__(self) -> AdaptiveLimit:
        with self._cond:
            self._cond.wait_for(lambda: self._active < self.limit)
            self._active += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._cond:
            self._active -= 1
            self._cond.notify_all()

    def record(self, throttled: bool) -> None:
        with self._cond:
            if throttled:
                self.limit = max(1, self.limit // 2)
                self.lowest = min(self.lowest, self.limit)
                self._successes = 0
            else:
                self._successes += 1
                if self._successes >= self.limit and self.limit < self.high:
                    self.limit += 1
                    self._successes = 0
            self._cond.notify_all()


class Facts:
    """Known document facts, and DescribeHubContent fetches of the ones not known (one per ARN at a time)."""

    def __init__(self, closed: threading.Event) -> None:
        self._facts: dict[str, dict[str, Any]] = {}
        self._jobs: dict[str, Future[None]] = {}
        self._lock = threading.Lock()
        self._closed = closed
        self.limit = AdaptiveLimit()
        self.describes = 0  # DescribeHubContent calls made for facts (reported in status)

    def get(self, arn: str) -> dict[str, Any] | None:
        with self._lock:
            return self._facts.get(arn)

    def put(self, arn: str, facts: dict[str, Any]) -> None:
        with self._lock:
            self._facts[arn] = facts

    def put_document(self, arn: str, document: Any) -> dict[str, Any]:
        facts = facts_of(document)
        self.put(arn, facts)
        return facts

    def known(self, arns: Iterable[str]) -> dict[str, dict[str, Any]]:
        with self._lock:
            return {a: self._facts[a] for a in arns if a in self._facts}

    def forget(self, predicate: Callable[[str], bool] | None = None) -> None:
        with self._lock:
            for arn in [a for a in self._facts if predicate is None or predicate(a)]:
                del self._facts[arn]

    def apply_known(self, entries: Iterable[Entry]) -> list[Entry]:
        """Apply what is known to ``entries``; returns those still missing a fact."""
        missing = []
        with self._lock:
            for entry in entries:
                facts = self._facts.get(entry.hub_content_arn)
                if facts is not None:
                    entry.apply(facts)
                if entry.missing():
                    missing.append(entry)
        return missing

    def describe(self, pool: Executor, describe: Callable[[Entry], dict[str, Any]], entry: Entry) -> Future[None]:
        """Resolves once ``entry`` holds its document's facts (or its document could not be read)."""
        arn = entry.hub_content_arn
        with self._lock:
            known = self._facts.get(arn)
            job = self._jobs.get(arn)
            if known is None and job is None:
                job = self._jobs[arn] = submit(pool, self._fetch, describe, entry)
        filled: Future[None] = Future()
        if known is not None:
            entry.apply(known)
            filled.set_result(None)
            return filled

        def fill(_: Future[None]) -> None:
            with self._lock:
                self._jobs.pop(arn, None)
                facts = self._facts.get(arn)
            if facts is not None:
                entry.apply(facts)
            filled.set_result(None)

        assert job is not None
        job.add_done_callback(fill)
        return filled

    def _fetch(self, describe: Callable[[Entry], dict[str, Any]], entry: Entry) -> None:
        for attempt in range(2):
            if self._closed.is_set():  # queued before close(): nothing to fetch any more
                return
            with self.limit:
                try:
                    self.describes += 1
                    reply = describe(entry)
                except JumpStartLabError as exc:
                    throttled = exc.code == "Throttled"
                    self.limit.record(throttled)
                    if throttled and attempt == 0:
                        continue  # once more, with fewer calls in flight
                    log.info("jumpstart_lab: no document for %s: %s", entry.model_id, exc.message)
                    return
            self.limit.record(False)
            self.put_document(entry.hub_content_arn, reply.get("HubContentDocument"))
            return
