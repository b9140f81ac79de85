"""Card "Create a private hub": name, display name, description, keywords."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..context import FULL, button, esc
from .context import AdminContext, card, split


class CreateCard:
    def __init__(self, ctx: AdminContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.name = w.Text(placeholder=t("Hub name, e.g. CompanyHub2"), layout=w.Layout(width=FULL))
        self.display_name = w.Text(placeholder=t("Display name"), layout=w.Layout(width=FULL))
        self.description = w.Textarea(placeholder=t("Description"), layout=w.Layout(width=FULL))
        self.keywords = w.Text(placeholder=t("Keywords, comma separated (lower case)"), layout=w.Layout(width=FULL))
        self.create_button = button(t("Create hub"), self.create, style="primary", icon="plus")
        self.box = card(t("Create a private hub"), self.name, self.display_name, self.description, self.keywords,
                        self.create_button)  # fmt: skip

    def create(self) -> None:
        ctx, name = self.ctx, self.name.value.strip()
        display, description, keywords = self.display_name.value.strip(), self.description.value.strip(), \
            split(self.keywords.value)  # fmt: skip

        def created(hub: dict[str, Any]) -> None:
            for field in (self.name, self.display_name, self.description, self.keywords):
                field.value = ""
            ctx.notice.value = esc(ctx.t("Created hub {hub}.", hub=hub["name"]))
            ctx.load_hubs(hub["name"])

        ctx.run(lambda: ctx.client.create_hub(name, description, display_name=display or name, keywords=keywords),
                created, label=ctx.t("Creating the hub…"))  # fmt: skip
