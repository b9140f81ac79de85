"""Step 1: the hubs you can use, as cards; unavailable ones greyed with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ..errors import JumpStartLabError
from .context import FULL, Context, button, column, esc, heading, until_complete


class HubsView(w.VBox):
    """Hub cards with kind, description and model count; ``open_buttons[name]`` opens a hub."""

    def __init__(self, ctx: Context, on_open: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        self.on_open = on_open
        self.hubs: list[dict[str, Any]] = []
        self.unavailable: list[dict[str, Any]] = []
        self.open_buttons: dict[str, w.Button] = {}
        self.count_labels: dict[str, w.HTML] = {}

    def show(self, body: dict[str, Any]) -> None:
        t = self.ctx.t
        self.hubs = list(body.get("hubs", []))
        self.unavailable = list(body.get("unavailable", []))
        self.open_buttons.clear()
        self.count_labels.clear()
        cards: list[w.Widget] = [w.HTML(heading(t("Model hubs")))]
        unavailable = t("unavailable")
        for hub in self.hubs:
            cards.append(self._card(hub))
        for hub in self.unavailable:
            cards.append(
                w.HTML(
                    f"<div class='jsl-card jsl-unavailable'><b>{esc(hub.get('name'))}</b> &middot; "
                    f"{esc(unavailable)}<br><small>{esc(hub.get('message'))}</small></div>",
                    layout=w.Layout(width=FULL),
                )
            )
        if not self.hubs:
            empty = t(
                "No hub is available to you. Ask your administrator for access to a JumpStart hub, or check the "
                "AWS credentials of this server."
            )
            cards.append(w.HTML(f"<p>{esc(empty)}</p>"))
        self.children = cards

    def kind_label(self, hub: dict[str, Any]) -> str:
        t = self.ctx.t
        kind = hub.get("kind")
        if kind == "public":
            return t("Public hub")
        if kind == "shared":
            return t("Shared from account {account}", account=hub.get("owner_account") or "?")
        return t("Private hub")

    def _card(self, hub: dict[str, Any]) -> w.Widget:
        t = self.ctx.t
        name = hub.get("display_name") or hub["name"]
        open_button = button(
            t("Open"), lambda: self.on_open(hub), style="primary", tooltip=t("Browse the models of {hub}", hub=name)
        )
        count = w.HTML()
        _set(count, t("counting models…"))
        self.open_buttons[hub["name"]] = open_button
        self.count_labels[hub["name"]] = count
        info = w.HTML(
            f"<div class='jsl-card-head'><b>{esc(name)}</b> &middot; <span class='jsl-badge'>"
            f"{esc(self.kind_label(hub))}</span></div><div class='jsl-desc'>{esc(hub.get('description') or '')}</div>",
            layout=w.Layout(width=FULL),
        )
        card = column(
            info,
            w.HBox(
                [count, open_button],
                layout=w.Layout(
                    width=FULL, flex_flow="row wrap", align_items="center", justify_content="space-between"
                ),
            ),
        )
        card.add_class("jsl-card")
        return card

    def load_counts(self) -> None:
        """Fill in each hub's model count (one small search per hub, off the main thread)."""
        for hub in self.hubs:
            label = self.count_labels.get(hub["name"])
            if label is not None:
                self.ctx.run(
                    lambda hub=hub: self._count(hub), lambda text, label=label: _set(label, text), lane="counts"
                )

    def _count(self, hub: dict[str, Any]) -> str:
        try:
            # the whole catalog's count: a cold hub's first answer counts only its first page
            page = until_complete(self.ctx, lambda: self.ctx.api.models(hub_ref(hub), limit=1))
            total = int((page or {}).get("total", 0))
        except JumpStartLabError:
            return self.ctx.t("model count unavailable")
        return self.ctx.t.n("{count} model", "{count} models", total)


def _set(label: w.HTML, text: str) -> None:
    label.value = f"<small>{esc(text)}</small>"


def hub_ref(hub: dict[str, Any]) -> str:
    """How the API names a hub: its ARN when shared from another account, else its name."""
    if hub.get("ref"):
        return str(hub["ref"])
    return str(hub["arn"]) if hub.get("kind") == "shared" and hub.get("arn") else str(hub["name"])
