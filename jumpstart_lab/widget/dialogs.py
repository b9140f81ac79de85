"""Modal questions the panel asks: the EULA before a gated action, confirmations before destructive ones.

In JupyterLab (a frontend said ``ready`` on the bridge) they are JupyterLab ``Dialog``s over the whole
application: ``role="dialog"``, ``aria-modal``, focus moved in and trapped, Escape cancels, the accepting
button never the default one. Elsewhere (a notebook frontend without the labextension, tests without a
browser) the panel's own overlay asks the same question (:class:`PanelDialog`), with every other control of
the panel disabled until it is answered.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .. import untrusted
from ..lab.bridge import LabBridge
from ..lab.protocol import CANCEL_VALUE
from .context import FULL, Context, button, esc, heading, link, row


def eula_notice(t: Any) -> str:
    return t(
        "You are responsible for reviewing and complying with the license terms of this model "
        "before you deploy, fine-tune or evaluate it."
    )


class PanelDialog(w.VBox):
    """The in-panel dialog: title, body (EULA text in a scroll box, or a sentence), and its buttons."""

    def __init__(self, ctx: Context) -> None:
        super().__init__(layout=w.Layout(width=FULL, align_self="flex-start"))
        self.add_class("jsl-dialog")
        self.ctx = ctx
        t = ctx.t
        self.kind = ""
        self.title = w.HTML()
        self.text = w.HTML(layout=w.Layout(width=FULL))
        self.notice = w.HTML(layout=w.Layout(width=FULL))
        self.accept = button(t("Accept"), lambda: self._choose("accept"), style="primary")
        self.decline = button(t("Decline"), lambda: self._choose(CANCEL_VALUE))
        self.eula: dict[str, Any] = {}
        self.busy = False
        self._on_result: Callable[[str], None] = lambda value: None
        self.children = [self.title, self.text, self.notice, row(self.decline, self.accept)]

    def prepare_eula(self, model_name: str, eula: dict[str, Any], on_result: Callable[[str], None]) -> None:
        t = self.ctx.t
        self.kind = "eula"
        self.eula = eula
        self._on_result = on_result
        self.set_busy(False)
        self.title.value = heading(t("License agreement for {model}", model=model_name))
        uri = eula.get("uri") or ""
        body = eula.get("text") or t("The license text could not be shown here; read it at the link below.")
        label, source = t("License text"), t("Source")
        self.text.value = (
            f"<div class='jsl-eula-text' role='document' tabindex='0' aria-label='{esc(label)}'>{esc(body)}</div>"
            f"<p>{esc(source)}: {link(uri, uri, aws=True)}</p>"
        )
        self.notice.value = f"<p>{esc(eula_notice(t))}</p>"
        self.accept.description, self.decline.description = t("Accept"), t("Decline")
        self.accept.button_style = "primary"

    def prepare_confirm(self, title: str, text: str, label: str, on_result: Callable[[str], None]) -> None:
        self.kind = "confirm"
        self.eula = {}
        self._on_result = on_result
        self.set_busy(False)
        self.title.value = heading(title)
        self.text.value = f"<p>{esc(text)}</p>"
        self.notice.value = ""
        self.accept.description, self.decline.description = label, self.ctx.t("Cancel")
        self.accept.button_style = "danger"

    def set_busy(self, busy: bool) -> None:
        """While an answer is being acted on, the buttons do nothing (no second acceptance)."""
        self.busy = busy
        self.accept.disabled = self.decline.disabled = busy

    def _choose(self, value: str) -> None:
        if self.busy:
            return
        if value == "accept":
            self.set_busy(True)  # until the dialog closes, or recording failed (then enabled again)
        self._on_result(value)


class Dialogs:
    """Ask through the bridge when JupyterLab can show the dialog, else in the panel's overlay.

    ``open_overlay(dialog)`` / ``close_overlay()`` are the panel's: they show the overlay and disable
    (then restore) every other control.
    """

    def __init__(
        self,
        ctx: Context,
        bridge: Callable[[], LabBridge | None],
        open_overlay: Callable[[], None],
        close_overlay: Callable[[], None],
    ) -> None:
        self.ctx = ctx
        self._bridge = bridge
        self.panel = PanelDialog(ctx)
        self._open_overlay = open_overlay
        self._close_overlay = close_overlay

    def _lab(self) -> LabBridge | None:
        bridge = self._bridge()
        return bridge if bridge is not None and "dialog" in bridge.features else None

    def eula(
        self,
        model_name: str,
        eula: dict[str, Any],
        on_accept: Callable[[Callable[[bool], None]], None],
        on_decline: Callable[[], None],
    ) -> None:
        """Ask to accept ``eula``; ``on_accept(done)`` records it and calls ``done(ok)``; Escape / Decline cancel."""
        t = self.ctx.t
        lab = self._lab()
        if lab is not None:
            body = {
                "text": untrusted.text(eula.get("text"))
                or t("The license text could not be shown here; read it at the link below."),
                "uri": untrusted.safe_url(eula.get("uri"), aws=True),
                "link_label": untrusted.text(eula.get("uri")),
                "notice": eula_notice(t),
            }
            buttons = [
                {"label": t("Decline"), "value": CANCEL_VALUE, "accept": False, "warn": False},
                {"label": t("Accept"), "value": "accept", "accept": True, "warn": False},
            ]
            title = t("License agreement for {model}", model=untrusted.text(model_name, 200))
            lab.dialog(
                "eula",
                title,
                body,
                buttons,
                lambda value: on_accept(lambda ok: None) if value == "accept" else on_decline(),
            )
            return

        def answered(value: str) -> None:
            if value != "accept":
                self._close_overlay()
                on_decline()
                return

            def done(ok: bool) -> None:
                if ok:
                    self._close_overlay()
                else:
                    self.panel.set_busy(False)  # not recorded: the user may try again, or decline

            on_accept(done)

        self.panel.prepare_eula(model_name, eula, answered)
        self._open_overlay()

    def lab_confirm(self, title: str, text: str, label: str, on_confirm: Callable[[], None]) -> bool:
        """JupyterLab's confirmation (a warning button; Cancel the default), if there; False when not."""
        lab = self._lab()
        if lab is None:
            return False
        buttons = [
            {"label": self.ctx.t("Cancel"), "value": CANCEL_VALUE, "accept": False, "warn": False},
            {"label": label, "value": "confirm", "accept": True, "warn": True},
        ]
        lab.dialog("confirm", title, {"text": text}, buttons, lambda v: on_confirm() if v == "confirm" else None)
        return True

    def confirm(self, title: str, text: str, label: str, on_confirm: Callable[[], None]) -> None:
        """Ask before a destructive action; ``on_confirm`` runs only on the warning button."""
        if self.lab_confirm(title, text, label, on_confirm):
            return

        def answered(value: str) -> None:
            self._close_overlay()
            if value == "accept":
                on_confirm()

        self.panel.prepare_confirm(title, text, label, answered)
        self._open_overlay()
