"""JobCache: single flight, TTL, failures not kept, refresh and invalidation."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from jumpstart_lab.browse.cache import Call, JobCache


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def pool():
    with ThreadPoolExecutor(max_workers=8) as executor:
        yield executor


def test_concurrent_callers_share_one_job_until_the_ttl(pool):
    clock, calls, gate = Clock(), [], threading.Event()
    cache: JobCache[Call[int]] = JobCache(pool, ttl=10, clock=clock)

    def fetch() -> int:
        gate.wait(5)
        calls.append(1)
        return len(calls)

    jobs = [cache.get("hub", lambda: Call(fetch)) for _ in range(50)]
    gate.set()
    assert {job.done.result(5) for job in jobs} == {1} and len(calls) == 1
    assert cache.get("hub", lambda: Call(fetch)).done.result(5) == 1  # fresh: cached
    clock.now = 11
    assert cache.get("hub", lambda: Call(fetch)).done.result(5) == 2  # expired: fetched again


def test_failures_are_not_kept(pool):
    outcomes = iter([RuntimeError("throttled"), 7])

    def fetch() -> int:
        value = next(outcomes)
        if isinstance(value, Exception):
            raise value
        return value

    cache: JobCache[Call[int]] = JobCache(pool, ttl=100)
    with pytest.raises(RuntimeError):
        cache.get("k", lambda: Call(fetch)).done.result(5)
    assert cache.get("k", lambda: Call(fetch)).done.result(5) == 7


def test_refresh_joins_a_running_job_and_invalidate_forgets_it(pool):
    gate, calls = threading.Event(), []

    def fetch() -> int:
        calls.append(1)
        gate.wait(5)
        return len(calls)

    cache: JobCache[Call[int]] = JobCache(pool, ttl=100)
    running = cache.get("k", lambda: Call(fetch))
    assert cache.get("k", lambda: Call(fetch), refresh=True) is running  # in flight: shared
    cache.invalidate(lambda key: key == "k")
    fresh = cache.get("k", lambda: Call(fetch))
    assert fresh is not running
    gate.set()
    assert running.done.result(5) in (1, 2) and fresh.done.result(5) in (1, 2) and len(calls) == 2
    assert cache.get("k", lambda: Call(fetch), refresh=True) is not fresh  # finished: refresh starts anew


def test_max_items_evicts_the_oldest_finished_jobs(pool):
    cache: JobCache[Call[int]] = JobCache(pool, ttl=100, max_items=3)
    for i in range(5):
        cache.get(i, lambda i=i: Call(lambda: i)).done.result(5)
    assert cache.peek(0) is None and cache.peek(1) is None and cache.peek(4) is not None


def test_a_stopped_executor_is_a_clean_server_stopping_error():
    """After the server stopped its pools, a request fails with a 503 error, not a RuntimeError,
    and leaves no job behind that would never finish."""
    from jumpstart_lab.errors import ServiceUnavailable

    executor = ThreadPoolExecutor(max_workers=1)
    executor.shutdown()
    cache: JobCache[Call[int]] = JobCache(executor, ttl=10)
    for _ in range(2):
        with pytest.raises(ServiceUnavailable) as caught:
            cache.get("k", lambda: Call(lambda: 1))
        assert caught.value.code == "ServerStopping"
    assert cache.peek("k") is None
