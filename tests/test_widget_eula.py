"""The EULA gate of a gated model: the dialog's text and controls, Decline records nothing, Accept records one
acceptance (however often it is clicked) and creates and opens the action's notebook.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import re

import ipywidgets as w
from widget_support import (
    GATED,
    PUBLIC,
    call,
    click,
    dialog_shown,
    notebook_kind,
    notebooks,
    on_screen,
    open_model,
    settle,
    widgets,
)

from jumpstart_lab.client import ApiError
from jumpstart_lab.untrusted import safe_url
from jumpstart_lab.widget.browser import HubBrowser
from jumpstart_lab.widget.context import esc
from jumpstart_lab.widget.style import CSS


def controls_outside(browser: HubBrowser, container: w.Widget) -> list[w.Widget]:
    inside = {id(x) for x in widgets(container)}
    return [x for x in widgets(browser) if id(x) not in inside and x.has_trait("disabled")]


async def test_gated_action_dialog_decline_then_accept(make_browser, jumpstart_client, jp_root_dir, bridge_messages):
    b = make_browser(bridge_target="tab-1")
    await settle(b)
    await open_model(b, GATED)
    version = b.detail["version"]

    await click(b, b.model_page.actions["train"])
    dialog = b.eula_dialog
    assert dialog_shown(b) and b.overlay.layout.display == "flex"
    assert "License agreement for Llama 2 13B Chat" in dialog.title.value
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["required"] and not eula["accepted"] and eula["text"]
    # the whole text in the scrollable box (the box scrolls, not the dialog), the URI as a link
    box = re.search(r"<div class='jsl-eula-text'[^>]*>(.*?)</div>", dialog.text.value, re.S)
    assert box and box[1] == esc(eula["text"])
    rule = re.search(r"\.jsl-eula-text \{([^}]*)\}", CSS)
    assert rule and "overflow: auto" in rule[1] and "max-height" in rule[1]
    assert not re.search(r"\.jsl-dialog \{[^}]*overflow: (auto|scroll)", CSS)
    link = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', dialog.text.value[box.end() :])
    assert link and link[1] == esc(safe_url(eula["uri"], aws=True)) and link[2] == esc(eula["uri"])
    assert "responsible for reviewing and complying" in dialog.notice.value
    assert [dialog.accept.description, dialog.decline.description] == ["Accept", "Decline"]
    assert not dialog.accept.disabled and not dialog.decline.disabled
    others = controls_outside(b, b.overlay)
    assert others and all(x.disabled for x in others)

    # while it is open nothing else responds
    await click(b, b.model_page.actions["deploy"])
    await click(b, b.home)
    assert on_screen(b) == "model" and dialog_shown(b)

    # Decline: cancelled, nothing recorded, controls back
    await click(b, dialog.decline)
    assert not dialog_shown(b) and b.overlay.layout.display == "none"
    assert "Cancelled" in b.model_page.notice.value
    assert not b.model_page.actions["train"].disabled and not b.home.disabled
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is False
    log = await call(jumpstart_client.request, "GET", "eula-acceptances")
    assert log["acceptances"] == []
    assert not list(jp_root_dir.rglob("*.ipynb"))
    assert bridge_messages == []

    # Accept: recorded, then the train notebook is created and opened
    await click(b, b.model_page.actions["train"])
    assert dialog_shown(b)
    await click(b, dialog.accept)
    assert b.error.message == ""
    assert not dialog_shown(b)
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is True
    log = (await call(jumpstart_client.request, "GET", "eula-acceptances"))["acceptances"]
    assert [(a["model_id"], a["version"], a["action"]) for a in log] == [(GATED, version, "train")]
    (train_notebook,) = notebooks(jp_root_dir)
    assert notebook_kind(train_notebook) == ("train", GATED)
    path = train_notebook.relative_to(jp_root_dir).as_posix()
    assert bridge_messages == [{"action": "open", "path": path, "target": "tab-1"}]
    assert path in b.model_page.notice.value and "lab/tree/" in b.model_page.notice.value

    # already accepted: no dialog. Open notebook opens the notebook of the action chosen last (train), the
    # one already written, not a copy; the page now says who accepted which EULA
    assert "EULA accepted by" in b.model_page.license.value
    assert b.model_page.notebook_kind.value == "train"
    await click(b, b.model_page.actions["notebook"])
    assert not dialog_shown(b) and b.error.message == ""
    assert notebooks(jp_root_dir) == {train_notebook}
    assert len(bridge_messages) == 2 and bridge_messages[-1]["path"] == path
    assert "Opened your notebook" in b.model_page.notice.value
    assert b.model_page.fresh_copy.layout.display != "none"
    # asked for a new copy: a second train notebook
    await click(b, b.model_page.fresh_copy)
    (copy,) = notebooks(jp_root_dir) - {train_notebook}
    assert notebook_kind(copy) == ("train", GATED) and copy.name.endswith("-1.ipynb")
    # the deploy notebook, chosen beside Open notebook
    b.model_page.notebook_kind.value = "deploy"
    await click(b, b.model_page.actions["notebook"])
    (deploy_notebook,) = notebooks(jp_root_dir) - {train_notebook, copy}
    assert notebook_kind(deploy_notebook) == ("deploy", GATED)
    assert bridge_messages[-1]["path"] == deploy_notebook.relative_to(jp_root_dir).as_posix()


async def test_accept_clicked_twice_records_once_and_creates_one_notebook(
    make_browser, jumpstart_client, jp_root_dir, bridge_messages, monkeypatch
):
    b = make_browser()
    await settle(b)
    await open_model(b, GATED)
    dialog = b.eula_dialog

    # a failed recording leaves the dialog open with Accept and Decline usable again
    real = jumpstart_client.accept_eula
    failing = [ApiError(503, "StoreError", "The acceptance store is busy; try again.")]

    def accept_eula(*args, **kwargs):
        if failing:
            raise failing.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(jumpstart_client, "accept_eula", accept_eula)
    await click(b, b.model_page.actions["notebook"])
    await click(b, dialog.accept)
    assert "acceptance store is busy" in b.error.message and dialog_shown(b)
    assert not dialog.accept.disabled and not dialog.decline.disabled

    # double click (and a Decline) while the acceptance is being recorded: ignored
    dialog.accept.click()
    assert dialog.accept.disabled and dialog.decline.disabled
    dialog.accept.click()
    dialog.decline.click()
    await settle(b)
    assert b.error.message == "" and not dialog_shown(b) and "Cancelled" not in b.model_page.notice.value
    log = (await call(jumpstart_client.request, "GET", "eula-acceptances"))["acceptances"]
    assert [(a["model_id"], a["action"]) for a in log] == [(GATED, "notebook")]
    (notebook,) = notebooks(jp_root_dir)
    assert notebook_kind(notebook) == ("deploy", GATED) and len(bridge_messages) == 1
