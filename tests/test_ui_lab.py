"""End-to-end: the labextension's JupyterLab integration, in Debian's Chromium.

Main-area views (open, focus instead of a duplicate, restored after a reload), the bridge's dialog protocol
(a real modal ``Dialog`` over the application: focus, Tab, Escape, the accepting button never the default,
the footer on screen at 1280x720, hub text shown as text), the Restart confirmation, the launcher card and
"JumpStart: Browse models", and the background start of the sidebar kernel (``preloadKernel``).
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest
from browser_support import (
    FLAN,
    MAIN_TABS,
    SIDEBAR,
    SIDEBAR_TAB,
    UI_TIMEOUT_MS,
    Jupyter,
    axe_violations,
    browser_marks,
    chromium,
    format_violations,
    jp_asyncio_loop,
    jp_server_cleanup,
    kernel_pid,
    lab_fixture,
    new_page,
    open_public_model,
    open_sidebar,
    page_fixture,
    screenshot,
    set_theme,
    viewport,
    wait_sidebar_ready,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect
expect.set_options(timeout=UI_TIMEOUT_MS)

pytestmark = browser_marks

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "ui-lab"
TOKEN = "jumpstart-lab-ui-token"  # a throwaway token for a loopback test server
SETTINGS = "lab/api/settings/jumpstart-lab:plugin"

__all__ = ["chromium", "jp_asyncio_loop", "jp_server_cleanup", "viewport"]  # fixtures used by name

lab = lab_fixture(TOKEN, ARTIFACTS)
page = page_fixture(ARTIFACTS)


def shot(page, name: str) -> None:
    screenshot(page, name, ARTIFACTS)


def sidebar_ready(page) -> object:
    return wait_sidebar_ready(page.locator(SIDEBAR))


def end_sidebar_sessions(lab: Jupyter) -> None:
    for session in lab.api("GET", "api/sessions"):  # type: ignore[union-attr]
        if session.get("type") == "jumpstart-lab":
            lab.api("DELETE", f"api/sessions/{session['id']}")


def open_view(page, view: str, key: str, title: str) -> None:
    """What the kernel's ``{"action": "open-view"}`` runs (the bridge executes this command)."""
    page.evaluate(
        "args => window.jupyterapp.commands.execute('jumpstart-lab:open-view', args).then(() => undefined)",
        {"view": view, "key": key, "title": title},
    )


def current_tab(page) -> object:
    return page.locator(f"{MAIN_TABS}.lm-mod-current")


# -- preload -----------------------------------------------------------------------------------------------


def test_preload_draws_the_hubs_before_the_first_click(page, lab: Jupyter) -> None:
    """preloadKernel (default on): the kernel starts when JupyterLab has loaded; the hidden panel is drawn."""
    sidebar = sidebar_ready(page)  # no click on the JumpStart icon
    assert lab.sidebar_session() is not None
    expect(sidebar.get_by_text("Model hubs")).to_be_attached()
    expect(sidebar).to_be_hidden()
    page.locator(SIDEBAR_TAB).click()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()


def test_without_preload_the_kernel_starts_on_first_show(chromium, lab: Jupyter, viewport: dict) -> None:
    lab.api("PUT", SETTINGS, {"raw": json.dumps({"preloadKernel": False})})
    end_sidebar_sessions(lab)
    page = new_page(chromium, lab, viewport)
    try:
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.commands.hasCommand('jumpstart-lab:browse')"
        )
        page.evaluate("() => window.jupyterapp.restored")
        page.wait_for_timeout(3_000)  # time in which a background start would have created the session
        assert lab.sidebar_session() is None, "with preloadKernel off the kernel must wait for the panel"
        open_sidebar(page)
        assert lab.sidebar_session() is not None
    finally:
        page.context.close()
        lab.api("PUT", SETTINGS, {"raw": "{}"})


# -- launcher and commands ---------------------------------------------------------------------------------


def test_launcher_card_and_browse_command(page) -> None:
    launcher = page.locator(".jp-Launcher")
    card = launcher.locator(".jp-LauncherCard", has_text="JumpStart models")
    expect(card).to_be_visible()
    section = launcher.locator(
        ".jp-Launcher-section", has=page.locator(".jp-LauncherCard", has_text="JumpStart models")
    )
    expect(section.locator(".jp-Launcher-sectionTitle")).to_have_text("Other")
    shot(page, "launcher-card")
    card.click()
    sidebar = page.locator(SIDEBAR)
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()

    page.locator(SIDEBAR_TAB).click()  # collapse it again
    expect(sidebar).to_be_hidden()
    page.keyboard.press("Control+Shift+C")
    palette = page.locator("#command-palette")
    palette.get_by_role("textbox").fill("JumpStart: Browse")
    palette.get_by_text("JumpStart: Browse models").click()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()


# -- restart confirmation ----------------------------------------------------------------------------------


def test_restart_asks_first(page, lab: Jupyter) -> None:
    sidebar = open_sidebar(page)
    sidebar_ready(page)
    kernel_id = lab.sidebar_session()["kernel"]["id"]  # type: ignore[index]
    pid = kernel_pid(kernel_id)
    restart = sidebar.locator(".jp-SidePanel-toolbar").get_by_role("button", name="Restart")
    restart.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Restart the JumpStart kernel?")
    expect(dialog).to_contain_text("The panel's state is lost.")
    expect(dialog.get_by_role("button", name="Cancel")).to_be_focused()  # the default: Enter keeps the kernel
    expect(dialog.get_by_role("button", name="Restart")).to_have_class(re.compile(r"\bjp-mod-warn\b"))
    shot(page, "restart-confirmation")
    page.keyboard.press("Enter")
    expect(dialog).to_have_count(0)
    page.wait_for_timeout(1_000)  # a restart would have begun by now
    assert kernel_pid(kernel_id) == pid
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()

    restart.click()
    dialog.get_by_role("button", name="Restart").click()
    expect(sidebar.get_by_text("Model hubs")).to_be_hidden()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()
    assert kernel_pid(kernel_id) != pid


# -- main-area views ---------------------------------------------------------------------------------------


def test_open_view_opens_focuses_and_is_restored(page, lab: Jupyter) -> None:
    """A view opens in a titled main-area tab with the JumpStart icon, is focused instead of duplicated,
    is drawn from the sidebar kernel's widgets, and comes back after a reload."""
    sidebar_ready(page)
    open_view(page, "endpoints", "", "JumpStart endpoints")
    tab = page.locator(MAIN_TABS, has_text="JumpStart endpoints")
    expect(tab).to_have_count(1)
    expect(current_tab(page)).to_have_text("JumpStart endpoints")
    expect(tab.locator('[data-icon="jumpstart-lab:jumpstart"]')).to_have_count(1)
    view = page.locator(".jp-JumpStartView:visible")
    expect(view.locator(".jp-OutputArea-output .jupyter-widgets").first).to_be_visible()
    expect(view.locator('.jp-JumpStartSidebar-status[data-state="ready"]')).to_be_attached()
    shot(page, "view-endpoints")

    # Another tab in front, then the same view again: the existing tab comes to the front.
    page.evaluate("() => window.jupyterapp.commands.execute('launcher:create').then(() => undefined)")
    expect(current_tab(page)).to_have_text(re.compile("Launcher"))
    open_view(page, "endpoints", "", "JumpStart endpoints")
    expect(tab).to_have_count(1)
    expect(current_tab(page)).to_have_text("JumpStart endpoints")

    # A second view has its own tab.
    model_key = "SageMakerPublicHub\nhuggingface-text2text-flan-t5-base"
    open_view(page, "model", model_key, "Flan-T5 Base")
    expect(page.locator(MAIN_TABS, has_text="Flan-T5 Base")).to_have_count(1)
    expect(current_tab(page)).to_have_text("Flan-T5 Base")

    # Reload: both tabs are restored, drawn again from the kernel.
    lab.wait_for_saved_views("JumpStart endpoints", "Flan-T5 Base")
    page.reload()
    page.locator(SIDEBAR_TAB).wait_for()
    expect(page.locator(MAIN_TABS, has_text="JumpStart endpoints")).to_have_count(1)
    expect(page.locator(MAIN_TABS, has_text="Flan-T5 Base")).to_have_count(1)
    expect(current_tab(page)).to_have_text("Flan-T5 Base")
    view = page.locator(".jp-JumpStartView:visible")
    expect(view.locator(".jp-OutputArea-output .jupyter-widgets").first).to_be_visible()
    shot(page, "view-restored")


def test_a_model_clicked_in_the_sidebar_opens_in_the_main_area(page) -> None:
    """The sidebar's bridge says it can open views; the kernel then opens a model page in a tab of its own,
    drawn by the sidebar kernel's widget manager, and a second click focuses that tab."""
    sidebar = open_sidebar(page)
    open_public_model(sidebar)
    tab = page.locator(MAIN_TABS, has_text="FLAN-T5 Base")
    expect(tab).to_have_count(1)
    expect(current_tab(page)).to_have_text("FLAN-T5 Base")
    view = page.locator('.jp-JumpStartView[data-view="model"]:visible')
    expect(view.get_by_role("button", name="Deploy", exact=True).first).to_be_visible()
    shot(page, "view-model-from-sidebar")
    page.evaluate("() => window.jupyterapp.commands.execute('launcher:create').then(() => undefined)")
    expect(current_tab(page)).to_have_text(re.compile("Launcher"))
    sidebar.get_by_title(FLAN, exact=True).click()
    expect(current_tab(page)).to_have_text("FLAN-T5 Base")
    expect(tab).to_have_count(1)


def test_open_view_refuses_bad_arguments(page) -> None:
    sidebar_ready(page)
    for args in (
        {"view": "shell", "key": "", "title": "x"},
        {"view": "model", "key": "k" * 2049, "title": "x"},
        {"view": "model", "key": "k", "title": ""},
    ):
        error = page.evaluate(
            "args => window.jupyterapp.commands.execute('jumpstart-lab:open-view', args)"
            ".then(() => '', e => e.message)",
            args,
        )
        assert error, args
    expect(page.locator(".jp-JumpStartView")).to_have_count(0)


# -- the bridge's dialogs ----------------------------------------------------------------------------------

HOSTILE = '<img src=x onerror="window.__pwned = 1"> <b>not bold</b>'
EULA_TEXT = "\n".join([f"{i}. The licensee agrees to clause {i}." for i in range(1, 121)] + [HOSTILE])

SETUP_CELL = """\
import ipywidgets as widgets, json
from jumpstart_lab.lab.bridge import LabBridge
replies = []
log = widgets.Textarea(description="replies", layout={"width": "90%", "height": "120px"})
bridge = LabBridge()
def _record(_w, content, _b):
    replies.append(content)
    log.value = "\\n".join(json.dumps(r, sort_keys=True) for r in replies)
bridge.on_msg(_record)
log"""


def _eula(dialog_id: str, uri: str) -> dict:
    return {
        "action": "dialog",
        "id": dialog_id,
        "kind": "eula",
        "title": "License agreement for Llama 2 13B",
        "body": {
            "text": EULA_TEXT,
            "uri": uri,
            "link_label": "Full license text",
            "notice": "Accepting records your name, the model and the time.",
        },
        # The accepting button first on purpose: the frontend puts the others first.
        "buttons": [
            {"label": "Accept", "value": "accept", "accept": True, "warn": False},
            {"label": "Decline", "value": "decline", "accept": False, "warn": False},
        ],
        "target": "",
    }


CONFIRM = {
    "action": "dialog",
    "id": "confirm-1",
    "kind": "confirm",
    "title": "Delete endpoint demo-endpoint?",
    "body": {"text": "The endpoint demo-endpoint is deleted; this cannot be undone."},
    "buttons": [
        {"label": "Delete", "value": "delete", "accept": True, "warn": True},
        {"label": "Keep it", "value": "keep", "accept": False, "warn": False},
    ],
    "target": "",
}
MALFORMED = {"action": "dialog", "id": "bad-1", "kind": "eula", "title": "x", "body": {"text": "t"}, "buttons": []}
OTHER_TAB = {**CONFIRM, "id": "other-1", "target": "some-other-tab"}


def _notebook(lab: Jupyter, name: str) -> str:
    messages = (
        _eula("eula-1", "https://example.com/eula.txt"),
        _eula("eula-2", "javascript:alert(1)"),
        CONFIRM,
        MALFORMED,
        OTHER_TAB,
    )
    cells = [SETUP_CELL] + [f"bridge.send(json.loads({json.dumps(json.dumps(m))}))" for m in messages]
    nb = {
        "cells": [
            {"cell_type": "code", "execution_count": None, "id": f"c{i}", "metadata": {}, "outputs": [], "source": s}
            for i, s in enumerate(cells)
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (lab.root / name).write_text(json.dumps(nb))
    return name


def _run_cell(page, index: int) -> None:
    page.evaluate(
        """index => {
            const panel = window.jupyterapp.shell.currentWidget;
            panel.content.activeCellIndex = index;
            return window.jupyterapp.commands.execute('notebook:run-cell');
        }""",
        index,
    )


def _replies(page) -> list[dict]:
    text = page.get_by_label("replies").input_value()
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _wait_reply(page, dialog_id: str) -> dict:
    deadline = time.monotonic() + UI_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        found = [r for r in _replies(page) if r.get("event") == "dialog-result" and r.get("id") == dialog_id]
        if found:
            return found[-1]
        page.wait_for_timeout(100)
    raise AssertionError(f"no reply to dialog {dialog_id}: {_replies(page)}")


def _focus_in_dialog(page) -> bool:
    return page.evaluate("() => !!document.activeElement && !!document.activeElement.closest('.jp-Dialog')")


@pytest.mark.parametrize("viewport", ["1280x720"], indirect=True)
def test_dialog_protocol(page, lab: Jupyter, viewport: dict) -> None:
    """The kernel asks for dialogs through the bridge; JupyterLab shows them modally and replies."""
    name = _notebook(lab, "dialogs.ipynb")
    page.goto(f"{lab.url}/lab/tree/{name}?token={lab.token}&reset")
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for()
    _run_cell(page, 0)
    expect(page.get_by_label("replies")).to_have_value(re.compile('"event": "ready"'))
    ready = _replies(page)[0]
    assert ready["features"] == ["dialog"], ready  # a notebook's bridge: no main-area views
    assert ready["client"] == page.evaluate("sessionStorage.getItem('jumpstart-lab:client-id')")

    # EULA: a modal dialog over the application, named by its title.
    _run_cell(page, 1)
    dialog = page.get_by_role("dialog", name="License agreement for Llama 2 13B")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    text = dialog.get_by_role("document", name="License text")
    expect(text).to_contain_text("120. The licensee agrees to clause 120.")
    expect(text).to_contain_text(HOSTILE)  # shown as text
    assert dialog.locator("img, b").count() == 0
    link = dialog.get_by_role("link", name="Full license text")
    expect(link).to_have_attribute("href", "https://example.com/eula.txt")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(dialog).to_contain_text("Accepting records your name, the model and the time.")
    buttons = dialog.locator(".jp-Dialog-footer button")
    expect(buttons).to_have_text(["Decline", "Accept"])  # the cancel-type button first
    for button in (dialog.get_by_role("button", name="Decline"), dialog.get_by_role("button", name="Accept")):
        box = button.bounding_box()
        assert box and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], box
    expect(dialog.get_by_role("button", name="Decline")).to_be_focused()  # focus moved in; not on Accept
    shot(page, "dialog-eula")

    # The license text scrolls by keyboard.
    text.focus()
    page.keyboard.press("End")
    page.wait_for_function("() => document.querySelector('.jp-JumpStartDialog-license').scrollTop > 0", polling=100)
    # Tab and Shift+Tab stay inside.
    for key in ["Tab"] * 6 + ["Shift+Tab"] * 6:
        page.keyboard.press(key)
        assert _focus_in_dialog(page), key
    violations = axe_violations(page, ".jp-Dialog")
    assert not violations, format_violations(violations)

    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert _wait_reply(page, "eula-1")["value"] == "cancel"
    assert page.evaluate("() => window.__pwned") is None

    # A link that is not https is not shown; Accept replies its value.
    _run_cell(page, 2)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("link")).to_have_count(0)
    dialog.get_by_role("button", name="Accept").click()
    expect(dialog).to_have_count(0)
    assert _wait_reply(page, "eula-2")["value"] == "accept"

    # A confirmation: the destructive button warns, and Enter chooses the safe one.
    _run_cell(page, 3)
    confirm = page.get_by_role("dialog", name="Delete endpoint demo-endpoint?")
    expect(confirm).to_contain_text("this cannot be undone")
    expect(confirm.get_by_role("button", name="Delete")).to_have_class(re.compile(r"\bjp-mod-warn\b"))
    expect(confirm.get_by_role("button", name="Keep it")).to_be_focused()
    shot(page, "dialog-confirm")
    page.keyboard.press("Enter")
    expect(confirm).to_have_count(0)
    assert _wait_reply(page, "confirm-1")["value"] == "keep"

    # Malformed (no buttons): no dialog, and the kernel is not left waiting. Another tab's: ignored.
    _run_cell(page, 4)
    assert _wait_reply(page, "bad-1")["value"] == "cancel"
    _run_cell(page, 5)
    page.wait_for_timeout(1_000)  # time for a wrongly shown dialog to appear
    expect(page.get_by_role("dialog")).to_have_count(0)
    assert not [r for r in _replies(page) if r.get("id") == "other-1"]


def test_dialog_in_the_dark_theme_passes_axe(page, lab: Jupyter) -> None:
    name = _notebook(lab, "dialogs-dark.ipynb")
    page.goto(f"{lab.url}/lab/tree/{name}?token={lab.token}&reset")
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for()
    set_theme(page, "dark")
    try:
        _run_cell(page, 0)
        expect(page.get_by_label("replies")).to_have_value(re.compile('"event": "ready"'))
        _run_cell(page, 1)
        dialog = page.get_by_role("dialog", name="License agreement for Llama 2 13B")
        expect(dialog).to_be_visible()
        shot(page, "dialog-eula-dark")
        violations = axe_violations(page, ".jp-Dialog")
        assert not violations, format_violations(violations)
        page.keyboard.press("Escape")
        assert _wait_reply(page, "eula-1")["value"] == "cancel"
    finally:
        set_theme(page, "light")
