"""What the Admin view's cards share: the client, the translator, background tasks, the status line,
the progress bar and the outcome notice, the selected hub, and the view's reload actions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w

from ... import validation
from ...client import JumpStartClient
from ..context import FULL, Tasks, column, esc
from ..i18n import Translator

PUBLIC = validation.PUBLIC_HUB


def split(text: str) -> list[str]:
    """Comma- or line-separated values, stripped, once each."""
    return list(dict.fromkeys(p.strip() for p in text.replace("\n", ",").split(",") if p.strip()))


def principals(contents: dict[str, Any]) -> list[str]:
    """The accounts (or other RAM principals) the hub is shared with, once each."""
    return list(dict.fromkeys(p["principal"] for s in contents.get("shares", []) for p in s.get("principals", [])))


def listed(title: str, items: list[str]) -> str:
    return f"<div>{esc(title)}</div><ul>" + "".join(f"<li>{esc(i)}</li>" for i in items) + "</ul>"


def warn(text: str) -> str:
    return f"<span class='jsl-warn'>&#9888; {esc(text)}</span>"


def card(title: str, *children: w.Widget) -> w.VBox:
    box = column(w.HTML(f"<b>{esc(title)}</b>"), *children)
    box.add_class("jsl-card")
    return box


def said(text: str) -> str:
    return f"<i>{esc(text)}</i>" if text else ""


@dataclass
class AdminContext:
    """Handed to every card by :class:`~jumpstart_lab.widget.admin.AdminView`."""

    client: JumpStartClient
    t: Translator
    tasks: Tasks
    on_error: Callable[[BaseException], None]
    selected: Callable[[], str | None]
    status: w.HTML = field(default_factory=w.HTML)  # what is running now
    notice: w.HTML = field(default_factory=w.HTML)  # the outcome of the last create or delete
    progress: w.IntProgress = field(
        default_factory=lambda: w.IntProgress(value=0, min=0, max=1, layout=w.Layout(width=FULL, display="none"))
    )
    #: set by the view: reload the selected hub's references and shares; reload the hub list (and select one)
    load_hub: Callable[[], None] = lambda: None
    load_hubs: Callable[[str | None], None] = lambda select: None
    #: ``lab_confirm(title, text, button label, then)``: JupyterLab's modal Dialog with a warning button; False
    #: when there is none (the card then shows its own confirmation)
    lab_confirm: Callable[[str, str, str, Callable[[], None]], bool] = lambda title, text, label, then: False

    @property
    def hub(self) -> str | None:
        return self.selected()

    def run(self, fn: Callable[[], Any], then: Callable[[Any], None] | None = None, *, label: str = "") -> None:
        """``fn()`` on the worker, then ``then(result)``; ``label`` shows meanwhile; errors go to ``on_error``."""

        def job() -> None:
            self.status.value = said(label)
            try:
                result = fn()
                if then is not None:
                    then(result)
            except Exception as exc:  # the panel's error banner shows the server's message
                self.on_error(exc)
            finally:
                if self.status.value == said(label):
                    self.status.value = ""

        self.tasks.submit(job)

    def start_progress(self, total: int) -> None:
        self.progress.value = 0
        self.progress.max = max(total, 1)
        self.progress.layout.display = "flex"

    def step(self, what: str, done: int, total: int) -> None:
        """A step the server reported (``done`` of ``total``): the bar follows it."""
        self.progress.max = max(total, 1)
        self.progress.value = min(done, self.progress.max)

    def reset_progress(self) -> None:
        """After a failure: no bar stuck half-way (what was done is reported in words)."""
        self.progress.value = 0
        self.progress.layout.display = "none"
