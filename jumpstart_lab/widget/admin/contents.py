"""Card "Models in this hub": the hub's references, each with a checkbox, and "Remove selected"."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ..context import FULL, button, column, esc
from .context import AdminContext, card


class ReferencesCard:
    def __init__(self, ctx: AdminContext) -> None:
        self.ctx = ctx
        self.boxes: dict[str, w.Checkbox] = {}  # model id -> its checkbox, as listed
        self.list = column()
        self.remove_button = button(ctx.t("Remove selected"), self.remove_selected, icon="trash")
        self.box = card(ctx.t("Models in this hub"), self.list, self.remove_button)

    def show(self, refs: dict[str, Any]) -> None:
        self.boxes = {
            r["model_id"]: w.Checkbox(value=False, indent=False, description=r["model_id"],
                                      layout=w.Layout(width=FULL))
            for r in refs["references"]
        }  # fmt: skip
        empty = w.HTML(f"<i>{esc(self.ctx.t('No models yet.'))}</i>")
        self.list.children = list(self.boxes.values()) or [empty]

    def remove_selected(self) -> None:
        ctx = self.ctx
        hub, chosen = ctx.hub, [m for m, box in self.boxes.items() if box.value]
        if not hub or not chosen:
            return

        def remove() -> None:
            ctx.start_progress(len(chosen))
            try:
                for model_id in chosen:
                    ctx.client.remove_reference(hub, model_id)
                    ctx.progress.value += 1
            except Exception:
                ctx.reset_progress()
                raise
            finally:
                ctx.load_hub()  # show what the hub holds now, also after a failure

        ctx.run(remove, label=ctx.t("Removing references…"))
