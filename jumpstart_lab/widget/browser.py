"""``HubBrowser``: the panel users click through, inline in notebooks and in the sidebar.

Hubs -> models -> details -> (EULA dialog) -> Train / Deploy / Evaluate / Open notebook,
plus the endpoints view and, when the server allows curation, the Admin view.
Talks only to :class:`~jumpstart_lab.client.JumpStartClient`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import quote

import ipywidgets as w

from .. import validation
from ..client import ApiError, JumpStartClient
from .admin import AdminView, curation_status
from .banners import BusyLine, ErrorBanner, InfoBanner
from .bridge import frontend_settings
from .context import FULL, Context, Tasks, button, esc, message_of, row
from .deploy_form import DeployForm
from .details_view import DetailsView
from .endpoints_view import EndpointsView
from .eula_dialog import EulaDialog
from .hubs_view import HubsView, hub_ref
from .i18n import Translator
from .models_view import ModelsView
from .style import CSS

log = logging.getLogger(__name__)

PAGES = ("hubs", "models", "details", "deploy", "endpoints", "admin")
BACK = {"models": "hubs", "details": "models", "deploy": "details", "endpoints": "hubs", "admin": "hubs"}
NOTEBOOK_ACTION = {"train": "train", "evaluate": "evaluate", "notebook": "deploy"}


class HubBrowser(w.VBox):
    """Browse SageMaker JumpStart hubs, accept EULAs, open notebooks, deploy models.

    ``client``: a :class:`JumpStartClient` (default: the server that runs this kernel).
    ``locale``: JupyterLab's language (``"de_DE"``); default: the process locale.
    ``background``: run REST calls on worker threads (default) or inline.
    ``bridge_target``: the JupyterLab tab whose bridge opens notebooks (the sidebar's client id).
    ``poll_interval`` / ``sleep`` / ``autopoll``: deployment status polling (``autopoll=False``: call
    ``deploy_form.poll_once()`` yourself).
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
        autoload: bool = True,
        autopoll: bool = True,
    ) -> None:
        super().__init__(layout=w.Layout(width=FULL, max_width=FULL))
        self.add_class("jsl-browser")
        self.locale = locale
        self.t = t = Translator(locale)
        self.tasks = Tasks(background)
        self.error = ErrorBanner(t)
        self.ctx = Context(
            t,
            self.tasks,
            self._report,
            self._busy,
            client=client,
            poll_interval=poll_interval,
            clear_error=self.error.clear,
        )
        if sleep is not None:
            self.ctx.sleep = sleep
        self.bridge_target = bridge_target
        self._bridge: Any = None
        self.status: dict[str, Any] = {}
        self.curation: dict[str, Any] = {"allowed": False, "reason": None}
        self.admin: AdminView | None = None  # created when the Admin page is first shown
        self.hub: dict[str, Any] = {}
        self.detail: dict[str, Any] = {}
        self.detail_hub = ""
        self.page = "hubs"
        self._return_to = "hubs"
        self.modal_open = False
        self._saved_disabled: dict[int, tuple[w.Widget, bool]] = {}

        self.demo = InfoBanner()
        self.busy = BusyLine()
        self.back = button(t("Back"), self.go_back, icon="arrow-left")
        self.home = button(t("Hubs"), self.show_hubs, icon="home")
        self.endpoints_button = button(t("Endpoints"), self.show_endpoints, icon="server")
        self.admin_button = button(
            t("Admin"), self.show_admin, icon="wrench", tooltip=t("Create, fill, share and delete private hubs")
        )
        self.admin_button.layout.display = "none"  # until the server says curation is allowed
        self.refresh = button(t("Refresh"), self.reload, icon="refresh", tooltip=t("Reload hubs and models"))
        self.notice = w.HTML(layout=w.Layout(width=FULL))
        self.hubs_view = HubsView(self.ctx, self.open_hub)
        self.models_view = ModelsView(self.ctx, self._select_model, debounce=debounce)
        self.details_view = DetailsView(self.ctx, self.start_action, self._change_version)
        self.deploy_form = DeployForm(self.ctx, autopoll=autopoll)
        self.endpoints_view = EndpointsView(self.ctx)
        self.eula_dialog = EulaDialog(self.ctx)
        self.views = {
            "hubs": self.hubs_view,
            "models": self.models_view,
            "details": self.details_view,
            "deploy": self.deploy_form,
            "endpoints": self.endpoints_view,
        }
        self.content = w.VBox([self.hubs_view], layout=w.Layout(width=FULL, grid_area="main"))
        self.overlay = w.VBox(
            [self.eula_dialog],
            layout=w.Layout(width=FULL, grid_area="main", display="none", align_items="stretch", align_self="stretch"),
        )
        self.overlay.add_class("jsl-backdrop")
        stack = w.GridBox(
            [self.content, self.overlay],
            layout=w.Layout(width=FULL, grid_template_areas='"main"', grid_template_columns="100%"),
        )
        toolbar = row(self.back, self.home, self.endpoints_button, self.admin_button, self.refresh)
        self.children = [w.HTML(CSS), toolbar, self.demo, self.error, self.busy, self.notice, stack]
        self._show_page("hubs")
        if autoload:
            self.reload()

    # -- infrastructure --------------------------------------------------------------
    def _report(self, exc: BaseException) -> None:
        self.error.show(message_of(exc, self.t))

    def _busy(self, label: str | None) -> None:
        self.busy.set(label)

    def wait(self, timeout: float | None = 60.0) -> None:
        """Block until the panel's pending REST calls are done (tests, scripts)."""
        self.tasks.wait(timeout)
        if self.admin is not None:
            self.admin.wait(timeout)

    def close(self) -> None:
        self.tasks.close()
        if self.admin is not None:
            self.admin.close()
        super().close()

    def _show_page(self, page: str) -> None:
        leaving_admin = self.page == "admin" and page != "admin"
        self.page = page
        self.content.children = [self.views[page]]
        self.back.layout.display = "none" if page == "hubs" else "inline-flex"
        if page != "details":
            self.notice.value = ""
        if leaving_admin:  # a hub created or deleted there shows up (or disappears) in the hubs list
            self.reload(refresh=True)

    def go_back(self) -> None:
        target = self._return_to if self.page == "endpoints" else BACK.get(self.page, "hubs")
        if target == "models" and not self.hub:
            target = "hubs"
        if target == "details" and not self.detail:
            target = "models"
        self._show_page(target)

    # -- loading ------------------------------------------------------------------------
    def reload(self, refresh: bool = False) -> None:
        """(Re)load status, hubs and whether curation is allowed; a hub with models stays open (refreshed).

        ``refresh``: ask the server to list the hubs again instead of answering from its cache.
        """
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
        if not allowed and self.page == "admin":  # curation was turned off meanwhile
            self.page = "hubs"  # (this load already brings the hubs list: no second reload)
            self._show_page("hubs")
            self.error.show(self.curation.get("reason") or self.t("Hub curation is not available on this server."))
        elif self.page == "admin" and self.admin is not None:  # Refresh on the Admin page
            self.admin.load()
        if self.status.get("mode") == "local":
            self.demo.show(
                self.t(
                    "Local demo catalog: hubs, models and endpoints are simulated on this computer; "
                    "nothing is sent to AWS."
                )
            )
        else:
            self.demo.hide()
        self.hubs_view.show(hubs)
        self.hubs_view.load_counts()
        available = self.hubs_view.hubs
        if self.page == "models" and self.hub:
            self.models_view.reload()
        elif self.page == "hubs" and len(available) == 1:
            self.open_hub(available[0])  # the one hub you can use: straight to its models
            if self.hubs_view.unavailable:  # and say which others exist but cannot be used (Hubs shows why)
                names = ", ".join(str(h.get("name")) for h in self.hubs_view.unavailable)
                self.notice.value = "<i>" + esc(self.t("Unavailable to you: {hubs} (see Hubs).", hubs=names)) + "</i>"

    def show_hubs(self) -> None:
        self._show_page("hubs")

    def open_hub(self, hub: dict[str, Any]) -> None:
        self.error.clear()
        self.hub = hub
        self._show_page("models")
        self.models_view.show_hub(hub)

    def show_admin(self) -> None:
        """The hub-curation Admin view (created and loaded on first show); only when curation is allowed."""
        self.error.clear()
        if not self.curation.get("allowed"):
            self.error.show(self.curation.get("reason") or self.t("Hub curation is not available on this server."))
            return
        if self.admin is None:
            self.admin = AdminView(self.ctx.api, self._report, locale=self.locale, background=self.tasks.background)
            self.views["admin"] = self.admin.widget
            self.admin.load()
        self._show_page("admin")

    def show_endpoints(self) -> None:
        self.error.clear()
        if self.page != "endpoints":
            self._return_to = self.page
        self._show_page("endpoints")
        self.endpoints_view.reload()

    def _select_model(self, model: dict[str, Any]) -> None:
        self.load_model(hub_ref(self.hub), model["model_id"])

    def load_model(self, hub: str, model_id: str, version: str | None = None) -> None:
        """Show a model's details (also used by the "Open model..." command)."""
        self.error.clear()
        try:
            validation.hub_name_or_arn(hub)
            validation.model_id(model_id)
        except Exception as exc:
            self._report(exc)
            return
        if not self.hub or hub not in (self.hub.get("name"), self.hub.get("arn"), hub_ref(self.hub)):
            self.hub = {
                "name": validation.hub_name_from(hub),
                "arn": hub if hub.startswith("arn:") else None,
                "kind": "shared" if hub.startswith("arn:") else "private",
                "ref": hub,
            }
        self.ctx.run(
            lambda: self.ctx.api.model(hub, model_id, version),
            lambda detail: self._show_detail(detail, hub),
            label=self.t("Loading {model}…", model=model_id),
        )

    def _show_detail(self, detail: dict[str, Any], hub: str) -> None:
        self.detail = detail
        self.detail_hub = hub  # how the API names the hub (an ARN for shared hubs)
        self.details_view.show(detail)
        self._show_page("details")

    def _change_version(self, version: str) -> None:
        d = self.detail
        self.load_model(self.detail_hub, d["model_id"], version)

    # -- actions and the EULA gate ---------------------------------------------------------
    def start_action(self, action: str) -> None:
        """Train / Deploy / Evaluate / Open notebook; gated models first show the EULA dialog."""
        self.error.clear()
        d = self.detail
        hub = self.detail_hub
        if not d.get("gated"):
            self._continue(action)
            return
        self.ctx.run(
            lambda: self.ctx.api.eula(hub, d["model_id"], d["version"]),
            lambda eula: self._gate(action, eula),
            label=self.t("Checking the license…"),
        )

    def _gate(self, action: str, eula: dict[str, Any]) -> None:
        if not eula.get("required") or eula.get("accepted"):
            self._continue(action)
            return
        name = self.detail.get("display_name") or self.detail["model_id"]
        self.eula_dialog.prepare(name, eula, lambda: self._accept(action, eula), self._decline)
        self.open_modal()

    def _accept(self, action: str, eula: dict[str, Any]) -> None:
        d = self.detail
        hub = self.detail_hub

        def record() -> Any:
            try:
                return self.ctx.api.accept_eula(hub, d["model_id"], d["version"], action, eula.get("sha256"))
            except Exception:
                self.eula_dialog.set_busy(False)  # not recorded: the user may try again, or decline
                raise

        def accepted(_: Any) -> None:
            self.close_modal()
            self._continue(action)

        self.ctx.run(record, accepted, label=self.t("Recording your acceptance…"))

    def _decline(self) -> None:
        self.close_modal()
        cancelled = self.t("Cancelled: the license was not accepted.")
        self.notice.value = f"<i>{esc(cancelled)}</i>"

    def _continue(self, action: str) -> None:
        d = self.detail
        hub = self.detail_hub
        if action == "deploy":
            self.deploy_form.prepare(d, self.detail_hub)
            self._show_page("deploy")
            return
        nb_action = NOTEBOOK_ACTION[action]
        self.ctx.run(
            lambda: self.ctx.api.create_notebook(
                hub, d["model_id"], nb_action, d.get("version"), directory=frontend_settings().notebook_dir or None
            ),
            lambda created: self.open_notebook(created["path"]),
            label=self.t("Creating the notebook…"),
        )

    # -- modal dialog ----------------------------------------------------------------------
    def open_modal(self) -> None:
        """Show the dialog over the panel; every other control is disabled until it closes."""
        if self.modal_open:
            return
        self.modal_open = True
        inside = {id(x) for x in _walk(self.overlay)}
        self._saved_disabled = {}
        for widget in _walk(self):
            if id(widget) not in inside and widget.has_trait("disabled"):
                self._saved_disabled[id(widget)] = (widget, widget.disabled)
                widget.disabled = True
        self.overlay.layout.display = "flex"

    def close_modal(self) -> None:
        if not self.modal_open:
            return
        self.overlay.layout.display = "none"
        for widget, disabled in self._saved_disabled.values():
            widget.disabled = disabled
        self._saved_disabled = {}
        self.modal_open = False

    # -- notebooks -------------------------------------------------------------------------
    def open_notebook(self, path: str) -> None:
        """Open ``path`` in a JupyterLab tab (through the bridge) and show a link to it."""
        url = self.ctx.api.url_for("lab/tree/" + quote(path))
        text = self.t("Notebook created: {path}", path=path)
        self.notice.value = f"<a href='{esc(url)}' target='_blank'>{esc(text)}</a>"
        self._open_in_lab(path)

    def _open_in_lab(self, path: str) -> None:
        """Ask the labextension's bridge to run ``docmanager:open`` (no-op outside JupyterLab)."""
        try:
            if self._bridge is None:
                from .bridge import LabBridge

                self._bridge = LabBridge()
            self._bridge.open_path(path, target=self.bridge_target)
        except Exception:  # the link in the notice still works
            log.debug("jumpstart_lab: bridge unavailable", exc_info=True)


def _walk(widget: w.Widget) -> Iterator[w.Widget]:
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from _walk(child)
