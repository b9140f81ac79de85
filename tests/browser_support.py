"""What the browser tests share: Debian's Chromium, and a Jupyter server of our own on the local service.

``start_jupyter("jupyterlab" | "notebook", ...)`` runs the real application in its own process with a
token, a fresh root, workspace, settings, config, runtime and EULA store, and no news toast; tests
drive it with Python Playwright (never Playwright's own browser download).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest
from jupyter_process import free_port, wait_until_serving

CHROMIUM = os.environ.get("JUMPSTART_LAB_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Generous: two cores are shared with other test processes; waits end as soon as the UI is there.
UI_TIMEOUT_MS = 90_000
REPO = Path(__file__).resolve().parents[1]
BUILT = REPO / "jumpstart_lab" / "labextension" / "package.json"
# Installed by scripts/setup.sh (npm axe-core, pinned there).
AXE = REPO / ".venv" / "axe" / "node_modules" / "axe-core" / "axe.min.js"
# Screens the UI tests look at: a common laptop and a common desktop.
VIEWPORTS = {"1280x720": {"width": 1280, "height": 720}, "1440x900": {"width": 1440, "height": 900}}
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
# The JumpStart sidebar, its tab in JupyterLab's left bar, and the main area's tabs.
SIDEBAR = "#jumpstart-lab-sidebar"
SIDEBAR_TAB = f'.jp-SideBar .lm-TabBar-tab[data-id="{SIDEBAR[1:]}"]'
MAIN_TABS = ".lm-DockPanel-tabBar .lm-TabBar-tab"

browser_marks = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"no Chromium at {CHROMIUM} (apt-get install chromium)"),
    pytest.mark.skipif(not BUILT.exists(), reason="frontend not built (pip install -e . or jlpm build)"),
]


@pytest.fixture(autouse=True)
def jp_asyncio_loop() -> Iterator[asyncio.AbstractEventLoop]:
    """pytest-jupyter's loop fixture would close the loop Playwright's sync API runs on: use a private one."""
    loop = asyncio.new_event_loop()
    yield loop
    loop.close()


@pytest.fixture(autouse=True)
def jp_server_cleanup() -> None:
    """No in-process ServerApp here (Jupyter runs in its own process)."""


@dataclass
class Jupyter:
    """A running ``jupyter lab`` / ``jupyter notebook`` process."""

    url: str
    root: Path
    log: Path
    token: str
    process: subprocess.Popen

    def api(self, method: str, path: str, body: object = None) -> object:
        """Call the server's REST API with the token (as a script would, not the browser)."""
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(
            f"{self.url}/{path.lstrip('/')}",
            method=method,
            data=data,
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            reply = resp.read()
        return json.loads(reply) if reply else None

    def wait_for_saved_views(self, *titles: str, workspace: str = "default", timeout: float = 60) -> None:
        """Wait until JupyterLab has saved main-area JumpStart tabs with these titles to the workspace.

        JupyterLab writes the layout after a debounce; a reload before that loses tabs a user opened a
        moment earlier. Tests that reload wait for the save instead of sleeping.
        """
        saved: list[str] = []

        def done(saved_workspace: dict) -> bool:
            data = saved_workspace["data"]
            layout = json.dumps(data.get("layout-restorer:data", {}))
            saved[:] = [
                value.get("data", {}).get("title", "")
                for key, value in data.items()
                if key.startswith("jumpstart-lab-views:") and json.dumps(key) in layout
            ]
            return all(title in saved for title in titles)

        self._wait_for_workspace(done, workspace, timeout, lambda: f"the workspace saved {saved}, not {list(titles)}")

    def workspace_saved_at(self, workspace: str = "default") -> str:
        """When JupyterLab last saved the workspace ("" if never)."""
        return self.api("GET", f"lab/api/workspaces/{workspace}").get("metadata", {}).get("last_modified") or ""  # type: ignore[union-attr]

    def wait_for_saved_sidebar(self, since: str = "", workspace: str = "default", timeout: float = 60) -> None:
        """Wait until JupyterLab has saved, later than ``since`` (:meth:`workspace_saved_at`), the JumpStart
        sidebar as the open panel of the left area, so that a reload brings it back open (the same debounce as
        :meth:`wait_for_saved_views`; an earlier save of the same layout, e.g. a former test's, does not count)."""
        left: dict = {}

        def done(saved: dict) -> bool:
            left.clear()
            left.update(saved["data"].get("layout-restorer:data", {}).get("left") or {})
            later = (saved.get("metadata", {}).get("last_modified") or "") > since
            return later and left.get("current") == SIDEBAR[1:] and not left.get("collapsed", True)

        self._wait_for_workspace(done, workspace, timeout, lambda: f"the workspace saved the left area as {left}")

    def _wait_for_workspace(self, done, workspace: str, timeout: float, failure) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if done(self.api("GET", f"lab/api/workspaces/{workspace}")):
                return
            time.sleep(0.2)
        raise AssertionError(failure())

    def sidebar_session(self) -> dict | None:
        sessions = self.api("GET", "api/sessions")
        return next((s for s in sessions if s.get("type") == "jumpstart-lab"), None)  # type: ignore[union-attr]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        self.process.send_signal(signal.SIGINT)  # the second ^C skips the confirmation prompt
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def start_jupyter(
    app: str,
    *,
    local_service: str,
    tmp: Path,
    token: str,
    log: Path,
    extra_args: Sequence[str] = (),
    kernel_finds_server: bool = False,
) -> Jupyter:
    """Start ``python -m <app>`` (``jupyterlab`` or ``notebook``) on the local service; wait until it answers.

    ``kernel_finds_server``: drop ``JUMPSTART_SERVER_URL`` so kernels locate their server by themselves
    (``JPY_PARENT_PID``), and put the checkout on their ``PYTHONPATH``.
    """
    root = tmp / "root"
    root.mkdir(exist_ok=True)
    notification = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notification.mkdir(parents=True, exist_ok=True)
    # No "get notified about Jupyter news?" toast over the panel.
    (notification / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    log.parent.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = dict(
        os.environ,
        JUPYTER_CONFIG_DIR=str(tmp / "config"),
        JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
        JUPYTER_RUNTIME_DIR=str(tmp / "runtime"),
    )
    if kernel_finds_server:
        env.pop("JUMPSTART_SERVER_URL", None)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    app_class = "LabApp" if app == "jupyterlab" else "JupyterNotebookApp"
    cmd = [
        sys.executable,
        "-m",
        app,
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        f"--{app_class}.workspaces_dir={tmp / 'workspaces'}",
        # No news toast; window.jupyterapp for set_theme() and tests that run commands.
        *(["--LabApp.news_url=None", "--LabApp.expose_app_in_browser=True"] if app == "jupyterlab" else []),
        "--JumpStartLab.mode=local",
        f"--JumpStartLab.endpoint_url={local_service}",
        f"--JumpStartLab.eula_store_path={tmp / 'eula.sqlite3'}",
        *extra_args,
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=root)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, token, proc, log, app)
    return Jupyter(url=url, root=root, log=log, token=token, process=proc)


FLAN = "huggingface-text2text-flan-t5-base"


def open_public_model(panel, model_id: str = FLAN, search: str = "flan-t5-base") -> None:
    """In a hub browser (sidebar or notebook output): the public hub, a search, then the model's details."""
    panel.get_by_title("Browse the models of JumpStart Public Hub").click()
    panel.get_by_placeholder("Search models").fill(search)
    panel.get_by_title(model_id, exact=True).click()


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """Debian's Chromium through Python Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def viewport(request: pytest.FixtureRequest) -> dict:
    """The page fixtures' viewport: 1440x900, or what a test asks for by name
    (``@pytest.mark.parametrize("viewport", ["1280x720"], indirect=True)``)."""
    return dict(VIEWPORTS[getattr(request, "param", "1440x900")])


def set_theme(page, theme: str) -> None:
    """Switch JupyterLab to its light or dark theme (``"light"`` / ``"dark"``) and wait until it applies.

    Needs ``window.jupyterapp`` (``--LabApp.expose_app_in_browser``, which ``start_jupyter`` sets). The choice is
    a user setting saved on the server: set ``"light"`` again when the test ends.
    """
    name = THEMES[theme]
    page.evaluate("name => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})", name)
    page.wait_for_function("name => document.body.dataset.jpThemeName === name", arg=name)
    page.wait_for_function("light => document.body.dataset.jpThemeLight === light", arg=str(theme == "light").lower())


def axe_violations(
    page,
    include: str | Sequence[str],
    exclude: Sequence[str] = (".jp-Toolbar",),
    impacts: Sequence[str] = ("serious", "critical"),
) -> list[dict]:
    """axe-core's violations of at least ``impacts`` inside ``include`` (CSS selectors), outside ``exclude``.

    JupyterLab's own toolbar has violations of its own: excluded by default. Each violation is
    ``{id, impact, help, nodes: [{target, html, summary}]}``; ``format_violations`` prints them.
    """
    if not AXE.exists():
        pytest.skip(f"axe-core is not installed at {AXE} (bash scripts/setup.sh installs it)")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    includes = [include] if isinstance(include, str) else list(include)
    found = page.evaluate(
        """async ([include, exclude]) => {
            const context = {include: include.map(s => [s]), exclude: exclude.map(s => [s])};
            const result = await window.axe.run(context, {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary}))
            }));
        }""",
        [includes, list(exclude)],
    )
    return [v for v in found if v["impact"] in impacts]


def format_violations(violations: list[dict]) -> str:
    """One line per violation and affected node, for assertion messages."""
    lines = []
    for v in violations:
        lines.append(f"{v['impact']}: {v['id']} ({v['help']})")
        lines.extend(f"    {n['target']}: {n['html']}" for n in v["nodes"][:5])
    return "\n".join(lines)


# -- JupyterLab and its pages, for the JupyterLab test modules ----------------------------------------------


def lab_fixture(
    token: str, artifacts: Path, name: str = "lab", log: str = "jupyterlab.log"
) -> Callable[..., Iterator[Jupyter]]:
    """A module-scoped ``lab`` fixture: ``jupyter lab`` on the local service (``start_jupyter``) with ``token``,
    its log ``artifacts / log``. In a test module: ``lab = lab_fixture(TOKEN, ARTIFACTS)``."""

    @pytest.fixture(scope="module")
    def lab(local_service: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Jupyter]:
        server = start_jupyter(
            "jupyterlab",
            local_service=local_service,
            tmp=tmp_path_factory.mktemp(name),
            token=token,
            log=artifacts / log,
        )
        yield server
        server.stop()

    return lab


def new_page(chromium, lab: Jupyter, viewport: dict, path: str = "lab", on_error: Callable | None = None):
    """A fresh browser context (own sessionStorage: own client id) on ``path`` with a fresh workspace, once
    the JumpStart tab is in the left bar. ``on_error`` receives the page's uncaught errors from the start."""
    context = chromium.new_context(viewport=viewport)
    context.set_default_timeout(UI_TIMEOUT_MS)
    page = context.new_page()
    if on_error is not None:
        page.on("pageerror", on_error)
    page.goto(f"{lab.url}/{path}?token={lab.token}&reset")
    page.locator(SIDEBAR_TAB).wait_for()
    return page


def page_fixture(artifacts: Path | None = None) -> Callable[..., Iterator[object]]:
    """A ``page`` fixture: ``new_page`` on the module's ``lab`` at the ``viewport``; when it ends, a screenshot
    ``<test>-last.png`` in ``artifacts`` (if given), and no uncaught JumpStart error on the page."""

    @pytest.fixture
    def page(chromium, lab: Jupyter, viewport: dict, request: pytest.FixtureRequest) -> Iterator[object]:
        errors: list[str] = []
        pg = new_page(chromium, lab, viewport, on_error=lambda exc: errors.append(str(exc)))
        yield pg
        if artifacts is not None:
            screenshot(pg, f"{request.node.name}-last", artifacts)
        pg.context.close()
        assert not [e for e in errors if "jumpstart" in e.lower()], errors

    return page


def screenshot(page, name: str, artifacts: Path) -> Path:
    """Screenshot of ``page`` as ``artifacts/<name>.png`` (characters unsafe in a file name replaced)."""
    artifacts.mkdir(parents=True, exist_ok=True)
    path = artifacts / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', name)}.png"
    page.screenshot(path=str(path))
    return path


PANEL_ARTIFACTS = REPO / "test-artifacts" / "ui-panel"  # the screenshots of the panel issue


def panel_shot(page, name: str) -> None:
    """A screenshot in ``PANEL_ARTIFACTS`` and, when ``JUMPSTART_LAB_SCREENSHOT_DIR`` is set, there too."""
    path = screenshot(page, name, PANEL_ARTIFACTS)
    if os.environ.get("JUMPSTART_LAB_SCREENSHOT_DIR"):
        shutil.copy(path, Path(os.environ["JUMPSTART_LAB_SCREENSHOT_DIR"]) / path.name)


def open_public_hub(page) -> object:
    """Click the JumpStart tab and open the public hub; wait until its models and their count are shown."""
    from playwright.sync_api import expect

    page.locator(SIDEBAR_TAB).click()
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_role("button", name=re.compile("^JumpStart Public Hub")).click()
    sidebar.locator(".jsl-model-button").first.wait_for()
    expect(sidebar.locator(".jsl-count")).to_contain_text("models")
    return sidebar


def open_sidebar(page) -> object:
    """Click the JumpStart tab; wait until the hub browser shows the hubs."""
    page.locator(SIDEBAR_TAB).click()
    sidebar = page.locator(SIDEBAR)
    sidebar.get_by_text("Model hubs").wait_for()
    return sidebar


def wait_sidebar_ready(sidebar) -> object:
    """Wait until the sidebar's bootstrap finished (the status leaves "busy"), so nothing redraws and takes
    focus later; shown or not. Returns ``sidebar``."""
    sidebar.locator('.jp-JumpStartSidebar-status[data-state="ready"]').wait_for(state="attached")
    return sidebar


def kernel_pid(kernel_id: str) -> int:
    """The pid of the kernel process a test's server started (matched by its connection file)."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="ignore")
        except OSError:
            continue
        if f"kernel-{kernel_id}.json" in cmdline:
            return int(proc.name)
    raise AssertionError(f"no process for kernel {kernel_id}")
