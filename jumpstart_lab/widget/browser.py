"""``HubBrowser``: the panel users click through, in JupyterLab's sidebar and inline in notebooks.

The navigator: hubs -> a hub's models. A model opens its :class:`~.model_page.ModelPage` (actions, the EULA
gate, the deploy form): in a main-area tab when the panel runs in the sidebar (``main_area=True``), else as
a page of the panel. The endpoints and, when the server allows curation, the Admin view likewise.
Navigation is :class:`~.state.PanelState`; the panel renders it. Talks only to
:class:`~jumpstart_lab.client.JumpStartClient`.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Iterator
from typing import Any

import ipywidgets as w

from .. import untrusted, validation
from ..client import ApiError, JumpStartClient
from ..lab.bridge import LabBridge
from .admin import AdminView, curation_status
from .banners import BusyLine, ErrorBanner, InfoBanner
from .context import FULL, Context, Tasks, button, esc, message_of, row
from .deploy_form import DeployForm
from .dialogs import Dialogs, PanelDialog
from .endpoints_view import EndpointsView
from .hubs_view import HubsView
from .i18n import Translator
from .model_page import ModelPage
from .models_view import ModelsView
from .state import PanelState, hub_key
from .style import CSS

log = logging.getLogger(__name__)

NAV = ("hubs", "endpoints", "admin")


def model_key(hub: str, model_id: str) -> str:
    """The main-area view key of a model page."""
    return f"{hub}\n{model_id}"


class HubBrowser(w.VBox):
    """Browse SageMaker JumpStart hubs, accept EULAs, open notebooks, deploy models.

    ``client``: a :class:`JumpStartClient` (default: the server that runs this kernel).
    ``locale``: JupyterLab's language (``"de_DE"``); default: the process locale.
    ``background``: run REST calls on worker threads (default) or inline.
    ``bridge_target``: the JupyterLab tab whose bridge opens notebooks and views (the sidebar's client id).
    ``notebook_dir``: where generated notebooks go (the sidebar's setting; empty: the server's default).
    ``main_area``: model pages, endpoints and admin open in JupyterLab main-area tabs (the sidebar).
    ``poll_interval`` / ``sleep`` / ``autopoll``: deployment status polling.
    """

    def __init__(
        self,
        client: JumpStartClient | None = None,
        *,
        locale: str | None = None,
        background: bool = True,
        poll_interval: float = 5.0,
        sleep: Callable[[float], None] | None = None,
        debounce: float = 0.3,
        bridge_target: str = "",
        notebook_dir: str = "",
        main_area: bool = False,
        autoload: bool = True,
        autopoll: bool = True,
    ) -> None:
        super().__init__(layout=w.Layout(width=FULL, max_width=FULL))
        self.add_class("jsl-browser")
        self.locale = locale
        self.main_area = main_area
        self.autopoll = autopoll
        self.t = t = Translator(locale)
        self.tasks = Tasks(background)
        self.error = ErrorBanner(t)
        self.busy = BusyLine()
        self.ctx = Context(
            t,
            self.tasks,
            self._report,
            self.busy.set,
            client=client,
            poll_interval=poll_interval,
            clear_error=self.error.clear,
        )
        if sleep is not None:
            self.ctx.sleep = sleep
        self.state = PanelState()
        self.bridge: LabBridge | None = None
        try:
            self.bridge = LabBridge(target=bridge_target)
        except Exception:  # no kernel comm (a plain Python process): links still work
            log.debug("jumpstart_lab: bridge unavailable", exc_info=True)
        self.bridge_target = bridge_target
        self.notebook_dir = ""
        self.configure(notebook_dir=notebook_dir)
        self._saved_disabled: dict[int, tuple[w.Widget, bool]] = {}
        self.dialogs = Dialogs(self.ctx, lambda: self.bridge, self.open_modal, self.close_modal)
        self.ctx.confirm = self.dialogs.confirm
        self.ctx.deployments_changed = self._deployments_changed
        self.status: dict[str, Any] = {}
        self.curation: dict[str, Any] = {"allowed": False, "reason": None}
        self.admin: AdminView | None = None  # created when the Admin view is first shown
        self.pages: dict[str, ModelPage] = {}  # main-area model pages by view key

        self.demo = InfoBanner(t)
        self.back = button("", self.go_back, icon="arrow-left", tooltip=t("Back"))
        self.nav = {
            "hubs": button("", self.show_hubs, icon="home", tooltip=t("Hubs")),
            "endpoints": button("", self.show_endpoints, icon="server", tooltip=t("Endpoints")),
            "admin": button(
                "", self.show_admin, icon="wrench", tooltip=t("Admin: create, fill, share and delete hubs")
            ),
        }
        self.home, self.endpoints_button, self.admin_button = self.nav["hubs"], self.nav["endpoints"], self.nav["admin"]
        self.admin_button.layout.display = "none"  # until the server says curation is allowed
        self.refresh = button("", lambda: self.reload(refresh=True), icon="refresh", tooltip=t("Refresh"))
        for b in (self.back, *self.nav.values(), self.refresh):
            b.add_class("jsl-icon-button")
        if main_area:  # the sidebar's own toolbar has the one Refresh (it runs reload through the bootstrap)
            self.refresh.layout.display = "none"
        self.notice = w.HTML(layout=w.Layout(width=FULL))
        self.hubs_view = HubsView(self.ctx, self.open_hub)
        self.models_view = ModelsView(self.ctx, self.state, self._select_model, debounce=debounce)
        self.model_page = self._new_page(self.ctx)  # the inline panel's model page
        self.endpoints_view = EndpointsView(self.ctx)
        self.views: dict[str, w.Widget] = {
            "hubs": self.hubs_view,
            "models": self.models_view,
            "model": self.model_page,
            "endpoints": self.endpoints_view,
        }
        self.content = w.VBox([self.hubs_view], layout=w.Layout(width=FULL, grid_area="main"))
        self.overlay = w.VBox(
            [self.dialogs.panel],
            layout=w.Layout(width=FULL, grid_area="main", display="none", align_items="stretch", align_self="stretch"),
        )
        self.overlay.add_class("jsl-backdrop")
        stack = w.GridBox(
            [self.content, self.overlay],
            layout=w.Layout(width=FULL, grid_template_areas='"main"', grid_template_columns="100%"),
        )
        self.toolbar = row(self.back, *self.nav.values(), self.refresh)
        self.toolbar.add_class("jsl-toolbar")
        self.children = [w.HTML(CSS), self.toolbar, self.demo, self.error, self.busy, self.notice, stack]
        self.state.observe(self._page_changed, "page")
        self.state.observe(lambda _: self._send_nav(), "hub")
        if self.bridge is not None:
            self.bridge.on_ready = self._frontend_ready
            self.bridge.on_navigate = self.navigate
        self._render()
        if autoload:
            self.reload()

    # -- what the panel shows now (read by scripts and tests) -------------------------------
    @property
    def page(self) -> str:
        return self.state.page

    @property
    def hub(self) -> dict[str, Any]:
        return self.state.hub

    @property
    def detail(self) -> dict[str, Any]:
        return self.model_page.detail

    @property
    def modal_open(self) -> bool:
        return self.state.modal

    @property
    def eula_dialog(self) -> PanelDialog:
        """The panel's own dialog (used when JupyterLab's Dialog cannot be shown)."""
        return self.dialogs.panel

    @property
    def deploy_form(self) -> DeployForm:
        """The deploy form of the panel's model page."""
        return self.model_page.deploy_form

    # -- infrastructure --------------------------------------------------------------
    def configure(self, notebook_dir: str = "") -> None:
        """Apply the sidebar's settings (validated: a folder inside the server root)."""
        directory = notebook_dir.strip().strip("/") if isinstance(notebook_dir, str) else ""
        if directory:
            try:
                directory = validation.folder(directory)
            except Exception as exc:
                raise type(exc)(
                    f"The JumpStart setting 'Notebook directory' ({notebook_dir!r}) must be a folder inside the "
                    "server root: letters, digits, '.', '_', '-', spaces and '/', no '..'. "
                    "Change it in Settings > Settings Editor > JumpStart.",
                    code="InvalidSetting",
                ) from exc
        self.notebook_dir = directory

    def _report(self, exc: BaseException) -> None:
        self.error.show(message_of(exc, self.t))

    def _deployments_changed(self) -> None:
        """Ask the frontend to count the running endpoints again (the sidebar badge); no-op without it."""
        try:
            if self.bridge is not None:
                self.bridge.deployments_changed()
        except Exception:  # the comm is gone (the panel is closing): the badge polls anyway
            log.debug("jumpstart_lab: bridge unavailable", exc_info=True)

    def wait(self, timeout: float | None = 60.0) -> None:
        """Block until the panel's pending REST calls are done (tests, scripts)."""
        self.tasks.wait(timeout)
        if self.admin is not None:
            self.admin.wait(timeout)

    def close(self) -> None:
        self.tasks.close()
        if self.admin is not None:
            self.admin.close()
        if self.bridge is not None:
            self.bridge.close()
        super().close()

    def _new_page(self, ctx: Context, status: tuple[w.Widget, ...] = ()) -> ModelPage:
        return ModelPage(
            ctx,
            self.state,
            self.dialogs,
            self._open_in_lab,
            notebook_dir=lambda: self.notebook_dir,
            autopoll=self.autopoll,
            status=status,
        )

    def _page_changed(self, change: dict[str, Any]) -> None:
        self._render()
        if change["old"] == "admin" and self.curation.get("allowed"):  # a hub created or deleted there shows
            # up (or disappears) in the hubs list
            self.reload(refresh=True)

    def _render(self) -> None:
        """Show the state's page; the toolbar marks where the user is."""
        page = self.state.page
        view = self.views.get(page) or self.hubs_view
        if list(self.content.children) != [view]:
            self.content.children = [view]
        self.back.layout.display = "inline-flex" if self.state.can_go_back else "none"
        current = "hubs" if page in ("models", "model") else page
        for name, b in self.nav.items():
            if name == current:
                b.add_class("jsl-selected")
            else:
                b.remove_class("jsl-selected")
        if page != "hubs":
            self.notice.value = ""

        self._send_nav()

    def go_back(self) -> None:
        self.state.back()

    # -- the sidebar's JupyterLab toolbar ----------------------------------------------------
    def _lab_toolbar(self) -> bool:
        return self.main_area and self.bridge is not None and "toolbar" in self.bridge.features

    def _frontend_ready(self) -> None:
        """The sidebar's toolbar navigates this panel: its own toolbar row goes (one toolbar, LabIcons)."""
        self.toolbar.layout.display = "none" if self._lab_toolbar() else None
        self._send_nav()

    def _send_nav(self) -> None:
        if not self._lab_toolbar():
            return
        page = self.state.page
        hub = hub_key(self.state.hub) if page == "models" and self.state.hub else ""
        admin = bool(self.curation.get("allowed"))
        try:
            self.bridge.nav(page, hub, back=self.state.can_go_back, admin=admin)  # type: ignore[union-attr]
        except Exception:  # the comm closed: the panel's own buttons are still there after a redraw
            log.debug("jumpstart_lab: nav not sent", exc_info=True)

    def navigate(self, to: str) -> None:
        """A toolbar button: ``back``, ``hubs``, ``endpoints`` or ``admin``."""
        {"back": self.go_back, "hubs": self.show_hubs, "endpoints": self.show_endpoints, "admin": self.show_admin}[
            to
        ]()

    # -- loading ------------------------------------------------------------------------
    def reload(self, refresh: bool = False) -> None:
        """(Re)load status, hubs and whether curation is allowed; a hub with models stays open (refreshed)."""
        self.error.clear()
        self.ctx.run(lambda: self._fetch_start(refresh), self._started, label=self.t("Loading hubs…"))

    def _fetch_start(self, refresh: bool = False) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        api = self.ctx.api
        hubs = api.hubs(refresh=refresh)
        return api.status(), hubs, self._curation_status(api)

    @staticmethod
    def _curation_status(api: JumpStartClient) -> dict[str, Any]:
        """``GET curation``; a server that refuses or lacks it means no Admin view (browsing still works)."""
        try:
            return curation_status(api)
        except ApiError as exc:
            log.info("jumpstart_lab panel: curation status: %s", exc)
            return {"allowed": False, "reason": exc.message}

    def _started(self, result: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
        self.status, hubs, self.curation = result
        allowed = bool(self.curation.get("allowed"))
        self.admin_button.layout.display = "inline-flex" if allowed else "none"
        self._send_nav()
        if not allowed and self.state.page == "admin":  # curation was turned off meanwhile
            self.state.home()
            self.error.show(self.curation.get("reason") or self.t("Hub curation is not available on this server."))
        elif allowed and self.admin is not None:  # Refresh with the Admin view open
            self.admin.load()
        if self.status.get("mode") == "local":
            self.demo.show(self.t("Demo catalog: simulated on this computer, nothing is sent to AWS."))
        else:
            self.demo.hide()
        self.hubs_view.show(hubs)
        self.hubs_view.load_counts()
        available = self.hubs_view.hubs
        if self.state.page == "models" and self.state.hub:
            self.models_view.reload()
        elif self.state.page == "hubs" and len(available) == 1:
            self.open_hub(available[0])  # the one hub you can use: straight to its models
            if self.hubs_view.unavailable:  # and say which others exist but cannot be used (Hubs shows why)
                names = ", ".join(untrusted.text(h.get("name"), 80) for h in self.hubs_view.unavailable)
                self.notice.value = "<i>" + esc(self.t("Unavailable to you: {hubs} (see Hubs).", hubs=names)) + "</i>"

    def show_hubs(self) -> None:
        self.state.home()

    def open_hub(self, hub: dict[str, Any]) -> None:
        self.error.clear()
        self.state.open_hub(hub)
        self.models_view.show_hub(hub)

    # -- views that may open in the main area ------------------------------------------------
    def _main_area(self) -> bool:
        return self.main_area and self.bridge is not None and "open-view" in self.bridge.features

    def show_admin(self) -> None:
        """The hub-curation Admin view (created and loaded on first show); only when curation is allowed."""
        self.error.clear()
        if not self.curation.get("allowed"):
            self.error.show(self.curation.get("reason") or self.t("Hub curation is not available on this server."))
            return
        self._admin()
        if self._main_area():
            self.bridge.open_view("admin", "", self.t("JumpStart admin"))  # type: ignore[union-attr]
        else:
            self.state.go("admin")

    def _admin(self) -> AdminView:
        if self.admin is None:
            self.admin = AdminView(
                self.ctx.api,
                self._report,
                locale=self.locale,
                background=self.tasks.background,
                lab_confirm=self.dialogs.lab_confirm,
            )
            self.views["admin"] = self.admin.widget
            self.admin.load()
        return self.admin

    def show_endpoints(self) -> None:
        self.error.clear()
        self.endpoints_view.reload()
        if self._main_area():
            self.bridge.open_view("endpoints", "", self.t("JumpStart endpoints"))  # type: ignore[union-attr]
        else:
            self.state.go("endpoints")

    def view_widget(self, view: str, key: str) -> w.Widget:
        """What a main-area tab shows (``jumpstart_lab.lab.sidebar.show_view``)."""
        if view == "endpoints":
            self.endpoints_view.reload()
            return _framed(self.endpoints_view)
        if view == "admin":
            return _framed(self._admin().widget)
        hub, _, model_id = key.partition("\n")
        page = self.pages.get(key)
        if page is None:
            # a tab's own error banner and progress line: its messages belong to that tab
            banner, busy = ErrorBanner(self.t), BusyLine()
            ctx = dataclasses.replace(
                self.ctx, report=lambda e: banner.show(message_of(e, self.t)), busy=busy.set, clear_error=banner.clear
            )
            page = self.pages[key] = self._new_page(ctx, (w.HTML(CSS), banner, busy))
            page.load(hub, model_id)
        return page.frame

    def _select_model(self, model: dict[str, Any]) -> None:
        self.load_model(hub_key(self.state.hub), model["model_id"])

    def load_model(self, hub: str, model_id: str, version: str | None = None) -> None:
        """Open a model's page (also the "Open model..." command): a main-area tab, or the panel's page."""
        self.error.clear()
        try:
            validation.hub_name_or_arn(hub)
            validation.model_id(model_id)
        except Exception as exc:
            self._report(exc)
            return
        if self._main_area():
            key = model_key(hub, model_id)
            page = self.pages.get(key)
            if page is not None and version:
                page.load(hub, model_id, version)
            title = next((m.get("display_name") for m in self.models_view.models if m["model_id"] == model_id), None)
            self.bridge.open_view("model", key, untrusted.text(title or model_id, 120))  # type: ignore[union-attr]
            return
        self.model_page.load(hub, model_id, version)
        self.state.show_model(hub, model_id, version)

    # -- modal dialog (in the panel, when JupyterLab's Dialog is not there) -------------------
    def open_modal(self) -> None:
        """Show the dialog over the panel; every other control is disabled until it closes."""
        if self.state.modal:
            return
        self.state.modal = True
        inside = {id(x) for x in walk(self.overlay)}
        self._saved_disabled = {}
        for widget in walk(self):
            if id(widget) not in inside and widget.has_trait("disabled"):
                self._saved_disabled[id(widget)] = (widget, widget.disabled)
                widget.disabled = True
        self.overlay.layout.display = "flex"

    def close_modal(self) -> None:
        if not self.state.modal:
            return
        self.overlay.layout.display = "none"
        for widget, disabled in self._saved_disabled.values():
            widget.disabled = disabled
        self._saved_disabled = {}
        self.state.modal = False

    # -- notebooks -------------------------------------------------------------------------
    def _open_in_lab(self, path: str) -> None:
        """Ask the labextension's bridge to run ``docmanager:open`` (no-op outside JupyterLab)."""
        try:
            if self.bridge is not None:
                self.bridge.open_path(path)
        except Exception:  # the link in the notice still works
            log.debug("jumpstart_lab: bridge unavailable", exc_info=True)


def _framed(view: w.Widget) -> w.VBox:
    """A main-area tab's content: the panel's CSS and the view."""
    box = w.VBox([w.HTML(CSS), view], layout=w.Layout(width=FULL))
    box.add_class("jsl-browser")
    box.add_class("jsl-main")
    return box


def walk(widget: w.Widget) -> Iterator[w.Widget]:
    """``widget`` and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)
