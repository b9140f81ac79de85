"""A hub's models as a dense list: search on top, filters in a collapsible "Filters (n)" area, ~40 px rows.

The search of each hub (text, filters, sort, rows loaded) lives in the panel state (:class:`HubQuery`), so
returning to a hub shows it as it was left. Filters list the facet values of the current result with their
counts, in words a person reads (``Text generation (12)``), labelled for screen readers.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .. import untrusted
from ..errors import JumpStartLabError
from .context import FULL, Context, Quiet, button, column, esc, row, until_complete
from .labels import value_label
from .state import FILTERS, PanelState, hub_key

#: Filters whose options are the facet's values, and those with fixed choices; named as the query parameter.
FACETS = ("task", "provider", "framework", "license", "instance_type")
CHOICES = ("gated", "trainable", "model_type")
PAGE_SIZE = 25
NAME_LIMIT = 120
#: The instance-type filter's "deployable with my quota" choice: the types with free endpoint quota, asked
#: from ``GET instance-types`` when the search runs.
QUOTA_CHOICE = "@quota"


def badges(model: dict[str, Any], t: Any) -> str:
    """Badges for gated, proprietary and trainable models (outlined: readable in light and dark themes)."""
    out = []
    if model.get("gated"):
        tip, label = t("Requires accepting a license (EULA)"), t("EULA")
        out.append(f"<span class='jsl-badge jsl-gated' title='{esc(tip)}'>{esc(label)}</span>")
    if model.get("model_type") == "proprietary":
        tip, label = t("Proprietary: subscribe in AWS Marketplace"), t("Proprietary")
        out.append(f"<span class='jsl-badge jsl-proprietary' title='{esc(tip)}'>{esc(label)}</span>")
    if model.get("trainable"):
        tip, label = t("Can be fine-tuned"), t("Trainable")
        out.append(f"<span class='jsl-badge jsl-trainable' title='{esc(tip)}'>{esc(label)}</span>")
    return " ".join(out)


class ModelsView(w.VBox):
    """Search and filter one hub's models. ``rows[model_id]`` is the button that opens a model."""

    def __init__(
        self, ctx: Context, state: PanelState, on_select: Callable[[dict[str, Any]], None], *, debounce: float = 0.3
    ) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.add_class("jsl-models")
        self.ctx = ctx
        self.state = state
        self.on_select = on_select
        self.debounce = debounce
        self.hub: dict[str, Any] = {}
        self.models: list[dict[str, Any]] = []
        self.total = 0
        self.next_cursor: str | None = None
        self.rows: dict[str, w.Button] = {}
        self._generation = 0
        self._timer: threading.Timer | None = None
        self._applying = Quiet()  # while this view sets its widgets from the state (per thread: not a user's)
        t = ctx.t

        self.title = w.HTML()
        self.search = w.Text(
            placeholder=t("Search models"), continuous_update=True, layout=w.Layout(width=FULL), description=""
        )
        self.search.add_class("jsl-search")
        self.search.observe(self._on_search, "value")
        labels = {
            "task": t("Task"),
            "provider": t("Provider"),
            "framework": t("Framework"),
            "license": t("License"),
            "gated": t("License gate"),
            "trainable": t("Fine-tuning"),
            "model_type": t("Weights"),
            "instance_type": t("Instance type"),
        }
        self.choices: dict[str, list[tuple[str, str]]] = {
            "gated": [(t("Any"), ""), (t("EULA required"), "true"), (t("No EULA"), "false")],
            "trainable": [(t("Any"), ""), (t("Trainable"), "true"), (t("Not trainable"), "false")],
            "model_type": [(t("Any"), ""), (t("Open weights"), "open_weights"), (t("Proprietary"), "proprietary")],
        }
        #: every filter dropdown by query parameter, labelled
        self.filters: dict[str, w.Dropdown] = {
            name: self._dropdown(labels[name], self.choices.get(name) or [(t("Any"), "")]) for name in FILTERS
        }
        self.facets = {name: self.filters[name] for name in FACETS}
        self.instance_type = self.filters["instance_type"]
        self.gated, self.trainable, self.model_type = (self.filters[k] for k in CHOICES)
        self.sort = self._dropdown(
            t("Sort"), [(t("Model id"), "name"), (t("Name (A-Z)"), "title"), (t("Newest first"), "newest")]
        )
        self.clear = button(t("Clear filters"), self.clear_filters, icon="times")
        self.filters_toggle = button(t("Filters"), self.toggle_filters, icon="filter")
        self.filters_toggle.add_class("jsl-filters-toggle")
        self.filter_box = w.GridBox(
            [*self.filters.values(), self.sort, self.clear],
            layout=w.Layout(width=FULL, display="none", grid_template_columns="repeat(auto-fill, minmax(120px, 1fr))"),
        )
        self.filter_box.add_class("jsl-filter-grid")
        self.count = w.HTML(layout=w.Layout(flex="1 1 auto", min_width="0"))
        self.list = column()
        self.list.add_class("jsl-model-list")
        self.more = button(t("Load more"), self.load_more)
        self.more.layout.display = "none"
        self.children = [
            self.title,
            self.search,
            row(self.filters_toggle, self.count),
            self.filter_box,
            self.list,
            self.more,
        ]

    def _dropdown(self, label: str, options: list[tuple[str, str]]) -> w.Dropdown:
        d = w.Dropdown(
            options=options,
            value=options[0][1],
            description=label,
            style={"description_width": "initial"},
            layout=w.Layout(width="auto", min_width="0"),
        )
        d.add_class("jsl-filter")
        d.observe(self._on_filter, "value")
        return d

    # -- querying --------------------------------------------------------------------
    def show_hub(self, hub: dict[str, Any]) -> None:
        """Show ``hub``'s models with the search it had when the user left it."""
        self.hub = hub
        name = untrusted.text(hub.get("display_name") or hub["name"], NAME_LIMIT)
        self.title.value = f"<h3 class='jsl-title'>{esc(name)}</h3>"
        query = self.state.query(hub)
        with self._applying():
            self.search.value = query.q
            for key, d in self.filters.items():
                value = query.filters.get(key, "")
                if value and value not in [v for _, v in d.options]:
                    d.options = [*d.options, (value_label(key, value, self.ctx.t), value)]
                d.value = value
            self.sort.value = query.sort
        self._label_toggle()
        self.reload(limit=max(PAGE_SIZE, query.shown))

    def query(self) -> dict[str, Any]:
        return self.state.query(self.hub).params(PAGE_SIZE)

    def filtered(self) -> bool:
        return self.state.query(self.hub).filtered()

    def _on_filter(self, change: dict[str, Any]) -> None:
        if self._applying or not self.hub:
            return
        query = self.state.query(self.hub)
        owner = change["owner"]
        if owner is self.sort:
            query.sort = change["new"] or "name"
        else:
            name = next(k for k, d in self.filters.items() if d is owner)
            query.filters[name] = change["new"] or ""
        self._label_toggle()
        self.reload()

    def _on_search(self, change: dict[str, Any]) -> None:
        if self._applying or not self.hub:
            return
        self.state.query(self.hub).q = change["new"]
        if self._timer is not None:
            self._timer.cancel()
        if self.debounce <= 0:
            self.reload()
        else:
            self._timer = threading.Timer(self.debounce, self.reload)
            self._timer.daemon = True
            self._timer.start()

    def toggle_filters(self) -> None:
        self.filter_box.layout.display = "none" if self.filter_box.layout.display == "grid" else "grid"

    def _label_toggle(self) -> None:
        t = self.ctx.t
        n = self.state.query(self.hub).active_filters() if self.hub else 0
        self.filters_toggle.description = t("Filters ({count})", count=n) if n else t("Filters")
        self.filters_toggle.tooltip = t("Show or hide the filters")

    def reload(self, limit: int = PAGE_SIZE) -> None:
        if not self.hub:
            return
        query = self.state.query(self.hub).params(limit)
        self._generation += 1
        generation = self._generation
        ref = hub_key(self.hub)
        self.ctx.run(
            lambda: self._models(ref, query),
            lambda page: self._show(page, generation, query=query),
            label=self.ctx.t("Searching models…"),
        )

    def _complete_later(self, query: dict[str, Any], generation: int) -> None:
        """Page 1 came before the hub's catalog finished loading: fetch it again until it is complete
        (counts, facets, and badges from model documents), unless the user moved on meanwhile."""
        ref = hub_key(self.hub)
        shown = len(self.models)

        def until_done() -> dict[str, Any] | None:
            return until_complete(
                self.ctx,
                lambda: self._models(ref, query),
                lambda: generation == self._generation,
                page={"complete": False},
            )

        def show(page: dict[str, Any] | None) -> None:
            if page is not None and len(self.models) == shown:  # not after "Load more"
                self._show(page, generation)

        self.ctx.run(until_done, show, lane="poll")

    def _models(self, ref: str, query: dict[str, Any]) -> dict[str, Any]:
        """``GET hubs/{hub}/models``; "deployable with my quota" becomes the types with free quota."""
        if query.get("instance_type") != QUOTA_CHOICE:
            return self.ctx.api.models(ref, **query)
        body = self.ctx.api.instance_types()
        free = [r["name"] for r in body.get("instance_types", []) if (r.get("available") or 0) > 0]
        if not free and body.get("reason"):
            message = self.ctx.t("Your quotas could not be read: {reason}", reason=body["reason"])
            raise JumpStartLabError(message, code="QuotasUnavailable")
        if not free:
            return {"models": [], "total": 0, "facets": {}, "next_cursor": None, "complete": True}
        return self.ctx.api.models(ref, **{**query, "instance_type": ",".join(free)})

    def load_more(self) -> None:
        if not self.next_cursor:
            return
        query = self.query() | {"cursor": self.next_cursor}
        generation = self._generation
        ref = hub_key(self.hub)
        self.ctx.run(
            lambda: self._models(ref, query),
            lambda page: self._show(page, generation, more=True),
            label=self.ctx.t("Loading more models…"),
        )

    def clear_filters(self) -> None:
        query = self.state.query(self.hub)
        query.q = ""
        query.filters = dict.fromkeys(FILTERS, "")
        with self._applying():
            self.search.value = ""
            for d in self.filters.values():
                d.value = ""
        self._label_toggle()
        self.reload()

    # -- rendering --------------------------------------------------------------------
    def _show(
        self, page: dict[str, Any], generation: int, more: bool = False, query: dict[str, Any] | None = None
    ) -> None:
        """Show a page (``more``: append it); ``query`` given: complete an incomplete page later."""
        if generation != self._generation:  # an older search answered late
            return
        t = self.ctx.t
        new = list(page.get("models", []))
        self.models = [*self.models, *new] if more else new
        self.state.query(self.hub).shown = len(self.models)
        self.total = int(page.get("total", 0))
        self.next_cursor = page.get("next_cursor")
        if not more:
            self.rows.clear()
        if not more or page.get("complete", True):  # every complete page has the query's facets
            self._set_facet_options(page.get("facets", {}))
        rows = [self._row(m) for m in new]
        self.list.children = [*self.list.children, *rows] if more else rows
        self.more.layout.display = "inline-flex" if self.next_cursor else "none"
        if self.total:
            text = t.n("{count} model", "{count} models", self.total)
            if len(self.models) < self.total:
                text = t("{shown} of {total}", shown=len(self.models), total=text)
            self.count.value = f"<span class='jsl-count'>{esc(text)}</span>"
        elif self.filtered():
            empty = t("No models match your search and filters. Try fewer words, or clear the filters.")
            self.count.value = f"<span class='jsl-count'>{esc(empty)}</span>"
        else:
            empty = t("This hub has no models yet. An administrator can add models to it.")
            self.count.value = f"<span class='jsl-count'>{esc(empty)}</span>"
        if not page.get("complete", True):
            loading = t("loading the rest of the catalog…")
            self.count.value += f" <span class='jsl-desc'>({esc(loading)})</span>"
            if query is not None:
                self._complete_later(query, generation)

    def _row(self, model: dict[str, Any]) -> w.Widget:
        """One dense row: a button (name, then provider · task · license) and the model's badges."""
        t = self.ctx.t
        name = untrusted.text(model.get("display_name") or model["model_id"], NAME_LIMIT)
        meta = " · ".join(
            untrusted.text(v, 60)
            for v in (
                model.get("provider"),
                value_label("task", model.get("task"), t) if model.get("task") else None,
                model.get("license"),
            )
            if v
        )
        open_button = button(
            f"{name}\n{meta}" if meta else name, lambda: self.on_select(model), tooltip=model["model_id"]
        )
        open_button.add_class("jsl-model-button")
        open_button.layout = w.Layout(flex="1 1 auto", min_width="0", width="auto", height="auto")
        self.rows[model["model_id"]] = open_button
        marks = w.HTML(badges(model, t), layout=w.Layout(flex="0 0 auto"))
        marks.add_class("jsl-badges")
        box = w.HBox([open_button, marks], layout=w.Layout(width=FULL, align_items="center"))
        box.add_class("jsl-model-row")
        return box

    def _set_facet_options(self, facets: dict[str, dict[str, int]]) -> None:
        """Every filter lists the facet's values with their counts in the current result set."""
        t = self.ctx.t
        with self._applying():
            for name, d in self.facets.items():
                counts = facets.get(name, {}) or {}
                current = d.value
                ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                options = [(t("Any"), "")] + [(f"{value_label(name, v, t)} ({n})", v) for v, n in ranked]
                if name == "instance_type":
                    options.insert(1, (t("Deployable with my quota"), QUOTA_CHOICE))
                if current and current not in counts and current != QUOTA_CHOICE:
                    options.append((value_label(name, current, t), current))
                d.options = options
                d.value = current
            for name, choices in self.choices.items():
                d = self.filters[name]
                current = d.value
                if name in facets:  # (no counts before the first answer)
                    counts = facets[name] or {}
                    choices = [
                        (f"{label} ({counts.get(value, 0)})" if value else label, value) for label, value in choices
                    ]
                d.options = choices
                d.value = current
