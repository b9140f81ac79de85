"""Paging creation-time windows in parallel: each window's pages come in creation-time order, and a full page
splits the rest of its window into sub-windows (``windows.rest``) fetched at once instead of one NextToken page
after another. Only the calling thread waits; the pool's tasks fetch one page each and never wait on others."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from typing import Any

from ..errors import JumpStartLabError
from .cache import submit
from .reader import Page, Window
from .windows import epoch, rest

Item = dict[str, Any]
Fetch = Callable[[Window, "str | None"], Page]


class PagingInconsistent(JumpStartLabError):
    """A NextToken page brought nothing new (the same page again): the service does not page windows as AWS
    documents, so the caller pages the plain listing instead."""

    code = "PagingInconsistent"


def fan_out(
    pool: Executor,
    fetch: Fetch,
    windows: Sequence[Window],
    key: Callable[[Item], str],
    newest: float | None,
    each: Callable[[list[Item]], None] | None = None,
) -> list[list[Item]]:
    """Every item of each window (deduplicated by ``key``), in the order of ``windows``.

    ``fetch(window, token)`` returns one page; ``each(items)`` (if given) sees every page as it arrives, in a
    pool thread. The first error is raised (pages still in flight are left to finish).
    """
    found: list[dict[str, Item]] = [{} for _ in windows]
    pending: dict[Future[Page], tuple[int, Window, bool]] = {}

    def start(root: int, window: Window, token: str | None) -> None:
        pending[submit(pool, _page, fetch, window, token, each)] = (root, window, token is not None)

    for root, window in enumerate(windows):
        start(root, window, None)
    while pending:
        done, _ = wait(pending, return_when=FIRST_COMPLETED)
        for future in done:
            root, window, continued = pending.pop(future)
            items, token = future.result()
            before = len(found[root])
            for item in items:
                found[root].setdefault(key(item), item)
            if not token:
                continue
            if continued and len(found[root]) == before:
                raise PagingInconsistent(f"A NextToken page of {window} brought no new item.")
            times = [epoch(i.get("CreationTime")) for i in items]
            parts = rest(window, [t for t in times if t is not None], newest) if None not in times else []
            for part in parts:
                start(root, part, None)
            if not parts:
                start(root, window, token)
    return [list(items.values()) for items in found]


def _page(fetch: Fetch, window: Window, token: str | None, each: Callable[[list[Item]], None] | None) -> Page:
    page = fetch(window, token)
    if each is not None:
        each(page[0])
    return page
