"""The panel's main-area views: model pages, the endpoints and the admin view in JupyterLab tabs.

When the panel runs in the sidebar (``main_area=True``) and the frontend said it can open views
(``open-view``), these open in main-area tabs: the panel asks the frontend with ``LabBridge.open_view``,
and the tab asks the kernel what to show through ``jumpstart_lab.lab.sidebar.show_view``, which calls
:meth:`MainViews.widget`. Each model tab has its own :class:`~.model_page.ModelPage`, error banner and
progress line, on the sidebar kernel's state, so a reloaded tab finds its page again.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import ipywidgets as w

from ..lab.bridge import LabBridge
from .admin import AdminView
from .banners import BusyLine, ErrorBanner
from .context import FULL, Context, message_of
from .endpoints_view import EndpointsView
from .model_page import ModelPage
from .style import CSS


def model_key(hub: str, model_id: str) -> str:
    """The main-area view key of a model page."""
    return f"{hub}\n{model_id}"


def framed(view: w.Widget) -> w.VBox:
    """A main-area tab's content: the panel's CSS and the view."""
    box = w.VBox([w.HTML(CSS), view], layout=w.Layout(width=FULL))
    box.add_class("jsl-browser")
    box.add_class("jsl-main")
    return box


class MainViews:
    """The widgets of one panel's main-area tabs.

    ``new_page(ctx, status)``: a model page on ``ctx`` with ``status`` widgets above it; ``admin()``: the
    panel's admin view (created on first use).
    """

    def __init__(
        self,
        ctx: Context,
        bridge: LabBridge | None,
        endpoints: EndpointsView,
        admin: Callable[[], AdminView],
        new_page: Callable[[Context, tuple[w.Widget, ...]], ModelPage],
        *,
        main_area: bool,
    ) -> None:
        self.ctx = ctx
        self.bridge = bridge
        self.endpoints = endpoints
        self.admin = admin
        self.new_page = new_page
        self.main_area = main_area
        self.pages: dict[str, ModelPage] = {}  # model pages by view key

    @property
    def available(self) -> bool:
        """Whether views open in main-area tabs (the sidebar in JupyterLab), else as pages of the panel."""
        return self.main_area and self.bridge is not None and "open-view" in self.bridge.features

    def open(self, view: str, key: str, title: str) -> None:
        """Open or focus the tab of ``view`` / ``key``."""
        self.bridge.open_view(view, key, title)  # type: ignore[union-attr]

    def open_model(self, hub: str, model_id: str, version: str | None, title: str) -> None:
        """Open or focus a model's tab; a version asked for is loaded into the page already there."""
        key = model_key(hub, model_id)
        page = self.pages.get(key)
        if page is not None and version:
            page.load(hub, model_id, version)
        self.open("model", key, title)

    def widget(self, view: str, key: str) -> w.Widget:
        """What the tab of ``view`` / ``key`` shows."""
        if view == "endpoints":
            self.endpoints.reload()
            return framed(self.endpoints)
        if view == "admin":
            return framed(self.admin().widget)
        hub, _, model_id = key.partition("\n")
        page = self.pages.get(key)
        if page is None:
            # a tab's own error banner and progress line: its messages belong to that tab
            t = self.ctx.t
            banner, busy = ErrorBanner(t), BusyLine()
            ctx = dataclasses.replace(
                self.ctx, report=lambda e: banner.show(message_of(e, t)), busy=busy.set, clear_error=banner.clear
            )
            page = self.pages[key] = self.new_page(ctx, (w.HTML(CSS), banner, busy))
            page.load(hub, model_id)
        return page.frame
