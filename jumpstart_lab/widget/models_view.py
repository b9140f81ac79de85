"""Step 2: a hub's models: debounced search, facet filters, sort, "load more" paging, a count."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .context import FULL, Context, Quiet, button, column, esc, heading, row, until_complete
from .hubs_view import hub_ref

#: Filters whose options are the facet's values (``value (count)``), and those with fixed choices
#: (labelled ``choice (count)``); both named as the query parameter and the facet.
FACETS = ("task", "provider", "framework", "license", "instance_type")
CHOICES = ("gated", "trainable", "model_type")
FILTERS = ("task", "provider", "framework", "license", "gated", "trainable", "model_type", "instance_type")
PAGE_SIZE = 25


def badges(model: dict[str, Any], t: Any) -> str:
    """Lock badge for gated models, a badge for proprietary ones."""
    out = []
    if model.get("gated"):
        tip, label = t("Requires accepting a license (EULA)"), t("EULA")
        out.append(f"<span class='jsl-badge jsl-gated' title='{esc(tip)}'>&#128274; {esc(label)}</span>")
    if model.get("model_type") == "proprietary":
        label = t("Proprietary")
        out.append(f"<span class='jsl-badge jsl-proprietary'>{esc(label)}</span>")
    return " ".join(out)


class ModelsView(w.VBox):
    """Search and filter one hub's models. ``rows[model_id]`` is the button that opens a model."""

    def __init__(self, ctx: Context, on_select: Callable[[dict[str, Any]], None], *, debounce: float = 0.3) -> None:
        super().__init__(layout=w.Layout(width=FULL))
        self.ctx = ctx
        self.on_select = on_select
        self.debounce = debounce
        self.hub: dict[str, Any] = {}
        self.models: list[dict[str, Any]] = []
        self.total = 0
        self.next_cursor: str | None = None
        self.rows: dict[str, w.Button] = {}
        self._generation = 0
        self._timer: threading.Timer | None = None
        self._quiet = Quiet()  # set while this view updates its own widgets (per thread)
        t = ctx.t

        self.title = w.HTML()
        self.search = w.Text(placeholder=t("Search models"), continuous_update=True, layout=w.Layout(width=FULL))
        self.search.observe(self._on_search, "value")
        self.facets = {name: self._dropdown() for name in FACETS}
        self.instance_type = self.facets["instance_type"]
        self.choices: dict[str, list[tuple[str, str]]] = {
            "gated": [(t("Any license gate"), ""), (t("EULA required"), "true"), (t("No EULA"), "false")],
            "trainable": [(t("Trainable or not"), ""), (t("Trainable"), "true"), (t("Not trainable"), "false")],
            "model_type": [
                (t("Open weights or proprietary"), ""),
                (t("Open weights"), "open_weights"),
                (t("Proprietary"), "proprietary"),
            ],
        }
        self.gated = self._dropdown(self.choices["gated"])
        self.trainable = self._dropdown(self.choices["trainable"])
        self.model_type = self._dropdown(self.choices["model_type"])
        #: every filter dropdown by query parameter
        self.filters: dict[str, w.Dropdown] = {
            **self.facets,
            "gated": self.gated,
            "trainable": self.trainable,
            "model_type": self.model_type,
        }
        self.sort = self._dropdown([(t("Sort by name"), "name"), (t("Newest first"), "newest")], value="name")
        self.clear = button(t("Clear filters"), self.clear_filters)
        self.count = w.HTML()
        self.list = column()
        self.more = button(t("Load more"), self.load_more)
        self.more.layout.display = "none"
        self._set_facet_options({})
        filters = row(*(self.filters[name] for name in FILTERS), self.sort, self.clear)
        self.children = [self.title, self.search, filters, self.count, self.list, self.more]

    def _dropdown(self, options: list[tuple[str, str]] | None = None, value: str = "") -> w.Dropdown:
        d = w.Dropdown(options=options or [("", "")], value=value, layout=w.Layout(width="48%", min_width="140px"))
        d.observe(lambda change: None if self._quiet else self.reload(), "value")
        return d

    # -- querying --------------------------------------------------------------------
    def show_hub(self, hub: dict[str, Any]) -> None:
        """Show ``hub``'s models with a fresh search."""
        self.hub = hub
        self.title.value = heading(hub.get("display_name") or hub["name"])
        with self._quiet():
            self.search.value = ""
            for d in self.filters.values():
                d.value = ""
            self.sort.value = "name"
        self.reload()

    def query(self) -> dict[str, Any]:
        q: dict[str, Any] = {"q": self.search.value.strip() or None, "sort": self.sort.value, "limit": PAGE_SIZE}
        for name, d in self.filters.items():
            q[name] = d.value or None
        return q

    def filtered(self) -> bool:
        q = self.query()
        return any(q[k] for k in ("q", *FILTERS))

    def _on_search(self, _: Any) -> None:
        if self._quiet:
            return
        if self._timer is not None:
            self._timer.cancel()
        if self.debounce <= 0:
            self.reload()
        else:
            self._timer = threading.Timer(self.debounce, self.reload)
            self._timer.daemon = True
            self._timer.start()

    def reload(self) -> None:
        if self._quiet or not self.hub:
            return
        query = self.query()
        self._generation += 1
        generation = self._generation
        ref = hub_ref(self.hub)
        self.ctx.run(
            lambda: self.ctx.api.models(ref, **query),
            lambda page: self._show(page, generation, query=query),
            label=self.ctx.t("Searching models…"),
        )

    def _complete_later(self, query: dict[str, Any], generation: int) -> None:
        """Page 1 came before the hub's catalog finished loading: fetch it again until it is complete
        (counts, facets, and badges from model documents), unless the user moved on meanwhile."""
        ref = hub_ref(self.hub)
        shown = len(self.models)

        def until_done() -> dict[str, Any] | None:
            return until_complete(
                self.ctx,
                lambda: self.ctx.api.models(ref, **query),
                lambda: generation == self._generation,
                page={"complete": False},
            )

        def show(page: dict[str, Any] | None) -> None:
            if page is not None and len(self.models) == shown:  # not after "Load more"
                self._show(page, generation)

        self.ctx.run(until_done, show, lane="poll")

    def load_more(self) -> None:
        if not self.next_cursor:
            return
        query = self.query() | {"cursor": self.next_cursor}
        generation = self._generation
        ref = hub_ref(self.hub)
        self.ctx.run(
            lambda: self.ctx.api.models(ref, **query),
            lambda page: self._show(page, generation, more=True),
            label=self.ctx.t("Loading more models…"),
        )

    def clear_filters(self) -> None:
        with self._quiet():
            self.search.value = ""
            for d in self.filters.values():
                d.value = ""
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
            self.count.value = f"<small>{esc(text)}</small>"
        elif self.filtered():
            self.count.value = (
                "<p>"
                + esc(t("No models match your search and filters. Try fewer words, or clear the filters."))
                + "</p>"
            )
        else:
            empty = t("This hub has no models yet. An administrator can add models to it.")
            self.count.value = f"<p>{esc(empty)}</p>"
        if not page.get("complete", True):
            loading = t("loading the rest of the catalog…")
            self.count.value += f" <small class='jsl-desc'>({esc(loading)})</small>"
            if query is not None:
                self._complete_later(query, generation)

    def _row(self, model: dict[str, Any]) -> w.Widget:
        t = self.ctx.t
        label = model.get("display_name") or model["model_id"]
        open_button = button(label, lambda: self.on_select(model), tooltip=model["model_id"])
        open_button.layout.width = FULL
        open_button.add_class("jsl-model-button")
        self.rows[model["model_id"]] = open_button
        meta = " &middot; ".join(esc(v) for v in (model.get("provider"), model.get("task"), model.get("license")) if v)
        info = w.HTML(f"<small>{meta}</small> {badges(model, t)}", layout=w.Layout(width=FULL))
        box = column(open_button, info)
        box.add_class("jsl-model-row")
        return box

    def _set_facet_options(self, facets: dict[str, dict[str, int]]) -> None:
        """Every filter lists the facet's values with their counts in the current result set."""
        t = self.ctx.t
        any_labels = {
            "task": t("Any task"),
            "provider": t("Any provider"),
            "framework": t("Any framework"),
            "license": t("Any license"),
            "instance_type": t("Any instance type"),
        }
        with self._quiet():
            for name, d in self.facets.items():
                counts = facets.get(name, {}) or {}
                current = d.value
                options = [(any_labels[name], "")] + [
                    (f"{value} ({n})", value) for value, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
                ]
                if current and current not in counts:
                    options.append((current, current))
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

