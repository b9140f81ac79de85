"""In JupyterLab's sidebar, the panel is navigated from the sidebar's own toolbar (LabIcon buttons, the
frontend side is tested in tests/test_ui_panel.py): once the frontend says it has that toolbar, the panel's
ipywidgets row goes, the panel says where it is after every move, and the toolbar's buttons move it. The
inline panel (a notebook's ``HubBrowser()``) keeps its own row."""

from __future__ import annotations

import pytest
from widget_support import click, from_frontend, on_screen, settle, visible

from jumpstart_lab.lab.bridge import LabBridge

PUBLIC = "SageMakerPublicHub"
SIDEBAR_FEATURES = ["dialog", "open-view", "toolbar"]


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    messages: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: messages.append(content))
    return messages


def ready(b, features: list[str]) -> None:
    from_frontend(b.bridge, {"event": "ready", "client": b.bridge.target, "features": features})


def navigate(b, to: object) -> None:
    from_frontend(b.bridge, {"event": "navigate", "to": to})


def navs(sent: list[dict]) -> list[tuple[str, str, bool]]:
    return [(m["page"], m["hub"], m["back"]) for m in sent if m.get("action") == "nav"]


async def test_the_sidebar_toolbar_navigates_the_panel(make_browser, sent) -> None:
    b = make_browser(bridge_target="tab-nav", main_area=True)
    await settle(b)
    assert visible(b.toolbar) and not navs(sent)  # no frontend toolbar yet: the panel's own row
    ready(b, SIDEBAR_FEATURES)
    assert not visible(b.toolbar)
    assert navs(sent)[-1] == ("hubs", "", False)
    assert all(m["target"] == "tab-nav" for m in sent if m.get("action") == "nav")

    await click(b, b.hubs_view.open_buttons[PUBLIC])
    assert navs(sent)[-1] == ("models", PUBLIC, True)
    navigate(b, "back")
    assert on_screen(b) == "hubs" and navs(sent)[-1] == ("hubs", "", False)

    navigate(b, "endpoints")  # a main-area tab: the navigator stays where it is
    await settle(b)
    assert [m["view"] for m in sent if m.get("action") == "open-view"] == ["endpoints"]
    assert on_screen(b) == "hubs"

    before = len(sent)
    for bogus in ("rm -rf /", None, ["hubs"], "Back"):
        navigate(b, bogus)
    assert len(sent) == before and on_screen(b) == "hubs" and b.error.message == ""


async def test_admin_button_shows_when_the_server_allows_curation(make_browser, sent) -> None:
    b = make_browser(bridge_target="tab-adm", main_area=True)
    ready(b, SIDEBAR_FEATURES)
    await settle(b)
    assert [m["admin"] for m in sent if m.get("action") == "nav"][-1] is True  # the test server allows it
    navigate(b, "admin")
    await settle(b)
    assert [m["view"] for m in sent if m.get("action") == "open-view"] == ["admin"]


async def test_the_inline_panel_keeps_its_own_toolbar(make_browser, sent) -> None:
    b = make_browser(bridge_target="")
    ready(b, ["dialog"])  # a notebook's output: dialogs, no sidebar toolbar
    await settle(b)
    assert visible(b.toolbar) and not navs(sent)
    await click(b, b.hubs_view.open_buttons[PUBLIC])
    assert visible(b.back) and not navs(sent)
