"""End-to-end: the JumpStart sidebar in a real JupyterLab, driven in Debian's Chromium.

JupyterLab is started by the fixture on the local AWS-compatible service, with a token, a fresh
workspace, settings and EULA store, and no news toast. Tests act as a user would: by visible text,
roles and tooltips. Screenshots of each step go to ``test-artifacts/ui/``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest
from browser_support import (
    SIDEBAR,
    SIDEBAR_TAB,
    UI_TIMEOUT_MS,
    Jupyter,
    browser_marks,
    chromium,
    jp_asyncio_loop,
    jp_server_cleanup,
    kernel_pid,
    lab_fixture,
    open_public_model,
    open_sidebar,
    page_fixture,
    screenshot,
    viewport,
    wait_sidebar_ready,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "ui"

pytestmark = browser_marks
__all__ = ["chromium", "jp_asyncio_loop", "jp_server_cleanup", "viewport"]  # fixtures used by name

TOKEN = "jumpstart-ui-test-token"  # a throwaway token for a loopback test server
GATED = "meta-textgeneration-llama-2-13b-f"
playwright_api.expect.set_options(timeout=UI_TIMEOUT_MS)

Lab = Jupyter

#: ``jupyter lab`` on the local service; fresh root, workspace, settings, config and EULA store.
lab = lab_fixture(TOKEN, ARTIFACTS)
#: A fresh browser context (its own sessionStorage, so its own client id) on ``/lab`` at 1440x900.
page = page_fixture(ARTIFACTS)


@pytest.fixture(scope="module")
def browser(chromium) -> object:  # the shared fixture, under this module's older name
    return chromium


def shot(page, name: str) -> Path:
    return screenshot(page, name, ARTIFACTS)


def from_palette(page, query: str, label: str, *, click: bool = True) -> None:
    """Open the command palette, type ``query``, and click the item ``label`` (or only see it listed).

    The palette closes when focus moves elsewhere (a kernel output redrawing, a late dialog), so the
    whole gesture is tried again when the palette closed under it, instead of failing on a focus race.
    """
    palette = page.locator("#command-palette")
    for attempt in range(3):
        page.keyboard.press("Control+Shift+C")
        try:
            palette.get_by_role("textbox").fill(query, timeout=10_000)
            item = palette.get_by_text(label)
            if click:
                item.click(timeout=10_000)
            else:
                item.wait_for(timeout=10_000)
                page.keyboard.press("Escape")
            return
        except playwright_api.TimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def model_page(page) -> object:
    """The model page a click in the sidebar opened in the main area."""
    return page.locator(".jsl-main .jsl-model-page").last


def accept_eula_if_asked(page) -> None:
    """JupyterLab's EULA dialog, if the action asks for one."""
    dialog = page.get_by_role("dialog")
    try:
        dialog.wait_for(timeout=5_000)
    except playwright_api.TimeoutError:
        return
    dialog.get_by_role("button", name="Accept").click()
    dialog.wait_for(state="detached")


def test_issue6_flow(page, lab: Lab) -> None:
    """Hubs → Allowlisted Models → "llama" → the gated model → EULA decline/accept → deploy → delete → train."""
    # preloadKernel (on by default) starts the sidebar kernel in the background; tests/test_ui_lab.py covers it
    shot(page, "01-jupyterlab")

    sidebar = open_sidebar(page)
    expect = playwright_api.expect
    expect(sidebar.get_by_role("button", name=re.compile("^Allowlisted Models"))).to_be_visible()
    expect(sidebar.get_by_role("button", name=re.compile("^JumpStart Public Hub"))).to_be_visible()
    # Rendered without prompts or output chrome.
    expect(sidebar.locator(".jp-OutputPrompt:visible")).to_have_count(0)
    session = lab.sidebar_session()
    assert session is not None and session["path"].endswith(".jumpstart-lab/sidebar")
    shot(page, "02-hubs")

    sidebar.get_by_title("Browse the models of Allowlisted Models").click()
    search = sidebar.get_by_placeholder("Search models")
    search.wait_for()
    search.fill("llama")
    model = sidebar.get_by_title(GATED, exact=True)
    model.wait_for()
    shot(page, "03-search-llama")
    model.click()

    # the model's page opens in the main area
    details = page.locator(".jsl-main .jsl-model-page")
    deploy_action = details.get_by_role("button", name="Deploy", exact=True)
    expect(deploy_action).to_be_enabled()
    expect(details.get_by_text(GATED, exact=True).first).to_be_visible()
    shot(page, "04-model-details")

    # Deploy → JupyterLab's modal EULA dialog over the whole application.
    deploy_action.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("License agreement for")
    expect(dialog).to_have_attribute("aria-modal", "true")
    shot(page, "05-eula-dialog")

    # Decline → nothing happened: no endpoint, the dialog is gone, the page works again.
    dialog.get_by_role("button", name="Decline").click()
    expect(dialog).to_have_count(0)
    expect(details.get_by_text("the license was not accepted")).to_be_visible()
    assert not _endpoints(lab), "declining must not deploy anything"
    expect(deploy_action).to_be_enabled()
    shot(page, "06-eula-declined")

    # Deploy → Accept → deploy form → Deploy → InService.
    deploy_action.click()
    dialog.get_by_role("button", name="Accept").click()
    expect(dialog).to_have_count(0)
    details.get_by_label("Endpoint name").wait_for()
    shot(page, "07-deploy-form")
    details.get_by_role("button", name="Deploy", exact=True).last.click()
    expect(details.get_by_text("In service")).to_be_visible()
    assert _endpoints(lab), "the deployment must exist on the (local) service"
    shot(page, "08-in-service")

    # Delete asks first
    details.get_by_role("button", name="Delete endpoint").click()
    page.get_by_role("dialog").get_by_role("button", name="Delete endpoint").click()
    expect(details.get_by_text(re.compile(r": Deleted$"))).to_be_visible()
    assert not _endpoints(lab)
    shot(page, "09-deleted")

    # Train on the same model → a notebook tab opens with the model id in it.
    train = details.get_by_role("button", name="Train", exact=True)
    expect(train).to_be_enabled()
    train.click()
    accept_eula_if_asked(page)
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=".ipynb")
    tab.wait_for()
    notebook = page.locator(".jp-NotebookPanel:visible")
    expect(notebook.get_by_text(GATED).filter(visible=True).first).to_be_visible()
    page.locator(".jp-StatusBar-Widget", has_text="Idle").first.wait_for()  # its kernel has connected
    page.wait_for_timeout(1_000)
    # opened unmodified: the kernel's language_info is already in the notebook (no "●", no save prompt)
    expect(tab.first).not_to_have_class(re.compile(r"\bjp-mod-dirty\b"))
    shot(page, "10-train-notebook")
    path = tab.first.get_attribute("title") or ""
    assert GATED in (lab.root / _notebook_path(lab)).read_text(), path


def test_restart_and_crash_redraw_the_panel(page, lab: Lab) -> None:
    """Toolbar Restart, a killed kernel (auto-restart) and a shut-down kernel (Start button)."""
    expect = playwright_api.expect
    sidebar = open_sidebar(page)
    kernel_id = lab.sidebar_session()["kernel"]["id"]  # type: ignore[index]

    sidebar.locator(".jp-SidePanel-toolbar").get_by_role("button", name="Restart").click()
    page.get_by_role("dialog").get_by_role("button", name="Restart").click()  # it asks first
    expect(sidebar.get_by_text("Model hubs")).to_be_hidden()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()
    assert lab.sidebar_session()["kernel"]["id"] == kernel_id  # type: ignore[index]
    shot(page, "11-after-restart")

    # Restarted by another client (REST): a new kernel process, the panel notices and redraws.
    lab.api("POST", f"api/kernels/{kernel_id}/restart")
    expect(sidebar.get_by_text("Model hubs")).to_be_hidden()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()

    # A crash: the server restarts the kernel, the panel redraws by itself.
    os.kill(kernel_pid(kernel_id), signal.SIGKILL)
    expect(sidebar.get_by_text("Model hubs")).to_be_hidden()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()
    shot(page, "12-after-crash")

    # Shut down from elsewhere (e.g. the Running panel): a Start button brings it back.
    lab.api("DELETE", f"api/kernels/{kernel_id}")
    start = sidebar.get_by_role("button", name="Start", exact=True)
    start.wait_for()
    expect(sidebar.get_by_text("The JumpStart kernel has stopped.")).to_be_visible()
    shot(page, "13-kernel-stopped")
    start.click()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()
    assert lab.sidebar_session() is not None


def test_open_request_is_handled_by_the_sending_tab_only(page, browser, lab: Lab) -> None:
    """Two browser tabs share the sidebar kernel; a notebook opens only in the tab whose panel asked."""
    expect = playwright_api.expect
    other_context = browser.new_context(viewport={"width": 1200, "height": 800})
    other_context.set_default_timeout(UI_TIMEOUT_MS)
    other = other_context.new_page()
    try:
        other.goto(f"{lab.url}/lab?token={TOKEN}&reset")
        other.locator(SIDEBAR_TAB).wait_for()
        open_sidebar(other)
        sidebar = open_sidebar(page)
        assert len([s for s in lab.api("GET", "api/sessions") if s["type"] == "jumpstart-lab"]) == 1

        open_public_model(sidebar)
        model_page(page).get_by_role("button", name="Open notebook").click()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="flan-t5-base")
        tab.wait_for()
        shot(page, "17-notebook-opened-in-this-tab")
        other.wait_for_timeout(3_000)  # give a wrongly addressed request time to arrive
        expect(other.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="flan-t5-base")).to_have_count(0)
    finally:
        other_context.close()


def test_a_duplicated_tab_takes_its_own_client_id(page, lab: Lab) -> None:
    """ "Duplicate tab" copies sessionStorage (and so the tab's client id): the copy must take a new id,
    or notebooks its panel asks for would also open in the original tab."""
    expect = playwright_api.expect
    sidebar = open_sidebar(page)
    original = page.evaluate("sessionStorage.getItem('jumpstart-lab:client-id')")
    assert original
    # "Duplicate tab": a new page of the same browser profile, with a copy of the tab's sessionStorage
    storage = page.evaluate("JSON.stringify(Object.entries(sessionStorage))")
    duplicate = page.context.new_page()
    duplicate.add_init_script(
        f"for (const [k, v] of {storage}) {{ if (!sessionStorage.getItem('copied')) sessionStorage.setItem(k, v); }}"
        "sessionStorage.setItem('copied', '1');"
    )
    try:
        duplicate.goto(f"{lab.url}/lab?token={TOKEN}&reset")
        copy_sidebar = open_sidebar(duplicate)
        renewed = duplicate.evaluate("sessionStorage.getItem('jumpstart-lab:client-id')")
        assert renewed and renewed != original
        assert page.evaluate("sessionStorage.getItem('jumpstart-lab:client-id')") == original

        open_public_model(copy_sidebar)
        model_page(duplicate).get_by_role("button", name="Open notebook").click()
        tabs = ".lm-DockPanel-tabBar .lm-TabBar-tab"
        expect(duplicate.locator(tabs, has_text="flan-t5-base").first).to_be_visible()
        page.wait_for_timeout(3_000)  # give a wrongly addressed request time to arrive
        expect(page.locator(tabs, has_text="flan-t5-base")).to_have_count(0)
        expect(sidebar.get_by_text("Model hubs")).to_be_visible()  # the original panel is untouched

        # A reload is the same tab again: each keeps its id.
        lab.wait_for_saved_sidebar()
        for tab, kept in ((page, original), (duplicate, renewed)):
            tab.reload()
            wait_sidebar_ready(tab.locator("#jumpstart-lab-sidebar"))
            assert tab.evaluate("sessionStorage.getItem('jumpstart-lab:client-id')") == kept
    finally:
        duplicate.close()


def test_hub_browser_in_a_notebook_opens_files(page, lab: Lab) -> None:
    """``HubBrowser()`` in a notebook renders, and its bridge (global widget registry) opens notebooks."""
    expect = playwright_api.expect
    (lab.root / "browse.ipynb").write_text(
        json.dumps(
            {
                "cells": [
                    {
                        "cell_type": "code",
                        "execution_count": None,
                        "id": "c1",
                        "metadata": {},
                        "outputs": [],
                        "source": "from jumpstart_lab import HubBrowser\nHubBrowser()",
                    }
                ],
                "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    page.goto(f"{lab.url}/lab/tree/browse.ipynb?token={TOKEN}&reset")
    panel = page.locator(".jp-NotebookPanel:visible")
    page.get_by_text(re.compile(r"\| Idle$")).first.wait_for()
    panel.locator(".jp-Cell").first.click()
    page.keyboard.press("Shift+Enter")
    output = panel.locator(".jp-OutputArea-output")
    output.get_by_text("Model hubs").wait_for()
    open_public_model(output)
    output.get_by_role("button", name="Open notebook").click()
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="flan-t5-base")
    tab.first.wait_for()
    expect(tab.first).to_be_visible()
    shot(page, "18-notebook-hub-browser")


def test_refresh_and_palette_commands(page, lab: Lab) -> None:
    """Refresh re-runs the bootstrap; "JumpStart: Open model..." prompts and opens the model."""
    expect = playwright_api.expect
    sidebar = open_sidebar(page)
    sidebar.locator(".jp-SidePanel-toolbar").get_by_role("button", name="Refresh").click()
    expect(sidebar.get_by_text("Model hubs")).to_be_visible()
    wait_sidebar_ready(sidebar)

    from_palette(page, "JumpStart", "JumpStart: Open hub browser", click=False)  # listed
    from_palette(page, "JumpStart", "JumpStart: Open model...")
    dialog = page.locator(".jp-Dialog")
    dialog.get_by_label("Hub (name or ARN)").fill("SageMakerPublicHub")
    dialog.get_by_label("Model id").fill("huggingface-text2text-flan-t5-base")
    shot(page, "14-open-model-dialog")
    dialog.get_by_role("button", name="Open").click()
    # The model page opens in a main-area tab (JupyterLab).
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="flan-t5-base")).to_be_visible()
    view = page.locator('.jp-JumpStartView[data-view="model"]:visible')
    expect(view.get_by_text("huggingface-text2text-flan-t5-base", exact=True).first).to_be_visible()
    expect(view.get_by_role("button", name="Deploy", exact=True)).to_be_visible()
    shot(page, "15-opened-model")

    # Invalid input is refused with a clear message, nothing is sent to the kernel.
    from_palette(page, "JumpStart: Open model", "JumpStart: Open model...")
    dialog.get_by_label("Model id").fill("../etc/passwd")
    dialog.get_by_role("button", name="Open").click()
    expect(page.locator(".jp-Dialog").get_by_text("Invalid model id")).to_be_visible()
    page.locator(".jp-Dialog").get_by_role("button", name=re.compile("^(Close|Dismiss|Ok)$")).click()
    expect(page.locator(".jp-Dialog")).to_have_count(0)


def test_settings_editor_shows_jumpstart_settings(page) -> None:
    expect = playwright_api.expect
    page.get_by_role("menuitem", name="Settings").click()
    page.get_by_role("menuitem", name="Settings Editor").click()
    page.locator(".jp-PluginList").get_by_text("JumpStart", exact=True).click()
    form = page.locator(".jp-SettingsPanel")
    expect(form.get_by_text("Settings of the JumpStart hub browser sidebar.").first).to_be_visible()
    # JupyterLab's settings form shows each title as a heading and copies it to the input's `label`.
    for title, value in (("Kernel name", "python3"), ("Notebook directory", "")):
        expect(form.get_by_role("heading", name=title, exact=True)).to_be_visible()
        expect(form.locator(f'input[label="{title}"]')).to_have_value(value)
    shot(page, "16-settings")


def test_notebook_directory_setting_is_applied(page, lab: Lab) -> None:
    """Settings Editor > JumpStart > Notebook directory: the panel writes notebooks there."""
    expect = playwright_api.expect
    folder = "team notebooks/llm"
    page.get_by_role("menuitem", name="Settings").click()
    page.get_by_role("menuitem", name="Settings Editor").click()
    page.locator(".jp-PluginList").get_by_text("JumpStart", exact=True).click()
    field = page.locator(".jp-SettingsPanel").locator('input[label="Notebook directory"]')
    try:
        field.fill(folder)
        field.press("Tab")
        deadline = time.monotonic() + 30  # the form saves on its own, after a short debounce
        while folder not in lab.api("GET", "lab/api/settings/jumpstart-lab:plugin")["raw"]:  # type: ignore[index]
            assert time.monotonic() < deadline, "the Settings Editor did not save the notebook directory"
            time.sleep(0.5)
        shot(page, "19-notebook-directory-setting")

        sidebar = open_sidebar(page)
        wait_sidebar_ready(sidebar)
        open_public_model(sidebar)
        model_page(page).get_by_role("button", name="Open notebook").click()
        tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text="flan-t5-base")
        expect(tab.first).to_be_visible()
        written = list((lab.root / folder).glob("huggingface-text2text-flan-t5-base-deploy-*.ipynb"))
        assert len(written) == 1, sorted(p.relative_to(lab.root).as_posix() for p in lab.root.rglob("*.ipynb"))
        shot(page, "20-notebook-in-setting-folder")
    finally:
        lab.api("PUT", "lab/api/settings/jumpstart-lab:plugin", {"raw": "{}"})


def test_a_reload_keeps_the_kernel_and_the_panel_works(browser, lab: Lab) -> None:
    """The page never ends the shared sidebar kernel on unload (the server ends it once no tab is left, see
    tests/test_sidebar_kernel.py): a reload joins the same kernel, and the panel works at once."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{lab.url}/lab?token={TOKEN}&reset")
        page.locator(SIDEBAR_TAB).wait_for()
        since = lab.workspace_saved_at()
        wait_sidebar_ready(open_sidebar(page))
        kernel_id = lab.sidebar_session()["kernel"]["id"]  # type: ignore[index]
        lab.wait_for_saved_sidebar(since)  # a reload before JupyterLab saved this layout brings the sidebar back closed
        page.reload()  # the layout comes back with the sidebar open
        sidebar = page.locator(SIDEBAR)
        sidebar.get_by_text("Model hubs").wait_for()
        open_public_model(wait_sidebar_ready(sidebar))
        model_page(page).get_by_text("flan-t5-base").first.wait_for()
        assert lab.sidebar_session()["kernel"]["id"] == kernel_id  # type: ignore[index]
    finally:
        context.close()


def _endpoints(lab: Lab) -> list:
    body = lab.api("GET", "jumpstart-lab/api/deployments")
    return [d for d in body["deployments"] if d.get("status") not in ("Deleting", "Deleted")]  # type: ignore[index]


def _notebook_path(lab: Lab) -> Path:
    found = sorted(lab.root.rglob("*.ipynb"), key=lambda p: p.stat().st_mtime)
    assert found, "no notebook was written under the server root"
    return found[-1].relative_to(lab.root)


def teardown_module() -> None:
    """With JUMPSTART_LAB_UPDATE_SCREENSHOTS=1, copy the best screenshots of this run to docs/screenshots/lab-*.png."""
    docs = ROOT / "docs" / "screenshots"
    wanted = ["02-hubs", "05-eula-dialog", "08-in-service", "10-train-notebook"]
    if os.environ.get("JUMPSTART_LAB_UPDATE_SCREENSHOTS") and all((ARTIFACTS / f"{n}.png").exists() for n in wanted):
        docs.mkdir(parents=True, exist_ok=True)
        for n in wanted:
            shutil.copy(ARTIFACTS / f"{n}.png", docs / f"lab-{n}.png")
