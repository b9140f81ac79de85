"""A TTL cache of background jobs, at most one in flight per key (single flight).

A job exposes ``done``, a :class:`concurrent.futures.Future`, so callers can block
(``.result()``) or await it from an event loop (``asyncio.wrap_future``) without
holding a thread while AWS answers.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from concurrent.futures import Executor, Future
from typing import Any, Generic, Protocol, TypeVar

from ..errors import ServiceUnavailable


class Job(Protocol):
    done: Future[Any]

    def run(self) -> None: ...


J = TypeVar("J", bound=Job)
T = TypeVar("T")


def submit(executor: Executor, fn: Callable[..., T], *args: Any) -> Future[T]:
    """``executor.submit``, with a shut-down executor (the server is stopping) as a clean 503."""
    try:
        return executor.submit(fn, *args)
    except RuntimeError as exc:  # "cannot schedule new futures after shutdown"
        raise ServiceUnavailable("The JumpStart server is stopping.", code="ServerStopping") from exc


class Prestart:
    """Starts ``count`` threads of a pool ahead of need (pool threads stay, idle, once started). A thread started
    while a load's pages are being parsed waits for the GIL to boot, a switch interval or more each (32 submits to
    a new pool took 1 s with two busy threads here), on the load's critical path."""

    def __init__(self, pool: Executor, count: int) -> None:
        self._pool = pool
        self._barrier = threading.Barrier(count + 1)

    def run(self) -> None:
        """Blocks until every thread is up (call it from another pool)."""
        try:
            for _ in range(self._barrier.parties - 1):
                self._pool.submit(self._barrier.wait, 30.0)
            self._barrier.wait(30.0)
        except (RuntimeError, threading.BrokenBarrierError):  # the pool is shut down, or stop() was called
            self._barrier.abort()

    def stop(self) -> None:
        self._barrier.abort()  # threads still waiting return at once


class Call(Generic[T]):
    """The simplest job: call ``fn`` and put its result (or error) in ``done``."""

    def __init__(self, fn: Callable[[], T]) -> None:
        self.fn = fn
        self.done: Future[T] = Future()

    def run(self) -> None:
        if not self.done.set_running_or_notify_cancel():
            return
        try:
            self.done.set_result(self.fn())
        except BaseException as exc:
            self.done.set_exception(exc)


class JobCache(Generic[J]):
    """``get(key, make)`` returns the cached job for ``key`` or starts ``make()`` on ``executor``.

    - concurrent callers of a cold key share one job;
    - a successful job is kept for ``ttl`` seconds; a failed one is replaced by the
      next request;
    - ``refresh=True`` starts a new job unless one is already in flight.
    """

    def __init__(
        self,
        executor: Executor,
        ttl: float,
        *,
        max_items: int | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._executor = executor
        self._max_items = max_items
        self._ttl = ttl
        self._clock = clock
        self._lock = threading.Lock()
        self._items: dict[Hashable, tuple[J, float]] = {}

    def get(self, key: Hashable, make: Callable[[], J], *, refresh: bool = False) -> J:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                job, started = item
                if not job.done.done():
                    return job
                fresh = self._clock() - started < self._ttl and job.done.exception() is None
                if fresh and not refresh:
                    return job
            job = make()
            self._items.pop(key, None)
            self._items[key] = (job, self._clock())
            if self._max_items is not None and len(self._items) > self._max_items:
                self._evict()
        try:
            submit(self._executor, job.run)
        except ServiceUnavailable as exc:
            with self._lock:
                if self._items.get(key, (None,))[0] is job:
                    del self._items[key]
            job.done.set_exception(exc)
            raise
        return job

    def _evict(self) -> None:
        """Drop the oldest finished jobs until the cache is back to ``max_items`` (insertion order)."""
        for key in list(self._items):
            if len(self._items) <= (self._max_items or 0):
                return
            if self._items[key][0].done.done():
                del self._items[key]

    def peek(self, key: Hashable) -> J | None:
        """The current job for ``key`` (maybe stale or running) without starting one."""
        with self._lock:
            item = self._items.get(key)
        return item[0] if item else None

    def invalidate(self, predicate: Callable[[Hashable], bool] | None = None) -> None:
        """Forget jobs (all, or those whose key matches): the next request starts a new one.

        A running job still finishes for the callers already waiting on it, but its result is
        not served to later requests (it may predate the change that caused the invalidation).
        """
        with self._lock:
            for key in list(self._items):
                if predicate is None or predicate(key):
                    del self._items[key]
