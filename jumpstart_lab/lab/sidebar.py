"""What the JupyterLab sidebar runs in its kernel: one ``HubBrowser`` per browser tab, and its main-area views.

The labextension's bootstrap calls ``sidebar_widget(client_id, locale, notebook_dir, main_area)``;
``client_id`` identifies the JupyterLab tab (its bridge only acts on messages addressed to it), ``locale``
is JupyterLab's language and ``notebook_dir`` the user's "Notebook directory" setting. A main-area tab
calls ``show_view(client_id, view, key)`` to display the tab's view of the same kernel's state (a model
page, the endpoints, the admin view). The "JumpStart: Open model..." command calls ``open_model``.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..errors import InvalidInput
from .bridge import checked_client_id, checked_view
from .protocol import LOCALE

if TYPE_CHECKING:
    from ..widget.browser import HubBrowser

_browsers: dict[str, HubBrowser] = {}
_lock = threading.Lock()


def _locale(value: str | None) -> str | None:
    if value in (None, "", "default"):
        return None
    if not isinstance(value, str) or not LOCALE.fullmatch(value):
        raise InvalidInput(f"locale {value!r} is not a language tag such as 'en' or 'de_DE'.")
    return value


def browser_for(
    client_id: str | None = None, locale: str | None = None, notebook_dir: str = "", main_area: bool = False
) -> HubBrowser:
    """The HubBrowser of this tab, created on first use (or when the language changed)."""
    from ..widget.browser import HubBrowser

    key = checked_client_id(client_id or "")
    language = _locale(locale)
    with _lock:
        browser = _browsers.get(key)
        if browser is None or browser.locale != language or browser.main_area != main_area:
            if browser is not None:
                browser.close()
            browser = _browsers[key] = HubBrowser(
                locale=language, bridge_target=key, notebook_dir=notebook_dir, main_area=main_area
            )
        else:  # the tab again (a page reload, or the sidebar's Refresh): fresh hubs and models
            browser.configure(notebook_dir=notebook_dir)
            browser.reload(refresh=True)
        return browser


def sidebar_widget(
    client_id: str | None = None, locale: str | None = None, notebook_dir: str = "", main_area: bool = False
) -> HubBrowser:
    """Display this tab's HubBrowser (the sidebar bootstrap's call)."""
    from IPython.display import display

    browser = browser_for(client_id, locale, notebook_dir, main_area)
    display(browser)
    return browser


def show_view(client_id: str | None, view: str, key: str) -> None:
    """Display the widget of a main-area tab (``view``: model / endpoints / admin) of this tab's browser."""
    from IPython.display import display

    view, key = checked_view(view, key)
    with _lock:
        browser = _browsers.get(checked_client_id(client_id or ""))
    if browser is None:
        browser = browser_for(client_id, main_area=True)
    display(browser.view_widget(view, key))


def open_model(client_id: str | None, hub: str, model_id: str) -> None:
    """Navigate the tab's HubBrowser to a model (the "Open model..." command)."""
    with _lock:
        browser = _browsers.get(client_id or "")
    if browser is None:
        browser = sidebar_widget(client_id)
    browser.load_model(hub, model_id)


def forget(client_id: str | None = None) -> None:
    """Close and drop a tab's HubBrowser (the tab went away)."""
    with _lock:
        browser = _browsers.pop(client_id or "", None)
    if browser is not None:
        browser.close()
