"""Hostile hub content in a real JupyterLab (Debian's Chromium): a private hub whose model's display name,
description, markdown, keywords and EULA text carry script payloads (tests/hostile.py). Opened in the sidebar
(the list, the model page, the EULA dialog) and in the inline panel of a notebook, no payload runs — the
page-level flag they would set stays unset — and the text is still shown to the user as text."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import nbformat
import pytest
from botocore.config import Config
from browser_support import (
    UI_TIMEOUT_MS,
    browser_marks,
    chromium,
    jp_asyncio_loop,
    jp_server_cleanup,
    start_jupyter,
)
from hostile import FLAG, HUB, MARK, import_hostile_model
from hub_support import drop_hub
from service_support import aws_client

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts" / "hostile"
TOKEN = "jumpstart-hostile-test-token"
SIDEBAR = "#jumpstart-lab-sidebar"
SIDEBAR_TAB = f'.jp-SideBar .lm-TabBar-tab[data-id="{SIDEBAR[1:]}"]'

pytestmark = browser_marks
playwright_api.expect.set_options(timeout=UI_TIMEOUT_MS)


def _client(local_service: str, service: str):
    return aws_client(local_service, service, max_attempts=2)


@pytest.fixture(scope="module")
def lab(local_service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    sm = _client(local_service, "sagemaker")
    import_hostile_model(sm, _client(local_service, "s3"))
    tmp = tmp_path_factory.mktemp("hostile-lab")
    (tmp / "root").mkdir()
    cell = nbformat.v4.new_code_cell("from jumpstart_lab import HubBrowser\nHubBrowser()")
    nb = nbformat.v4.new_notebook(cells=[cell])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, tmp / "root" / "panel.ipynb")
    server = start_jupyter(
        "jupyterlab",
        local_service=local_service,
        tmp=tmp,
        token=TOKEN,
        log=ARTIFACTS / "jupyterlab.log",
        kernel_finds_server=True,
    )
    yield server
    server.stop()
    drop_hub(sm, HUB)


@pytest.fixture
def page(chromium, lab) -> Iterator[object]:
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    pg = context.new_page()
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))  # alert() would be a payload running
    pg.add_init_script(f"window.{FLAG} = undefined;")
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "last.png"))
    context.close()
    assert dialogs == []


def assert_nothing_ran(pg) -> None:
    assert pg.evaluate(f"window.{FLAG}") is None, "a hub payload ran in JupyterLab"
    # and nothing from the hub became an element that can run script or navigate
    found = pg.evaluate(
        """() => [...document.querySelectorAll('.jsl-browser *')].flatMap(el => [
              ...(['SCRIPT', 'IFRAME', 'OBJECT', 'EMBED'].includes(el.tagName) ? [el.tagName] : []),
              ...[...el.attributes].filter(a => a.name.startsWith('on')
                  || (['href', 'src'].includes(a.name) && /^\\s*(javascript|data):/i.test(a.value)))
                .map(a => el.tagName + ' ' + a.name + '=' + a.value)])"""
    )
    assert found == [], found


def browse_hostile(panel, pg) -> None:
    """The hub card, the list row, then the model page (main-area tab or the panel's own page)."""
    panel.get_by_role("button", name=f"{MARK} hub").first.click()
    row = panel.locator(".jsl-model-button", has_text=f"{MARK} name")
    row.wait_for()
    assert_nothing_ran(pg)
    row.click()
    model = pg.locator(".jsl-model-page", has_text=f"{MARK} card").last
    model.wait_for()
    assert_nothing_ran(pg)
    # the text is still there for the user, as text
    playwright_api.expect(model.locator(".jsl-page-title")).to_contain_text(f"{MARK} name <img src=x")
    playwright_api.expect(model.locator(".jsl-description")).to_contain_text("<script>window.__pwned=1</script>")
    playwright_api.expect(model.locator(".jsl-markdown")).to_contain_text("click me")
    # the EULA: its hostile text in the dialog, as text
    model.get_by_role("button", name="Deploy", exact=True).click()
    dialog = pg.get_by_role("dialog")
    dialog.wait_for()
    playwright_api.expect(dialog).to_contain_text(f"{MARK} EULA text")
    playwright_api.expect(dialog).to_contain_text("<svg onload=")
    assert_nothing_ran(pg)
    dialog.get_by_role("button", name="Decline").click()
    dialog.wait_for(state="hidden")
    assert_nothing_ran(pg)


def test_hostile_content_in_the_sidebar_runs_nothing(page, lab) -> None:
    page.goto(f"{lab.url}/lab?token={TOKEN}&reset")
    page.locator(SIDEBAR_TAB).click()
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Model hubs").wait_for()
    browse_hostile(sidebar, page)


def test_hostile_content_in_the_inline_panel_runs_nothing(page, lab) -> None:
    page.goto(f"{lab.url}/lab/tree/panel.ipynb?token={TOKEN}&reset")
    cell = page.locator(".jp-Notebook .jp-Cell").first
    cell.wait_for()
    page.get_by_text("| Idle").wait_for()
    cell.click()
    page.keyboard.press("Shift+Enter")
    panel = page.locator(".jp-Notebook .jsl-browser")
    panel.get_by_text("Model hubs").wait_for()
    browse_hostile(panel, page)
