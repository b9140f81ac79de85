"""End-to-end, as a person uses it (by role and visible text), in Debian's Chromium: the sidebar navigator and
the main-area model page.

- At 1280x720 and 1440x900, light and dark: at least 6 models are visible right after a hub opens in the
  280 px sidebar, and axe-core finds no serious or critical violation in our views (JupyterLab's toolbar aside).
- A model opens in a main-area tab titled with its name, and comes back after a page reload.
- The EULA is a modal dialog: focus inside, Escape cancels and records nothing, Accept is on screen; after it the
  page says who accepted. Deploy, Try it with an edited prompt, and Delete after a confirmation.
Screenshots go to ``test-artifacts/ui-panel/`` and, when ``JUMPSTART_LAB_SCREENSHOT_DIR`` is set, there too.
"""

from __future__ import annotations

import re

import pytest
from browser_support import (
    PANEL_ARTIFACTS,
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
    lab_fixture,
    open_public_hub,
    page_fixture,
    panel_shot,
    set_theme,
    viewport,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect
expect.set_options(timeout=UI_TIMEOUT_MS)

pytestmark = browser_marks
__all__ = ["chromium", "jp_asyncio_loop", "jp_server_cleanup", "viewport"]  # fixtures used by name

TOKEN = "jumpstart-panel-ui-token"
GATED = "meta-textgeneration-llama-2-7b-f"
GATED_NAME = "Llama 2 7B Chat"
OUR_VIEWS = [SIDEBAR, ".jsl-main"]

lab = lab_fixture(TOKEN, PANEL_ARTIFACTS, "panel-ui")
page = page_fixture()


def visible_rows(page) -> int:
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel + ' .jsl-model-row')].filter(r => {
             const b = r.getBoundingClientRect();
             return b.height > 0 && b.top >= 0 && b.bottom <= window.innerHeight; }).length""",
        SIDEBAR,
    )


@pytest.mark.parametrize("viewport", ["1280x720", "1440x900"], indirect=True)
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_models_at_a_glance_and_accessible(page, lab: Jupyter, viewport: dict, theme: str) -> None:
    set_theme(page, theme)
    try:
        sidebar = open_public_hub(page)
        assert page.locator(SIDEBAR).bounding_box()["width"] <= 300
        assert visible_rows(page) >= 6, "at least 6 models at a glance"
        name = f"sidebar-{theme}-{viewport['width']}x{viewport['height']}"
        panel_shot(page, name)
        # the filters, opened, are labelled and readable; the model page too
        sidebar.get_by_role("button", name="Filters").click()
        expect(sidebar.get_by_label("Task")).to_be_visible()
        sidebar.get_by_placeholder("Search models").fill("llama-2-7b")
        sidebar.get_by_role("button", name=re.compile(f"^{GATED_NAME}")).click()
        model = page.locator(".jsl-main .jsl-model-page")
        expect(model.locator(".jsl-page-title")).to_have_text(GATED_NAME)
        for where in OUR_VIEWS:
            violations = axe_violations(page, where)
            assert not violations, f"{where} ({theme}): {format_violations(violations)}"
        panel_shot(page, f"model-page-{theme}-{viewport['width']}x{viewport['height']}")
    finally:
        set_theme(page, "light")


SCROLLED = """sel => Math.max(...[...document.querySelectorAll(
    sel + ' .jp-SidePanel-content, ' + sel + ' .jp-JumpStartSidebar-body')].map(n => n.scrollTop))"""


@pytest.mark.parametrize("viewport", ["1280x720"], indirect=True)
def test_toolbar_navigates_and_each_hub_keeps_its_place(page, lab: Jupyter, viewport: dict) -> None:
    """Back / Hubs / Endpoints are icon buttons of the sidebar's JupyterLab toolbar; Hubs is marked while the
    navigator shows hubs or a hub's models; a hub left and opened again is where the user left it."""
    page.locator(SIDEBAR_TAB).click()
    sidebar = page.locator(SIDEBAR)
    toolbar = sidebar.locator(".jp-SidePanel-toolbar")
    hubs = toolbar.get_by_role("button", name="Hubs", exact=True)
    back = toolbar.get_by_role("button", name="Back", exact=True)
    expect(hubs).to_have_attribute("aria-pressed", "true")
    expect(back).to_be_hidden()
    expect(sidebar.locator(".jsl-toolbar")).to_be_hidden()  # one toolbar: JupyterLab's
    expect(toolbar.get_by_role("button", name="Refresh")).to_have_count(1)

    public_hub = sidebar.get_by_role("button", name=re.compile("^JumpStart Public Hub"))
    public_hub.click()
    expect(hubs).to_have_attribute("aria-pressed", "true")
    expect(back).to_be_visible()
    sidebar.get_by_placeholder("Search models").fill("text")
    sidebar.locator(".jsl-model-row").nth(12).wait_for()
    expect(sidebar.locator(".jsl-count .jsl-desc")).to_have_count(0)  # the whole catalog read, not page 1 alone
    sidebar.locator(".jsl-model-row").first.hover()
    for _ in range(5):
        page.mouse.wheel(0, 100)
    page.wait_for_function(f"sel => ({SCROLLED})(sel) >= 300", arg=SIDEBAR)
    where, before = -1, page.evaluate(SCROLLED, SIDEBAR)
    while where != before:  # until the wheel's scrolling has settled
        page.wait_for_timeout(100)
        where, before = page.evaluate(SCROLLED, SIDEBAR), where

    # Back to the hubs (the toolbar's Back), then the same hub again: same search, same place.
    back.click()
    expect(back).to_be_hidden()
    public_hub.click()
    expect(sidebar.get_by_placeholder("Search models")).to_have_value("text")
    page.wait_for_function(f"([sel, at]) => Math.abs(({SCROLLED})(sel) - at) <= 2", arg=[SIDEBAR, where])

    # Another hub starts at its top; Hubs (the toolbar) goes home from anywhere.
    hubs.click()
    sidebar.get_by_role("button", name=re.compile("^Allowlisted Models")).click()
    sidebar.locator(".jsl-model-row").first.wait_for()
    assert page.evaluate(SCROLLED, SIDEBAR) == 0

    # Endpoints opens its main-area tab.
    toolbar.get_by_role("button", name="Endpoints", exact=True).click()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")).to_contain_text("JumpStart endpoints")


@pytest.mark.parametrize("viewport", ["1280x720"], indirect=True)
def test_model_page_eula_deploy_try_it_delete(page, lab: Jupyter, viewport: dict) -> None:
    sidebar = open_public_hub(page)
    sidebar.get_by_placeholder("Search models").fill("llama-2-7b")
    sidebar.get_by_role("button", name=re.compile(f"^{GATED_NAME}")).click()
    tab = page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")
    expect(tab).to_contain_text(GATED_NAME)
    model = page.locator(".jsl-main .jsl-model-page")
    expect(model).to_contain_text("requires accepting its end-user license agreement")

    # the tab comes back after a reload (once JupyterLab has saved the layout, as it does within a second)
    lab.wait_for_saved_views(GATED_NAME)
    kernel_id = lab.sidebar_session()["kernel"]["id"]  # type: ignore[index]
    page.reload()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab", has_text=GATED_NAME)).to_have_count(1)
    expect(model.locator(".jsl-page-title")).to_have_text(GATED_NAME)
    assert lab.sidebar_session()["kernel"]["id"] == kernel_id  # type: ignore[index]  # the same kernel, its state

    # the EULA: a modal dialog; Escape cancels and records nothing
    model.get_by_role("button", name="Deploy", exact=True).click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_have_attribute("aria-modal", "true")
    expect(dialog.get_by_role("button", name="Decline")).to_be_focused()
    panel_shot(page, "eula-dialog")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    assert lab.api("GET", "jumpstart-lab/api/eula-acceptances")["acceptances"] == []  # type: ignore[index]
    expect(model).to_contain_text("Cancelled: the license was not accepted.")

    # Accept, on screen at 1280x720; the page says who accepted
    model.get_by_role("button", name="Deploy", exact=True).click()
    accept = dialog.get_by_role("button", name="Accept")
    box = accept.bounding_box()
    assert box and 0 <= box["y"] and box["y"] + box["height"] <= viewport["height"], box
    accept.click()
    expect(dialog).to_have_count(0)
    expect(model.locator(".jsl-license")).to_contain_text("EULA accepted by")
    (acceptance,) = lab.api("GET", "jumpstart-lab/api/eula-acceptances")["acceptances"]  # type: ignore[index]
    assert acceptance["model_id"] == GATED and acceptance["action"] == "deploy"

    # deploy, then Try it with an edited prompt
    page.get_by_label("Endpoint name").fill("jsl-ui-panel")
    model.get_by_role("button", name="Deploy", exact=True).last.click()
    expect(model).to_contain_text("In service", timeout=180_000)
    request = model.get_by_label("Request")
    expect(request).not_to_have_value("")  # prefilled from the model's examples
    request.fill('{"inputs": "Say hello to the panel test", "parameters": {"max_new_tokens": 32}}')
    model.get_by_role("button", name="Send").click()
    expect(model.locator(".jsl-generated")).to_be_visible()
    expect(model.locator(".jsl-generated")).to_contain_text("Say hello to the panel test")
    panel_shot(page, "try-it")

    # Delete asks first, naming the endpoint
    model.get_by_role("button", name="Delete endpoint").click()
    confirm = page.get_by_role("dialog", name="Delete endpoint jsl-ui-panel?")
    expect(confirm.get_by_role("button", name="Delete endpoint")).to_have_class(re.compile(r"\bjp-mod-warn\b"))
    confirm.get_by_role("button", name="Delete endpoint").click()
    expect(model).to_contain_text("Deleted")
    names = [d["endpoint_name"] for d in lab.api("GET", "jumpstart-lab/api/deployments")["deployments"]]  # type: ignore[index]
    assert "jsl-ui-panel" not in names
