"""What the widget tests share: waiting for a panel's REST calls off the event loop, clicking as a user does,
and reading what is on screen (the widget tree a user sees, walked through its ``children``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, Protocol

import ipywidgets as w


class Waits(Protocol):
    def wait(self, timeout: float | None = ...) -> None: ...


async def settle(view: Waits, timeout: float = 300) -> None:
    """Wait until the panel's (or Admin view's) pending REST calls are done, without blocking the loop."""
    await asyncio.to_thread(view.wait, timeout)


async def click(view: Waits, button: w.Button) -> None:
    """Click ``button`` and wait for what it started."""
    button.click()
    await settle(view)


def visible(widget: w.Widget) -> bool:
    return widget.layout.display != "none"


def widgets(root: Any) -> Iterator[w.Widget]:
    """``root`` and every widget inside it, as displayed (through ``children``)."""
    yield root
    for child in getattr(root, "children", ()):
        yield from widgets(child)


def texts(root: Any) -> str:
    """The HTML of every ``HTML`` widget and the text of every button inside ``root``, joined: what a user
    reads there (hub cards and model rows are buttons)."""
    return " ".join(
        x.value if isinstance(x, w.HTML) else x.description
        for x in widgets(root)
        if isinstance(x, (w.HTML, w.Button))
    )
