"""The hubs you can use, as compact cards that open on a click anywhere; unavailable ones greyed with the reason."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .. import untrusted
from ..errors import JumpStartLabError
from .context import FULL, Context, button, column, esc, heading, until_complete
from .state import hub_key

NAME_LIMIT = 80
DESCRIPTION_LIMIT = 160


class HubsView(w.VBox):
    """One card (a button: name, kind and model count, description) per hub; ``open_buttons[name]`` opens it."""

    def __init__(self, ctx: Context, on_open: Callable[[dict[str, Any]], None]) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        self.on_open = on_open
        self.hubs: list[dict[str, Any]] = []
        self.unavailable: list[dict[str, Any]] = []
        self.open_buttons: dict[str, w.Button] = {}
        self.counts: dict[str, str] = {}

    def show(self, body: dict[str, Any]) -> None:
        t = self.ctx.t
        self.hubs = list(body.get("hubs", []))
        self.unavailable = list(body.get("unavailable", []))
        self.open_buttons.clear()
        cards: list[w.Widget] = [w.HTML(heading(t("Model hubs")))]
        unavailable = t("unavailable")
        for hub in self.hubs:
            cards.append(self._card(hub))
        for hub in self.unavailable:
            html = w.HTML(
                f"<div class='jsl-card jsl-unavailable'><b>{esc(hub.get('name'), NAME_LIMIT)}</b> &middot; "
                f"{esc(unavailable)}<br><span class='jsl-desc'>{esc(hub.get('message'), 300)}</span></div>",
                layout=w.Layout(width=FULL),
            )
            cards.append(html)
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

    def _name(self, hub: dict[str, Any]) -> str:
        return untrusted.text(hub.get("display_name") or hub["name"], NAME_LIMIT)

    def _label(self, hub: dict[str, Any]) -> str:
        """The card's text: name; kind · count; description (a button's text, shown on several lines)."""
        count = self.counts.get(hub["name"]) or self.ctx.t("counting models…")
        lines = [self._name(hub), f"{self.kind_label(hub)} · {count}"]
        description = untrusted.text(hub.get("description"), DESCRIPTION_LIMIT).replace("\n", " ").strip()
        if description:
            lines.append(description)
        return "\n".join(lines)

    def _card(self, hub: dict[str, Any]) -> w.Widget:
        t = self.ctx.t
        card = button(
            self._label(hub), lambda: self.on_open(hub), tooltip=t("Browse the models of {hub}", hub=self._name(hub))
        )
        card.add_class("jsl-hub-card")
        card.layout = w.Layout(width=FULL, height="auto")
        self.open_buttons[hub["name"]] = card
        return column(card)

    def load_counts(self) -> None:
        """Fill in each hub's model count (one small search per hub, off the main thread)."""
        for hub in self.hubs:
            self.ctx.run(
                lambda hub=hub: self._count(hub), lambda text, hub=hub: self._set_count(hub, text), lane="counts"
            )

    def _set_count(self, hub: dict[str, Any], text: str) -> None:
        self.counts[hub["name"]] = text
        card = self.open_buttons.get(hub["name"])
        if card is not None:
            card.description = self._label(hub)

    def count_text(self, name: str) -> str:
        return self.counts.get(name, "")

    def _count(self, hub: dict[str, Any]) -> str:
        try:
            # the whole catalog's count: a cold hub's first answer counts only its first page
            page = until_complete(self.ctx, lambda: self.ctx.api.models(hub_key(hub), limit=1))
            total = int((page or {}).get("total", 0))
        except JumpStartLabError:
            return self.ctx.t("model count unavailable")
        return self.ctx.t.n("{count} model", "{count} models", total)
