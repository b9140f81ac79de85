"""Disjoint creation-time windows, so one hub's listing can be paged in parallel.

Windows are learnt from creation times already known (the previous snapshot) or, on a cold start, from the
creation times of the first name-ordered page (a sample of the hub). Boundaries are whole seconds (botocore
sends timestamps in seconds): window ``k`` holds ``b[k] <= t < b[k+1]``, i.e. ``CreationTimeAfter=b[k]-1,
CreationTimeBefore=b[k+1]``, so fractional times near a boundary may appear in two windows (deduplicated by
``merge``). The first and last windows are open-ended, so models created since are still found. A window whose
first page (in creation-time order) is full is split again (``rest``), sized by that page's density.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from .reader import Window

PER_WINDOW = 80  # models per window learnt from a snapshot: one page each, with room to grow
COLD_WINDOWS = 16  # windows from page 1's creation times when nothing is known (~50 models each at 743)
MAX_WINDOWS = 32
MAX_SPLIT = 8  # sub-windows of one full page's rest


def epoch(value: Any) -> float | None:
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _windows(bounds: list[int]) -> list[Window]:
    bounds = sorted(set(bounds))
    if not bounds:
        return [Window()]
    edges: list[tuple[float | None, float | None]] = [(None, float(bounds[0]))]
    edges += [(float(a - 1), float(b)) for a, b in itertools.pairwise(bounds)]
    edges.append((float(bounds[-1] - 1), None))
    return [Window(after, before) for after, before in edges]


def learnt(times: Sequence[float], per_window: int = PER_WINDOW) -> list[Window]:
    """Windows of about ``per_window`` known models each (quantiles of ``times``)."""
    ordered = sorted(times)
    count = min(MAX_WINDOWS, max(1, math.ceil(len(ordered) / per_window)))
    if count <= 1:
        return [Window()]
    bounds = [math.floor(ordered[round(i * len(ordered) / count)]) for i in range(1, count)]
    return _windows(bounds)


def sampled(times: Sequence[float], count: int = COLD_WINDOWS) -> list[Window]:
    """About ``count`` windows holding equal shares of a sample of creation times (page 1's)."""
    return learnt(times, per_window=max(1, math.ceil(len(times) / count)))


def rest(window: Window, times: Sequence[float], newest: float | None, per_window: int = PER_WINDOW) -> list[Window]:
    """What is left of ``window`` after a full page holding ``times`` (ascending), as sub-windows of about
    ``per_window`` items each at that page's density; [] when it cannot be split (the caller goes on with
    NextToken): the page is not in creation-time order, or the rest would not start later than the window.
    The page's last second is read again (the duplicates are merged)."""
    if not times or list(times) != sorted(times):
        return []
    low = math.floor(times[-1])  # the rest: low <= t < window.before
    if window.after is not None and low - 1 <= window.after:
        return []
    high = window.before if window.before is not None else (math.floor(newest) + 1 if newest is not None else None)
    if high is None or high - low < 2:
        return []
    expected = len(times) * (high - low) / max(1.0, times[-1] - times[0])
    count = int(min(MAX_SPLIT, high - low, max(2, math.ceil(expected / per_window))))
    points = [low] + [math.floor(low + i * (high - low) / count) for i in range(1, count)]
    ends: list[float | None] = [float(p) for p in points[1:]] + [window.before]
    return [Window(float(p - 1), end) for p, end in zip(points, ends, strict=True)]


def merge(
    windows: Sequence[Window], results: Sequence[list[dict[str, Any]]], first: Sequence[dict[str, Any]]
) -> list[dict[str, Any]] | None:
    """The union of the windows' summaries, or None when they do not add up to one listing.

    They add up when every item lies in the window that returned it (the service honoured the filters) and the
    first name-ordered page is exactly the union's first names (nothing missing, nothing extra before it).
    """
    by_name: dict[str, dict[str, Any]] = {}
    for window, items in zip(windows, results, strict=True):
        for item in items:
            created = epoch(item.get("CreationTime"))
            if created is None or not window.holds(created):
                return None
            by_name.setdefault(item["HubContentName"], item)
    names = sorted(by_name)
    expected = [i["HubContentName"] for i in first]
    if names[: len(expected)] != expected:
        return None
    return [by_name[n] for n in names]
