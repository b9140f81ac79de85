"""HubBrowser inline in a notebook, in a real JupyterLab driven by Debian's Chromium.

A notebook cell runs ``from jumpstart_lab import HubBrowser; HubBrowser()``; the test clicks through
hubs -> search -> details -> EULA dialog -> deploy form -> InService -> Try it -> Delete by visible
text, checks the panel fits a 300 px sidebar width, and the German panel. Screenshots of each step
go to ``test-artifacts/panel/`` (and to ``$JUMPSTART_LAB_SCREENSHOT_DIR`` when set, e.g. ``docs/screenshots``).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from browser_support import (
    UI_TIMEOUT_MS,
    browser_marks,
    chromium,
    jp_asyncio_loop,
    jp_server_cleanup,
    start_jupyter,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "panel"

pytestmark = browser_marks

TOKEN = "jumpstart-panel-test-token"
GATED = "meta-textgeneration-llama-2-13b-f"
TIMEOUT_MS = UI_TIMEOUT_MS
playwright_api.expect.set_options(timeout=TIMEOUT_MS)


def _notebook(path: Path, code: str) -> None:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(code)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)


@pytest.fixture(scope="module")
def lab(local_service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``jupyter lab`` on the local service with two notebooks that show the panel (English, German)."""
    tmp = tmp_path_factory.mktemp("panel-lab")
    (tmp / "root").mkdir()
    _notebook(tmp / "root" / "panel.ipynb", "from jumpstart_lab import HubBrowser\nHubBrowser(poll_interval=1)")
    _notebook(tmp / "root" / "panel-de.ipynb", "from jumpstart_lab import HubBrowser\nHubBrowser(locale='de_DE')")
    server = start_jupyter(
        "jupyterlab",
        local_service=local_service,
        tmp=tmp,
        token=TOKEN,
        log=ARTIFACTS / "jupyterlab.log",
        kernel_finds_server=True,  # the kernel must find its server by itself (JPY_PARENT_PID)
    )
    yield server.url
    server.stop()


def open_panel(chromium, lab: str, notebook: str):
    # tall, so that element screenshots show the whole panel
    context = chromium.new_context(viewport={"width": 1100, "height": 1900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{lab}/lab/tree/{notebook}?token={TOKEN}&reset")
    cell = page.locator(".jp-Notebook .jp-Cell").first
    cell.wait_for()
    page.get_by_text("| Idle").wait_for()  # the status bar: the kernel is connected and ready
    cell.click()
    page.keyboard.press("Shift+Enter")
    panel = page.locator(".jp-Notebook .jsl-browser")  # (the sidebar's panel, preloaded, is one too)
    try:
        panel.wait_for()
    except playwright_api.TimeoutError:
        page.screenshot(path=str(ARTIFACTS / f"failed-{notebook}.png"))
        raise
    return context, page, panel


OVERFLOWING = """(() => {
  const panel = document.querySelector('.jp-Notebook .jsl-browser');
  const right = panel.getBoundingClientRect().right + 1;
  return [...panel.querySelectorAll('*')]
    .filter(e => e.getClientRects().length && e.getBoundingClientRect().right > right)
    .map(e => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right - right)}px`)
    .slice(0, 10);
})()"""


def shot(panel, name: str) -> None:
    path = ARTIFACTS / f"panel-{name}.png"
    panel.screenshot(path=str(path))
    target = os.environ.get("JUMPSTART_LAB_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def test_inline_panel_flow(chromium, lab: str) -> None:
    expect = playwright_api.expect
    context, page, panel = open_panel(chromium, lab, "panel.ipynb")
    try:
        expect(panel.get_by_text("Model hubs")).to_be_visible()
        expect(panel.get_by_text("Demo catalog").first).to_be_visible()
        card = panel.get_by_role("button", name=re.compile(r"^JumpStart Public Hub"))
        expect(card).to_contain_text("Public hub")
        expect(card).to_contain_text(re.compile(r"\d+ models"))
        expect(panel.get_by_role("button", name=re.compile(r"^Partner Models"))).to_contain_text("Shared from account")
        shot(panel, "1-hubs")

        card.click()  # anywhere on the card
        search = panel.get_by_placeholder("Search models")
        search.wait_for()
        search.fill("llama")
        model = panel.get_by_title(GATED, exact=True)
        model.wait_for()
        expect(panel.locator(".jsl-count")).to_contain_text(re.compile(r"(\d+ of )?\d+ models?"))
        shot(panel, "2-search")

        model.click()  # inline (no main area): the model page is a page of the panel
        expect(panel.get_by_text("Inference instance types")).to_be_visible()
        for label in ("Deploy", "Train", "Evaluate", "Open notebook"):
            expect(panel.get_by_role("button", name=label, exact=True)).to_be_visible()
        shot(panel, "3-details")

        # Deploy → JupyterLab's modal EULA dialog (the bridge in the notebook asks for it)
        panel.get_by_role("button", name="Deploy", exact=True).click()
        dialog = page.get_by_role("dialog")
        expect(dialog).to_contain_text("License agreement for Llama 2 13B Chat")
        expect(dialog).to_contain_text("responsible for reviewing and complying")
        expect(dialog).to_have_attribute("aria-modal", "true")
        shot(page, "4-eula-dialog")

        dialog.get_by_role("button", name="Accept").click()
        expect(dialog).to_have_count(0)
        panel.get_by_label("Endpoint name").wait_for()
        expect(panel.get_by_text("until deleted")).to_be_visible()
        panel.get_by_label("Endpoint name").fill("bad name!")
        expect(panel.get_by_text("letters, digits and hyphens")).to_be_visible()
        expect(panel.get_by_role("button", name="Deploy", exact=True).last).to_be_disabled()
        panel.get_by_label("Endpoint name").fill("llama-2-13b-chat-demo")
        expect(panel.get_by_role("button", name="Deploy", exact=True).last).to_be_enabled()
        shot(panel, "5-deploy-form")

        panel.get_by_role("button", name="Deploy", exact=True).last.click()
        expect(panel.get_by_text("In service")).to_be_visible()
        panel.get_by_role("button", name="Send").click()
        expect(panel.get_by_text("Response:")).to_be_visible()
        shot(panel, "6-in-service")

        panel.get_by_role("button", name="Delete endpoint").click()
        page.get_by_role("dialog").get_by_role("button", name="Delete endpoint").click()
        expect(panel.get_by_text("Deleted")).to_be_visible()

        # the same panel in a 300 px wide sidebar: nothing sticks out
        page.evaluate(
            "(() => { const s = document.querySelector('.jp-Notebook .jsl-browser').style;"
            " s.width = s.maxWidth = s.minWidth = '300px'; })()"
        )
        expect(panel.get_by_text("Inference instance types")).to_be_visible()
        assert page.evaluate("document.querySelector('.jp-Notebook .jsl-browser').getBoundingClientRect().width") == 300
        wider = page.evaluate(OVERFLOWING)
        assert not wider, f"elements stick out of the 300 px panel: {wider}"
        shot(panel, "7-narrow")
    finally:
        context.close()


def test_inline_panel_in_german(chromium, lab: str) -> None:
    expect = playwright_api.expect
    context, _page, panel = open_panel(chromium, lab, "panel-de.ipynb")
    try:
        expect(panel.get_by_text("Modell-Hubs")).to_be_visible()
        expect(panel.get_by_text("Demo-Katalog").first).to_be_visible()
        expect(panel.get_by_text("Öffentlicher Hub")).to_be_visible()
        shot(panel, "8-german")
    finally:
        context.close()
