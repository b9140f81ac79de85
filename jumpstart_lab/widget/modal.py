"""The panel's own modal: its dialog over the panel while every other control is disabled.

Used when JupyterLab's ``Dialog`` is not there (a notebook's ``HubBrowser()``, a frontend that did not say
``ready``); :class:`~.dialogs.Dialogs` opens and closes it. Whether it is open is ``PanelState.modal``.
"""

from __future__ import annotations

from collections.abc import Iterator

import ipywidgets as w

from .state import PanelState


def walk(widget: w.Widget) -> Iterator[w.Widget]:
    """``widget`` and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


class Modal:
    """Shows ``overlay`` over ``root``; the controls outside it are disabled until it closes, then restored."""

    def __init__(self, root: w.Widget, overlay: w.Box, state: PanelState) -> None:
        self.root = root
        self.overlay = overlay
        self.state = state
        self._saved_disabled: dict[int, tuple[w.Widget, bool]] = {}

    def open(self) -> None:
        if self.state.modal:
            return
        self.state.modal = True
        inside = {id(x) for x in walk(self.overlay)}
        self._saved_disabled = {}
        for widget in walk(self.root):
            if id(widget) not in inside and widget.has_trait("disabled"):
                self._saved_disabled[id(widget)] = (widget, widget.disabled)
                widget.disabled = True
        self.overlay.layout.display = "flex"

    def close(self) -> None:
        if not self.state.modal:
            return
        self.overlay.layout.display = "none"
        for widget, disabled in self._saved_disabled.values():
            widget.disabled = disabled
        self._saved_disabled = {}
        self.state.modal = False
