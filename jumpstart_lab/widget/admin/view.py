"""The Admin view: curate private hubs (the private-hubs blog's admin flow) from the panel.

A hub picker over five cards, each its own module on a shared :class:`AdminContext`: create a hub
(:mod:`.create`), the hub's references (:mod:`.contents`), add public models (:mod:`.adding`), share
through AWS RAM (:mod:`.sharing`), delete the hub (:mod:`.deleting`). The workflows are the server's:
the cards call :class:`~jumpstart_lab.client.JumpStartClient`'s curation methods and show the progress
the server reports.

``AdminView(client, on_error)``; mount ``view.widget``. Offer it only when
``client.curation_status()`` says the server allows curation for this user.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ipywidgets as w

from ...client import JumpStartClient
from ..context import FULL, Quiet, Tasks, button, column, heading, row
from ..i18n import Translator
from .adding import AddCard
from .contents import ReferencesCard
from .context import PUBLIC, AdminContext
from .create import CreateCard
from .deleting import DeleteCard
from .sharing import SharingCard


class AdminView:
    """Hub curation for administrators. ``widget`` is what to display."""

    def __init__(
        self,
        client: JumpStartClient,
        on_error: Callable[[BaseException], None],
        *,
        locale: str | None = None,
        background: bool = True,
        autoload: bool = False,
        lab_confirm: Callable[[str, str, str, Callable[[], None]], bool] | None = None,
    ) -> None:
        self.t = t = Translator(locale)
        self.hub_select = w.Dropdown(options=[], description=t("Hub"), layout=w.Layout(width=FULL))
        self.ctx = ctx = AdminContext(client, t, Tasks(background), on_error, selected=lambda: self.hub_select.value)
        ctx.load_hub, ctx.load_hubs = self.load_hub, self._reload_hubs
        if lab_confirm is not None:
            ctx.lab_confirm = lab_confirm
        self.hubs: list[dict[str, Any]] = []
        self._quiet = Quiet()  # set while the view replaces the hub list (per thread)
        self.hub_select.observe(lambda _: None if self._quiet else self._hub_changed(), "value")
        self.refresh_button = button(t("Refresh"), self.load, icon="refresh")

        self.create = CreateCard(ctx)
        self.references = ReferencesCard(ctx)
        self.adding = AddCard(ctx)
        self.sharing = SharingCard(ctx)
        self.deleting = DeleteCard(ctx)
        self.hub_sections = column(self.references.box, self.adding.box, self.sharing.box, self.deleting.box)
        self.widget = column(
            w.HTML(heading(t("Hub administration"))), ctx.status, ctx.progress, ctx.notice,
            row(self.hub_select, self.refresh_button), self.create.box, self.hub_sections,
        )  # fmt: skip
        self.widget.add_class("jsl-browser")
        self._show_hub_sections()
        if autoload:
            self.load()

    @property
    def hub(self) -> str | None:
        """The selected private hub."""
        return self.hub_select.value or None

    @property
    def notice(self) -> w.HTML:
        """The outcome of the last create or delete."""
        return self.ctx.notice

    @property
    def progress(self) -> w.IntProgress:
        return self.ctx.progress

    def wait(self, timeout: float | None = 120.0) -> None:
        """Block until pending REST calls are done (tests, scripts)."""
        self.ctx.tasks.wait(timeout)

    def close(self) -> None:
        self.ctx.tasks.close()
        self.widget.close()

    # -- hubs ---------------------------------------------------------------------------
    def load(self) -> None:
        """(Re)load the private hubs and the public catalog's filter values."""
        self.ctx.run(self._fetch_start, self._started, label=self.t("Loading hubs…"))

    def _fetch_start(self) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        client = self.ctx.client
        hubs = client.hubs(refresh=True)["hubs"]
        facets = client.models(PUBLIC, limit=1).get("facets", {})
        return [h for h in hubs if h.get("kind") == "private"], facets

    def _started(self, result: tuple[list[dict[str, Any]], dict[str, Any]], select: str | None = None) -> None:
        self.hubs, facets = result
        self.adding.set_facets(facets)
        self._set_hubs(select or self.hub)

    def _reload_hubs(self, select: str | None) -> None:
        """After a create or delete (on the worker): the hub list again, ``select`` (or the first) selected."""
        self._started(self._fetch_start(), select=select)

    def _set_hubs(self, select: str | None) -> None:
        names = [h["name"] for h in self.hubs]
        with self._quiet():  # replacing the options would fire a change (and a load) per step
            self.hub_select.options = [(h.get("display_name") or h["name"], h["name"]) for h in self.hubs]
            self.hub_select.value = select if select in names else (names[0] if names else None)
        self._hub_changed()

    def _show_hub_sections(self) -> None:
        self.hub_sections.layout.display = "flex" if self.hub else "none"

    def _hub_changed(self) -> None:
        self._show_hub_sections()
        self.deleting.cancel()
        self.adding.result.value = ""
        if self.hub:
            self.load_hub()

    def load_hub(self) -> None:
        """Show the selected hub's references and shares (read from AWS)."""
        hub, client = self.hub, self.ctx.client
        if hub:
            self.ctx.run(lambda: (client.references(hub), client.shares(hub)), self._show_hub,
                         label=self.t("Loading {hub}…", hub=hub))  # fmt: skip

    def _show_hub(self, result: tuple[dict[str, Any], dict[str, Any]]) -> None:
        refs, shares = result
        if refs["hub"] != self.hub:
            return  # the admin picked another hub meanwhile
        self.references.show(refs)
        self.sharing.show(shares)
