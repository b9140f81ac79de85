"""Card "Add public models": search the public hub with the catalog's filters, pick results, every result
of the search ("Select all results": the server adds every match of the filter) or typed ids, with an
optional minimum version; the server reports each model as it goes and the progress bar follows."""

from __future__ import annotations

from typing import Any

import ipywidgets as w

from ... import validation
from ..context import FULL, button, column, esc, message_of, row
from ..i18n import Translator
from .context import PUBLIC, AdminContext, card, split, warn

FILTERS = ("framework", "task", "provider")
SHOWN = 50  # search results listed for picking; "select all" covers every result
STATUSES = ("added", "updated", "already_present", "failed")


def summary(results: list[dict[str, Any]], t: Translator) -> str:
    """``3 added, 1 already in the hub, 0 failed.`` (and how many got the new minimum version)."""
    count = {s: sum(r["status"] == s for r in results) for s in STATUSES}
    text = t("{added} added, {present} already in the hub, {failed} failed.", added=count["added"],
             present=count["already_present"], failed=count["failed"])  # fmt: skip
    if count["updated"]:
        text += " " + t("{updated} updated to the new minimum version.", updated=count["updated"])
    return text


class AddCard:
    def __init__(self, ctx: AdminContext) -> None:
        self.ctx = ctx
        t = ctx.t
        self.match_query: dict[str, Any] | None = None  # the search whose results are on screen
        self.search = w.Text(placeholder=t("Search public models"), layout=w.Layout(width=FULL))
        self.filters = {
            name: w.Dropdown(
                options=[(t("Any {facet}", facet=name), "")], value="", layout=w.Layout(width="32%", min_width="120px")
            )
            for name in FILTERS
        }
        self.find_button = button(t("Find"), self.find, icon="search")
        self.match_count = w.HTML()
        self.match_boxes: dict[str, w.Checkbox] = {}
        self.match_list = column()
        self.select_all = w.Checkbox(value=False, description=t("Select all results"), indent=False)
        self.model_ids = w.Text(placeholder=t("…or model ids, comma separated"), layout=w.Layout(width=FULL))
        self.min_version = w.Text(
            placeholder=t("Minimum version (optional), e.g. 1.0.0"), layout=w.Layout(width=FULL)
        )  # pins the references (MinVersion); set again, it updates existing ones
        self.add_button = button(t("Add as references"), self.add_selected, style="primary", icon="plus")
        self.result = w.HTML()
        self.box = card(
            t("Add public models"), self.search, row(*self.filters.values(), self.find_button), self.match_count,
            self.match_list, self.select_all, self.model_ids, self.min_version, self.add_button, self.result,
        )  # fmt: skip

    def set_facets(self, facets: dict[str, dict[str, int]]) -> None:
        """Each filter lists the public catalog's values of its facet, with their counts."""
        for name, dropdown in self.filters.items():
            values = sorted(facets.get(name, {}).items())
            dropdown.options = [(self.ctx.t("Any {facet}", facet=name), "")] + [(f"{v} ({n})", v) for v, n in values]

    def _query(self) -> dict[str, Any]:
        query = {name: d.value for name, d in self.filters.items() if d.value}
        if self.search.value.strip():
            query["q"] = self.search.value.strip()
        return query

    def find(self) -> None:
        ctx, query = self.ctx, self._query()
        ctx.run(lambda: ctx.client.models(PUBLIC, limit=SHOWN, **query),
                lambda page: self._show_matches(page, query), label=ctx.t("Searching the public hub…"))  # fmt: skip

    def _show_matches(self, page: dict[str, Any], query: dict[str, Any]) -> None:
        self.match_query = query  # "select all" means every result of this search, whatever the controls say later
        self.select_all.value = False
        self.match_boxes = {
            m["model_id"]: w.Checkbox(value=False, indent=False, layout=w.Layout(width=FULL),
                                      description=f"{m['model_id']}" + (" 🔒" if m.get("gated") else ""))
            for m in page["models"]
        }  # fmt: skip
        self.match_list.children = list(self.match_boxes.values())
        self.match_count.value = esc(self.ctx.t("{shown} of {total} public models shown", shown=len(page["models"]),
                                                total=page["total"]))  # fmt: skip

    def add_selected(self) -> None:
        ctx, hub = self.ctx, self.ctx.hub
        picked = [m for m, box in self.match_boxes.items() if box.value]
        typed = split(self.model_ids.value)
        every = self.match_query if self.select_all.value else None  # the search on screen, not the controls now
        models = list(dict.fromkeys(typed if every is not None else picked + typed))
        if not hub or not (models or every is not None):
            return
        pin = self.min_version.value.strip()
        if pin and not validation.HUB_CONTENT_VERSION.fullmatch(pin):
            self.result.value = warn(ctx.t("{value} is not a version like 1.0.0.", value=pin))
            return

        def add() -> dict[str, Any]:
            results: list[dict[str, Any]] = []
            outcome: dict[str, Any] = {"hub": hub, "results": results, "done": 0, "total": len(models)}

            def step(what: str, done: int, total: int) -> None:
                outcome["done"], outcome["total"] = done, total
                ctx.step(what, done, total)

            ctx.start_progress(len(models))
            try:
                if every is not None:  # the server selects every match of the search
                    results += ctx.client.add_references(hub, filter=every, min_version=pin or None,
                                                         progress=step)["results"]  # fmt: skip
                if models:
                    results += ctx.client.add_references(hub, models, min_version=pin or None, progress=step)["results"]
            except Exception as exc:  # keep what was done, and say where it stopped
                ctx.reset_progress()
                outcome["error"] = exc
            return outcome

        ctx.run(add, self._added, label=ctx.t("Adding references…"))

    def _added(self, outcome: dict[str, Any]) -> None:
        ctx, t = self.ctx, self.ctx.t
        results, error = outcome["results"], outcome.get("error")
        lines = [esc(summary(results, t))]
        if error is not None and outcome["done"]:
            lines.append(warn(t("Stopped after {done} of {total} models: {error}", done=outcome["done"],
                                total=outcome["total"], error=message_of(error, t))))  # fmt: skip
        elif error is not None:
            lines.append(warn(message_of(error, t)))
        lines += [warn(f"{r['model_id']}: {r.get('message') or r.get('code')}") for r in results
                  if r["status"] == "failed"]  # fmt: skip
        self.result.value = "<br>".join(lines)
        if error is None:
            self.model_ids.value = ""  # after a failure the typed ids stay, to try again
        if outcome["hub"] == ctx.hub:
            ctx.load_hub()
        if error is not None:
            ctx.on_error(error)
