"""``HubBrowser``: the panel users click through, in JupyterLab's sidebar and inline in notebooks.

The navigator: hubs -> a hub's models. A model opens its :class:`~.model_page.ModelPage` (actions, the EULA
gate, the deploy form): in a main-area tab when the panel runs in the sidebar (``main_area=True``), else as
a page of the panel. The endpoints and, when the server allows curation, the Admin view likewise.
Navigation is :class:`~.state.PanelState`; the panel renders it. Its parts: :mod:`.toolbar` (its own
toolbar row, or the sidebar's JupyterLab toolbar), :mod:`.main_views` (the main-area tabs), :mod:`.modal`
(its own dialog over the panel). Talks only to :class:`~jumpstart_lab.client.JumpStartClient`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from .. import untrusted, validation
from ..client import JumpStartClient
from ..lab.bridge import LabBridge
from ..lab.settings import notebook_folder
from .admin import AdminView, curation_or_reason
from .banners import BusyLine, ErrorBanner, InfoBanner
from .context import FULL, Context, Tasks, esc, message_of
from .deploy_form import DeployForm
from .dialogs import Dialogs, PanelDialog
from .endpoints_view import EndpointsView
from .hubs_view import HubsView
from .i18n import Translator
from .main_views import MainViews
from .modal import Modal
from .model_page import ModelPage
from .models_view import ModelsView
from .state import PanelState, hub_key
from .style import CSS
from .toolbar import PanelToolbar

log = logging.getLogger(__name__)


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
        self.dialogs = Dialogs(self.ctx, lambda: self.bridge, lambda: self.modal.open(), lambda: self.modal.close())
        self.ctx.confirm = self.dialogs.confirm
        self.ctx.deployments_changed = self._deployments_changed
        self.status: dict[str, Any] = {}
        self.curation: dict[str, Any] = {"allowed": False, "reason": None}
        self.admin: AdminView | None = None  # created when the Admin view is first shown

        self.demo = InfoBanner(t)
        actions = {"back": self.go_back, "hubs": self.show_hubs, "endpoints": self.show_endpoints}
        actions |= {"admin": self.show_admin, "refresh": lambda: self.reload(refresh=True)}
        self.bar = PanelToolbar(
            t,
            self.state,
            self.bridge,
            actions,
            main_area=main_area,
            admin_allowed=lambda: bool(self.curation.get("allowed")),
        )
        self.toolbar, self.back, self.nav, self.refresh = self.bar.row, self.bar.back, self.bar.nav, self.bar.refresh
        self.home, self.endpoints_button, self.admin_button = self.nav["hubs"], self.nav["endpoints"], self.nav["admin"]
        self.notice = w.HTML(layout=w.Layout(width=FULL))
        self.hubs_view = HubsView(self.ctx, self.open_hub)
        self.models_view = ModelsView(self.ctx, self.state, self._select_model, debounce=debounce)
        self.model_page = self._new_page(self.ctx)  # the inline panel's model page
        self.endpoints_view = EndpointsView(self.ctx)
        self.main = MainViews(
            self.ctx, self.bridge, self.endpoints_view, self._admin, self._new_page, main_area=main_area
        )
        self.pages = self.main.pages  # main-area model pages by view key
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
        self.modal = Modal(self, self.overlay, self.state)
        stack = w.GridBox(
            [self.content, self.overlay],
            layout=w.Layout(width=FULL, grid_template_areas='"main"', grid_template_columns="100%"),
        )
        self.children = [w.HTML(CSS), self.toolbar, self.demo, self.error, self.busy, self.notice, stack]
        self.state.observe(self._page_changed, "page")
        self.state.observe(lambda _: self.bar.send_nav(), "hub")
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
        self.notebook_dir = notebook_folder(notebook_dir)

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
        if page != "hubs":
            self.notice.value = ""
        self.bar.mark()

    def go_back(self) -> None:
        self.state.back()

    # -- loading ------------------------------------------------------------------------
    def reload(self, refresh: bool = False) -> None:
        """(Re)load status, hubs and whether curation is allowed; a hub with models stays open (refreshed)."""
        self.error.clear()
        self.ctx.run(lambda: self._fetch_start(refresh), self._started, label=self.t("Loading hubs…"))

    def _fetch_start(self, refresh: bool = False) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        api = self.ctx.api
        hubs = api.hubs(refresh=refresh)
        return api.status(), hubs, curation_or_reason(api)

    def _started(self, result: tuple[dict[str, Any], dict[str, Any], dict[str, Any]]) -> None:
        self.status, hubs, self.curation = result
        allowed = bool(self.curation.get("allowed"))
        self.bar.show_admin(allowed)
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
    def show_admin(self) -> None:
        """The hub-curation Admin view (created and loaded on first show); only when curation is allowed."""
        self.error.clear()
        if not self.curation.get("allowed"):
            self.error.show(self.curation.get("reason") or self.t("Hub curation is not available on this server."))
            return
        self._admin()
        if self.main.available:
            self.main.open("admin", "", self.t("JumpStart admin"))
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
        if self.main.available:
            self.main.open("endpoints", "", self.t("JumpStart endpoints"))
        else:
            self.state.go("endpoints")

    def view_widget(self, view: str, key: str) -> w.Widget:
        """What a main-area tab shows (``jumpstart_lab.lab.sidebar.show_view``)."""
        return self.main.widget(view, key)

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
        if self.main.available:
            title = next((m.get("display_name") for m in self.models_view.models if m["model_id"] == model_id), None)
            self.main.open_model(hub, model_id, version, untrusted.text(title or model_id, 120))
            return
        self.model_page.load(hub, model_id, version)
        self.state.show_model(hub, model_id, version)

    # -- notebooks -------------------------------------------------------------------------
    def _open_in_lab(self, path: str) -> None:
        """Ask the labextension's bridge to run ``docmanager:open`` (no-op outside JupyterLab)."""
        try:
            if self.bridge is not None:
                self.bridge.open_path(path)
        except Exception:  # the link in the notice still works
            log.debug("jumpstart_lab: bridge unavailable", exc_info=True)
