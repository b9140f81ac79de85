"""The panel, on a private hub whose model strings are hostile (tests/hostile.py), against the real server and
local service: everything a user sees there is inert (no script, handler, style or unsafe URL survives into
the HTML the panel ships to JupyterLab), and the text is still shown as text. The browser proof (nothing ran)
is tests/test_ui_hostile.py."""

from __future__ import annotations

import asyncio

import ipywidgets as w
import pytest
from hostile import HUB, MARK, MODEL, assert_inert, import_hostile_model
from hub_support import drop_hub
from widget_support import click, from_frontend, settle, texts, widgets


@pytest.fixture
def hostile_hub(boto, sm):
    import_hostile_model(sm, boto("s3"))
    yield HUB
    drop_hub(sm, HUB)


def all_html(root) -> str:
    """The HTML the panel ships, without its own stylesheet."""
    return " ".join(x.value for x in widgets(root) if isinstance(x, w.HTML) and not x.value.startswith("<style>"))


async def test_hostile_hub_content_is_shown_as_inert_text(make_browser, hostile_hub) -> None:
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    card = b.hubs_view.open_buttons[HUB]
    assert MARK in card.description  # a button's text: never parsed as HTML
    await click(b, card)
    assert b.error.message == "" and b.models_view.total == 1
    row = b.models_view.rows[MODEL]
    assert MARK in row.description and "\u202e" not in row.description  # no direction override reaches the list
    html = all_html(b)
    assert_inert(html)

    await click(b, row)
    page = b.model_page
    assert b.error.message == "" and page.detail["model_id"] == MODEL
    html = all_html(page)
    assert_inert(html)
    for field in ("name", "description", "card"):
        assert f"{MARK} {field}" in texts(page), field  # still there, as text
    assert "&lt;script&gt;" in page.header.value  # shown escaped, not dropped
    assert 'href="https://example.com/ok.png"' not in html and 'src="https://example.com/ok.png"' in html
    assert f"{MARK} js notebook" in page.summary.value and "href" not in page.summary.value  # not links
    assert "Marketplace subscription" in page.license.value and "evil.example.com" not in page.license.value

    # the EULA dialog (the panel's own, without JupyterLab): the hostile text is text in its box
    await click(b, page.actions["deploy"])
    dialog = b.eula_dialog
    assert b.modal_open and dialog.kind == "eula"
    assert_inert(dialog.text.value)
    assert f"{MARK} EULA text" in dialog.text.value and "&lt;script&gt;" in dialog.text.value
    await click(b, dialog.decline)
    assert not b.modal_open


async def test_hostile_eula_reaches_jupyterlab_dialog_as_plain_fields(make_browser, hostile_hub, monkeypatch):
    """With JupyterLab's Dialog: the bridge message carries the text as data (the frontend sets textContent)
    and only a checked https link; Escape (cancel) records nothing."""
    from jumpstart_lab.lab.bridge import LabBridge

    sent: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))
    b = make_browser(bridge_target="tab-9")
    from_frontend(b.bridge, {"event": "ready", "client": "tab-9", "features": ["dialog", "open-view"]})
    await settle(b)
    b.load_model(HUB, MODEL)  # main_area is off (inline panel): the page is the panel's
    await settle(b)
    await click(b, b.model_page.actions["deploy"])
    (dialog,) = [m for m in sent if m.get("action") == "dialog"]
    assert dialog["kind"] == "eula" and not b.modal_open  # JupyterLab's dialog, not the panel's overlay
    assert dialog["body"]["text"].startswith(f"{MARK} EULA text") and "<script>" in dialog["body"]["text"]
    assert dialog["body"]["uri"].startswith("https://hostile-eulas.s3.amazonaws.com/")
    assert [x["value"] for x in dialog["buttons"]] == ["cancel", "accept"]
    assert [x["accept"] for x in dialog["buttons"]] == [False, True]
    from_frontend(b.bridge, {"event": "dialog-result", "id": dialog["id"], "value": "cancel"})
    await settle(b)
    assert "Cancelled" in b.model_page.notice.value
    eula = await asyncio.to_thread(b.ctx.api.eula, HUB, MODEL, None)
    assert eula["accepted"] is False  # nothing recorded on Escape / Decline
