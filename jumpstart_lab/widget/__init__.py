"""The ipywidgets panel (``HubBrowser``); imported only when used (the server never imports it)."""

from __future__ import annotations

from typing import Any

__all__ = ["HubBrowser"]


def __getattr__(name: str) -> Any:
    if name == "HubBrowser":
        from .browser import HubBrowser

        return HubBrowser
    raise AttributeError(name)
