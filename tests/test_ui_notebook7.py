"""End-to-end: the JumpStart sidebar in Jupyter Notebook 7, driven in Debian's Chromium.

Notebook 7 has no always-visible side bar: panels added to the left area are listed under
View > Left Sidebar. The same labextension must work there: the panel shows the hubs, and a
notebook it writes opens (Notebook 7 opens documents in a new browser tab).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser_support import (
    UI_TIMEOUT_MS,
    Jupyter,
    browser_marks,
    chromium,
    jp_asyncio_loop,
    jp_server_cleanup,
    open_public_model,
    start_jupyter,
)

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
pytest.importorskip("notebook", reason="Jupyter Notebook 7 is not installed (pip install notebook)")

ARTIFACTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "notebook7"
TOKEN = "jumpstart-nb7-test-token"  # a throwaway token for a loopback test server
MODEL = "huggingface-text2text-flan-t5-base"
SIDEBAR = "#jumpstart-lab-sidebar"
playwright_api.expect.set_options(timeout=UI_TIMEOUT_MS)

pytestmark = browser_marks


@pytest.fixture(scope="module")
def nb7(local_service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
    server = start_jupyter(
        "notebook",
        local_service=local_service,
        tmp=tmp_path_factory.mktemp("nb7"),
        token=TOKEN,
        log=ARTIFACTS / "notebook.log",
    )
    yield server
    server.stop()


def shot(page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def test_sidebar_in_notebook7_browses_and_opens_a_notebook(chromium, nb7: Jupyter) -> None:
    expect = playwright_api.expect
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    context.set_default_timeout(UI_TIMEOUT_MS)
    errors: list[str] = []
    context.on("page", lambda pg: pg.on("pageerror", lambda exc: errors.append(str(exc))))
    page = context.new_page()
    try:
        page.goto(f"{nb7.url}/tree?token={TOKEN}")
        page.get_by_role("menuitem", name="View").click()
        page.locator(".lm-Menu-item", has_text="Left Sidebar").hover()
        page.locator(".lm-Menu").last.get_by_text("Show JumpStart").click()
        sidebar = page.locator(SIDEBAR)
        expect(sidebar.get_by_text("Model hubs")).to_be_visible()
        expect(sidebar.get_by_role("button", name=re.compile("^Allowlisted Models"))).to_be_visible()
        assert nb7.sidebar_session() is not None, "the panel runs in its own kernel session"
        shot(page, "01-hubs")

        open_public_model(sidebar, MODEL)
        expect(sidebar.get_by_role("button", name="Deploy", exact=True)).to_be_enabled()
        shot(page, "02-details")

        # Notebook 7 opens documents in a new browser tab: the generated notebook appears there.
        with context.expect_page() as opened:
            sidebar.get_by_role("button", name="Open notebook").click()
        notebook = opened.value
        notebook.wait_for_load_state()
        assert re.search(rf"/notebooks/jumpstart/{MODEL}-deploy-v\d\.ipynb", notebook.url), notebook.url
        expect(notebook).to_have_title(re.compile(re.escape(MODEL)))
        expect(notebook.get_by_role("heading", name="Clean up")).to_be_visible()  # the notebook is rendered
        shot(notebook, "03-notebook")
        path = notebook.url.split("/notebooks/", 1)[1].split("?", 1)[0]
        assert f"MODEL_ID = '{MODEL}'" in (nb7.root / path).read_text()
    finally:
        shot(page, "last")
        context.close()
    assert not [e for e in errors if "jumpstart" in e.lower()], errors
