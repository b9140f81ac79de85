"""Step 4: the EULA dialog shown over the panel before any action on a gated model."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .context import FULL, Context, button, esc, heading, link, row


class EulaDialog(w.VBox):
    """Title, scrollable EULA text, its link, the responsibility sentence, **Accept** / **Decline**."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=w.Layout(width=FULL, align_self="flex-start"))
        self.add_class("jsl-dialog")
        self.ctx = ctx
        t = ctx.t
        self.title = w.HTML()
        self.text = w.HTML(layout=w.Layout(width=FULL))
        responsibility = t(
            "You are responsible for reviewing and complying with the license terms of this model "
            "before you deploy, fine-tune or evaluate it."
        )
        self.notice = w.HTML(f"<p>{esc(responsibility)}</p>", layout=w.Layout(width=FULL))
        self.accept = button(t("Accept"), self._accept, style="primary")
        self.decline = button(t("Decline"), self._decline)
        self.eula: dict[str, Any] = {}
        self.busy = False
        self._on_accept: Callable[[], None] = lambda: None
        self._on_decline: Callable[[], None] = lambda: None
        self.children = [self.title, self.text, self.notice, row(self.accept, self.decline)]

    def prepare(
        self, model_name: str, eula: dict[str, Any], on_accept: Callable[[], None], on_decline: Callable[[], None]
    ) -> None:
        t = self.ctx.t
        self.eula = eula
        self._on_accept, self._on_decline = on_accept, on_decline
        self.set_busy(False)
        self.title.value = heading(t("License agreement for {model}", model=model_name))
        uri = eula.get("uri") or ""
        source_link = link(uri, uri)
        source = t("Source")
        body = eula.get("text") or t("The license text could not be shown here; read it at the link below.")
        self.text.value = (
            f"<div class='jsl-eula-text' role='document'>{esc(body)}</div><p>{esc(source)}: {source_link}</p>"
        )

    def set_busy(self, busy: bool) -> None:
        """While the acceptance is being recorded, Accept and Decline do nothing (no second acceptance)."""
        self.busy = busy
        self.accept.disabled = self.decline.disabled = busy

    def _accept(self) -> None:
        if self.busy:
            return
        self.set_busy(True)  # until the dialog closes, or the recording failed (then again enabled)
        self._on_accept()

    def _decline(self) -> None:
        if self.busy:
            return
        self._on_decline()
