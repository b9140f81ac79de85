"""Numbers from environment variables, for knobs operators set without code."""

from __future__ import annotations

import os
from collections.abc import Mapping


def env_number(name: str, default: float, low: float, high: float, env: Mapping[str, str] | None = None) -> float:
    """The variable ``name`` as a number in ``[low, high]``; ``default`` when unset or blank.

    A value that is not a number, or out of range, is a ``ValueError`` naming the variable.
    """
    raw = (os.environ if env is None else env).get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r} is not a number") from None
    if not low <= value <= high:
        raise ValueError(f"{name}={raw!r} must be between {low:g} and {high:g}")
    return value
