"""The panel's state: which page, hub and model are shown, and each hub's search. Views render it.

Every navigation is a method here (one place for transitions, in the spirit of jupyter-scheduler's
view enum and JupyterLab's extension-manager list model); views observe ``page`` and read the rest.
Plain traitlets, no widgets: it can be tested alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from traitlets import Bool, Dict, Enum, HasTraits

from ..lab.protocol import PAGES  # the navigator's pages (shared with the labextension's toolbar)

FILTERS = ("task", "provider", "framework", "license", "gated", "trainable", "model_type", "instance_type")
SORTS = ("name", "title", "newest")


@dataclass
class HubQuery:
    """One hub's search as the user left it: text, filters, sort, how many rows were loaded."""

    q: str = ""
    filters: dict[str, str] = field(default_factory=lambda: dict.fromkeys(FILTERS, ""))
    sort: str = "name"  # model id order: page 1 of a cold hub is answered before its whole catalog is read
    shown: int = 0

    def active_filters(self) -> int:
        return sum(1 for v in self.filters.values() if v)

    def params(self, limit: int) -> dict[str, Any]:
        """The ``GET hubs/{hub}/models`` parameters."""
        return {"q": self.q.strip() or None, "sort": self.sort, "limit": limit} | {
            k: (v or None) for k, v in self.filters.items()
        }

    def filtered(self) -> bool:
        return bool(self.q.strip()) or self.active_filters() > 0


def hub_key(hub: dict[str, Any]) -> str:
    """How the API names a hub: its ARN when shared from another account, else its name."""
    if hub.get("ref"):
        return str(hub["ref"])
    return str(hub["arn"]) if hub.get("kind") == "shared" and hub.get("arn") else str(hub["name"])


class PanelState(HasTraits):
    """``page``; ``hub`` (open in the navigator); ``model`` ({hub, model_id, version}) of the in-panel model
    page; ``modal`` while a dialog blocks the panel; ``queries`` per hub key; ``notebook_kind`` per model."""

    page = Enum(PAGES, default_value="hubs")
    hub = Dict()
    model = Dict()
    modal = Bool(False)

    def __init__(self) -> None:
        super().__init__()
        self.queries: dict[str, HubQuery] = {}
        self.notebook_kinds: dict[tuple[str, str], str] = {}
        self._history: list[str] = []

    # -- queries -----------------------------------------------------------------------
    def query(self, hub: dict[str, Any] | None = None) -> HubQuery:
        """The search of ``hub`` (default: the open one), kept while the panel lives."""
        key = hub_key(hub if hub is not None else self.hub) if (hub or self.hub) else ""
        return self.queries.setdefault(key, HubQuery())

    # -- transitions -------------------------------------------------------------------
    def go(self, page: str) -> None:
        """Show ``page``; Back returns to where this was called from."""
        if page != self.page:
            self._history.append(self.page)
            del self._history[:-20]
        self.page = page

    def open_hub(self, hub: dict[str, Any]) -> None:
        self.hub = dict(hub)
        self.go("models")

    def show_model(self, hub: str, model_id: str, version: str | None = None) -> None:
        """The in-panel model page (no main area)."""
        self.model = {"hub": hub, "model_id": model_id, "version": version}
        self.go("model")

    def home(self) -> None:
        self._history.clear()
        self.page = "hubs"

    def back(self) -> None:
        """The page before, skipping ones that no longer make sense (a hub page without a hub)."""
        while self._history:
            page = self._history.pop()
            if (page == "models" and not self.hub) or (page == "model" and not self.model) or page == self.page:
                continue
            self.page = page
            return
        self.page = "hubs"

    @property
    def can_go_back(self) -> bool:
        return self.page != "hubs"
