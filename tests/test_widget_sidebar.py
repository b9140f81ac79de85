"""The sidebar's kernel side: one HubBrowser per JupyterLab tab, locale, bridge target, open_model."""

from __future__ import annotations

import asyncio

import pytest
from widget_support import on_screen

from jumpstart_lab.errors import InvalidInput
from jumpstart_lab.lab import sidebar
from jumpstart_lab.lab.bridge import LabBridge

PUBLIC = "SageMakerPublicHub"
GATED = "meta-textgeneration-llama-2-13b-f"


@pytest.fixture
def tabs(monkeypatch, jumpstart_client, jp_serverapp, capsys):
    """The sidebar finds the test server through the environment, as a remote kernel would."""
    monkeypatch.setenv("JUMPSTART_SERVER_URL", jumpstart_client.server_url)
    monkeypatch.setenv("JUPYTER_TOKEN", jp_serverapp.identity_provider.token)
    yield sidebar
    for key in list(sidebar._browsers):
        sidebar.forget(key)


async def test_one_browser_per_tab(tabs, monkeypatch):
    sent = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))
    a = tabs.sidebar_widget("tab-a", "de_DE")
    assert tabs.sidebar_widget("tab-a", "de_DE") is a
    b = tabs.sidebar_widget("tab-b")
    assert b is not a and a.bridge_target == "tab-a" and b.bridge_target == "tab-b"
    assert a.t.language == "de" and a.model_page.actions["deploy"].description == "Bereitstellen"
    await asyncio.to_thread(a.wait, 120)
    await asyncio.to_thread(b.wait, 120)
    assert a.error.message == "" and PUBLIC in a.hubs_view.open_buttons

    # a language change in JupyterLab gives the tab a new panel
    c = tabs.sidebar_widget("tab-a", "en")
    assert c is not a and c.t.language == "en"
    await asyncio.to_thread(c.wait, 120)

    # "JumpStart: Open model..." navigates that tab's panel
    tabs.open_model("tab-b", PUBLIC, GATED)
    await asyncio.to_thread(b.wait, 120)
    assert on_screen(b) == "model" and b.detail["model_id"] == GATED
    assert on_screen(c) != "model"

    # notebooks open in the tab that asked
    b.model_page.show_notebook("jumpstart/x.ipynb")
    assert sent == [{"action": "open", "path": "jumpstart/x.ipynb", "target": "tab-b"}]


async def test_bad_input_is_refused(tabs):
    with pytest.raises(InvalidInput):
        tabs.sidebar_widget("../etc", None)
    with pytest.raises(InvalidInput):
        tabs.sidebar_widget("tab", "not a locale!")
    b = tabs.sidebar_widget("tab-c")
    await asyncio.to_thread(b.wait, 120)
    tabs.open_model("tab-c", PUBLIC, "bad id!")
    await asyncio.to_thread(b.wait, 120)
    assert "model id" in b.error.message and on_screen(b) != "model"
