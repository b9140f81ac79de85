"""Banners at the top of the panel: errors (dismissible), the local-demo notice, progress."""

from __future__ import annotations

import ipywidgets as w

from .context import FULL, button, esc, row
from .i18n import Translator


class ErrorBanner(w.HBox):
    """The server's message in a dismissible banner; hidden when there is none."""

    def __init__(self, t: Translator) -> None:
        self.text = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.dismiss = button(t("Dismiss"), self.clear, icon="times", tooltip=t("Hide this message"))
        super().__init__(
            [self.text, self.dismiss],
            layout=w.Layout(width=FULL, flex_flow="row wrap", align_items="center", display="none"),
        )
        self.add_class("jsl-error")
        self.message = ""

    def show(self, message: str) -> None:
        self.message = message
        self.text.value = f"<span class='jsl-error-text'>&#9888; {esc(message)}</span>"
        self.layout.display = "flex"

    def clear(self) -> None:
        self.message = ""
        self.text.value = ""
        self.layout.display = "none"


class InfoBanner(w.HBox):
    """A one-line notice (the local demo catalog) the user can dismiss for the panel's lifetime."""

    def __init__(self, t: Translator) -> None:
        self.text = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.dismiss = button("", self._dismiss, icon="times", tooltip=t("Hide this notice"))
        self.dismiss.add_class("jsl-icon-button")
        self.dismiss.layout.flex = "0 0 auto"
        super().__init__(
            [self.text, self.dismiss], layout=w.Layout(width=FULL, align_items="center", display="none")
        )
        self.add_class("jsl-info")
        self.message = ""
        self.dismissed = False

    def show(self, message: str) -> None:
        self.message = message
        self.text.value = f"<span class='jsl-info-text' title='{esc(message)}'>{esc(message)}</span>"
        self.layout.display = "none" if self.dismissed else "flex"

    def hide(self) -> None:
        self.message = ""
        self.text.value = ""
        self.layout.display = "none"

    def _dismiss(self) -> None:
        self.dismissed = True
        self.layout.display = "none"


class BusyLine(w.HBox):
    """ "Loading hubs…" with a progress bar while a task runs."""

    def __init__(self) -> None:
        self.label = w.HTML()
        self.bar = w.IntProgress(value=100, min=0, max=100, bar_style="info", layout=w.Layout(width="80px"))
        super().__init__(
            [self.label, self.bar],
            layout=w.Layout(width=FULL, flex_flow="row wrap", align_items="center", display="none"),
        )
        self.text = ""

    def set(self, text: str | None) -> None:
        self.text = text or ""
        self.label.value = f"<i>{esc(text)}</i>" if text else ""
        self.layout.display = "flex" if text else "none"


__all__ = ["BusyLine", "ErrorBanner", "InfoBanner", "row"]
