"""The panel's navigation: its own toolbar row, or the sidebar's JupyterLab toolbar through the bridge.

Inline (a notebook's ``HubBrowser()``) the panel shows a row of icon buttons: Back, Hubs, Endpoints, Admin
(when curation is allowed) and Refresh. In JupyterLab's sidebar, once the frontend said ``ready`` with the
``toolbar`` feature, that row goes: the sidebar's own toolbar (LabIcons) navigates the panel with
``{"event": "navigate", "to"}``, and the panel says where it is after every move with
``{"action": "nav", "page", "hub", "back", "admin"}`` (``jumpstart_lab/lab/bridge.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from ..lab.bridge import LabBridge
from .context import button, row
from .i18n import Translator
from .state import PanelState, hub_key

log = logging.getLogger(__name__)


class PanelToolbar:
    """The navigation buttons of one panel and what they drive.

    ``actions``: what ``back``, ``hubs``, ``endpoints``, ``admin`` and ``refresh`` do (the panel's methods);
    ``admin_allowed``: whether the server allows curation now (the Admin button shows only then).
    """

    def __init__(
        self,
        t: Translator,
        state: PanelState,
        bridge: LabBridge | None,
        actions: Mapping[str, Callable[[], None]],
        *,
        main_area: bool,
        admin_allowed: Callable[[], bool],
    ) -> None:
        self.state = state
        self.bridge = bridge
        self.main_area = main_area
        self.admin_allowed = admin_allowed
        self.actions = actions
        self.back = button("", actions["back"], icon="arrow-left", tooltip=t("Back"))
        self.nav = {
            "hubs": button("", actions["hubs"], icon="home", tooltip=t("Hubs")),
            "endpoints": button("", actions["endpoints"], icon="server", tooltip=t("Endpoints")),
            "admin": button(
                "", actions["admin"], icon="wrench", tooltip=t("Admin: create, fill, share and delete hubs")
            ),
        }
        self.nav["admin"].layout.display = "none"  # until the server says curation is allowed
        self.refresh = button("", actions["refresh"], icon="refresh", tooltip=t("Refresh"))
        for b in (self.back, *self.nav.values(), self.refresh):
            b.add_class("jsl-icon-button")
        if main_area:  # the sidebar's own toolbar has the one Refresh (it runs reload through the bootstrap)
            self.refresh.layout.display = "none"
        self.row = row(self.back, *self.nav.values(), self.refresh)
        self.row.add_class("jsl-toolbar")
        if bridge is not None:
            bridge.on_ready = self.frontend_ready
            bridge.on_navigate = self.navigate

    def mark(self) -> None:
        """Show Back when it applies and mark the page the user is on (a model list or page is under Hubs)."""
        page = self.state.page
        self.back.layout.display = "inline-flex" if self.state.can_go_back else "none"
        current = "hubs" if page in ("models", "model") else page
        for name, b in self.nav.items():
            if name == current:
                b.add_class("jsl-selected")
            else:
                b.remove_class("jsl-selected")
        self.send_nav()

    def show_admin(self, allowed: bool) -> None:
        self.nav["admin"].layout.display = "inline-flex" if allowed else "none"
        self.send_nav()

    # -- the sidebar's JupyterLab toolbar ----------------------------------------------------
    @property
    def in_lab(self) -> bool:
        """Whether the sidebar's JupyterLab toolbar navigates this panel."""
        return self.main_area and self.bridge is not None and "toolbar" in self.bridge.features

    def frontend_ready(self) -> None:
        """The frontend connected: with the sidebar's toolbar, the panel's own row goes (one toolbar, LabIcons)."""
        self.row.layout.display = "none" if self.in_lab else None
        self.send_nav()

    def send_nav(self) -> None:
        """Tell the sidebar's toolbar where the panel is (no-op without it)."""
        if not self.in_lab:
            return
        page = self.state.page
        hub = hub_key(self.state.hub) if page == "models" and self.state.hub else ""
        try:
            self.bridge.nav(page, hub, back=self.state.can_go_back, admin=self.admin_allowed())  # type: ignore[union-attr]
        except Exception:  # the comm closed: the panel's own buttons are still there after a redraw
            log.debug("jumpstart_lab: nav not sent", exc_info=True)

    def navigate(self, to: str) -> None:
        """A toolbar button: ``back``, ``hubs``, ``endpoints`` or ``admin`` (the bridge checked it)."""
        self.actions[to]()
