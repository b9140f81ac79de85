"""Python half of the LabBridge widget: what the panel asks of the JupyterLab frontend, and its answers.

Kernel -> frontend (custom messages; ``target`` is the browser tab's client id, "" for any tab showing
the widget, as in a notebook):

- ``{"action": "open", "path"}``: ``docmanager:open`` of a server-relative file;
- ``{"action": "open-view", "view", "key", "title"}``: open or focus a main-area tab showing the kernel's
  widget for that view (the frontend then runs ``jumpstart_lab.lab.sidebar.show_view``);
- ``{"action": "dialog", "id", "kind": "eula" | "confirm", "title", "body", "buttons"}``: a modal
  JupyterLab ``Dialog`` over the whole application;
- ``{"action": "nav", "page", "hub", "back", "admin"}``: where the panel is (the sidebar's JupyterLab toolbar
  marks it, shows Back and Admin when they apply, and keeps each hub's scroll position).
- ``{"action": "deployments-changed"}`` (any tab): the panel deployed, deleted or redeployed an endpoint, so
  the sidebar icon's badge of running endpoints is counted again at once.

Frontend -> kernel: ``{"event": "ready", "client", "features"}`` when the frontend model starts (so the
panel knows real dialogs, main-area views and the sidebar's toolbar are there), ``{"event": "dialog-result",
"id", "value"}`` (``"cancel"`` for Escape) and ``{"event": "navigate", "to"}`` (a toolbar button: one of
``NAV_TARGETS``). Everything from either side is validated; strings in dialogs are shown by the
frontend as text, never as HTML.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from ipywidgets import Widget
from traitlets import Unicode

from ..errors import InvalidInput
from . import protocol
from .protocol import (
    CANCEL_VALUE,
    CLIENT_ID,
    DIALOG_KINDS,
    MAX_PATH,
    MAX_TITLE,
    MAX_VIEW_KEY,
    MODULE_NAME,
    NAV_TARGETS,
    VIEWS,
)
from .protocol import FEATURES as _FEATURES

log = logging.getLogger(__name__)

#: The frontend model's version range. The constants both sides share (``CLIENT_ID``, ``VIEWS``,
#: ``NAV_TARGETS``, ``MODULE_VERSION``, ...) are in :mod:`.protocol`.
MODULE_VERSION = "^" + protocol.MODULE_VERSION
FEATURES = frozenset(_FEATURES)


def checked_client_id(value: object, *, allow_empty: bool = True) -> str:
    """Return ``value`` if it is a valid client id (or empty when allowed), else raise ``InvalidInput``."""
    if value is None and allow_empty:
        return ""
    if not isinstance(value, str):
        raise InvalidInput("client id must be a string")
    if value == "" and allow_empty:
        return ""
    if not CLIENT_ID.fullmatch(value):
        raise InvalidInput(f"invalid client id {value!r}: letters, digits, '-' and '_' only, at most 64")
    return value


def checked_path(path: object) -> str:
    """A server-relative POSIX path to a file: no absolute path, no ``..``, no control characters."""
    if not isinstance(path, str) or not path.strip():
        raise InvalidInput("path must be a non-empty string")
    if len(path) > MAX_PATH:
        raise InvalidInput(f"path is longer than {MAX_PATH} characters")
    if any(ord(c) < 32 for c in path) or "\\" in path:
        raise InvalidInput(f"invalid path {path!r}")
    pure = PurePosixPath(path)
    if pure.is_absolute() or ".." in pure.parts:
        raise InvalidInput(f"path must be relative to the server root, without '..': {path!r}")
    return str(pure)


def checked_view(view: object, key: object) -> tuple[str, str]:
    if view not in VIEWS:
        raise InvalidInput(f"view must be one of {', '.join(VIEWS)}")
    if not isinstance(key, str) or len(key) > MAX_VIEW_KEY or any(ord(c) < 32 and c != "\n" for c in key):
        raise InvalidInput("invalid view key")
    return str(view), key


class LabBridge(Widget):
    """Non-visual widget; keep it as an attribute of a view, never as a Box child.

    Do not add a method called ``open``: ``Widget.__init__`` calls ``self.open()`` to open the comm.
    ``features``: what a JupyterLab frontend said it can do (empty until one said ``ready``).
    """

    _model_name = Unicode("LabBridgeModel").tag(sync=True)
    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)

    def __init__(self, target: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.target = checked_client_id(target)
        self.features: frozenset[str] = frozenset()
        self._pending: dict[str, Callable[[str], None]] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        #: Called (no arguments) when a frontend said ``ready``, and with a ``NAV_TARGETS`` value on ``navigate``.
        self.on_ready: Callable[[], None] | None = None
        self.on_navigate: Callable[[str], None] | None = None
        self.on_msg(self._on_frontend)

    # -- kernel -> frontend ---------------------------------------------------------------
    def open_path(self, path: str, target: str | None = None) -> None:
        """Ask the frontend tab ``target`` (default: this bridge's) to open ``path`` in the main area."""
        tab = self.target if target is None else checked_client_id(target)
        self.send({"action": "open", "path": checked_path(path), "target": tab})

    def open_view(self, view: str, key: str, title: str) -> None:
        """Open or focus the main-area tab of ``view`` / ``key`` (the frontend asks the kernel what to show)."""
        view, key = checked_view(view, key)
        title = str(title)[:MAX_TITLE]
        self.send({"action": "open-view", "view": view, "key": key, "title": title, "target": self.target})

    def nav(self, page: str, hub: str, *, back: bool, admin: bool) -> None:
        """Tell the frontend where the panel is (``hub``: the open hub's key, "" on other pages)."""
        hub = hub[:MAX_VIEW_KEY]
        self.send({"action": "nav", "page": page, "hub": hub, "back": back, "admin": admin, "target": self.target})

    def deployments_changed(self) -> None:
        """Tell every tab showing this widget that endpoints were created or deleted (the badge counts again)."""
        self.send({"action": "deployments-changed", "target": ""})

    def dialog(
        self,
        kind: str,
        title: str,
        body: dict[str, Any],
        buttons: list[dict[str, Any]],
        on_result: Callable[[str], None],
    ) -> str:
        """Show a modal dialog; ``on_result(value)`` gets the chosen button's value, or ``"cancel"``."""
        if kind not in DIALOG_KINDS:
            raise InvalidInput(f"dialog kind must be one of {DIALOG_KINDS}")
        with self._lock:
            dialog_id = f"d{next(self._ids)}"
            self._pending[dialog_id] = on_result
        message = {
            "action": "dialog",
            "id": dialog_id,
            "kind": kind,
            "title": str(title)[:MAX_TITLE],
            "body": body,
            "buttons": buttons,
            "target": self.target,
        }
        self.send(message)
        return dialog_id

    @property
    def pending_dialogs(self) -> list[str]:
        with self._lock:
            return list(self._pending)

    # -- frontend -> kernel ---------------------------------------------------------------
    def _on_frontend(self, _: Widget, content: Any, buffers: list[bytes]) -> None:
        if not isinstance(content, dict):
            return
        event = content.get("event")
        if event == "ready":
            client = content.get("client")
            if self.target and client != self.target:  # another browser tab
                return
            features = content.get("features")
            if isinstance(features, list):
                self.features = frozenset(f for f in features if f in FEATURES)
            self._call(self.on_ready)
        elif event == "navigate":
            to = content.get("to")
            if to in NAV_TARGETS and self.on_navigate is not None:
                self._call(self.on_navigate, to)
        elif event == "dialog-result":
            with self._lock:
                callback = self._pending.pop(str(content.get("id")), None)
            value = content.get("value")
            self._call(callback, value if isinstance(value, str) else CANCEL_VALUE)

    @staticmethod
    def _call(callback: Callable[..., None] | None, *args: str) -> None:
        if callback is None:
            return
        try:
            callback(*args)
        except Exception:  # a view's callback failed: its own error reporting has run
            log.exception("jumpstart_lab: bridge callback failed")
