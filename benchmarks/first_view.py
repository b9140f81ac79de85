"""First view (issue #13): from a click on the JumpStart icon to the hubs (or one hub's models) on screen.

Starts the local service and ``jupyter lab`` with the extension on it (tests/browser_support.py's launcher), then
for each trial opens JupyterLab in a fresh browser context with no sidebar kernel running, and times in the page
(``performance.now()``) from the click on the icon to the first hub card (or model row) being visible:

- **preload, after it finished**: ``preloadKernel`` on (the default); the click comes once the background start
  has drawn the hubs in the hidden panel (a user who opens JupyterLab and then looks for the icon);
- **preload, click at once**: the click as soon as JupyterLab has restored its layout;
- **no preload**: ``preloadKernel`` off; the click starts the kernel (the behaviour before the setting).

::

    .venv/bin/python benchmarks/first_view.py [--trials 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from browser_support import Jupyter, start_jupyter  # noqa: E402
from playwright.sync_api import Browser, sync_playwright  # noqa: E402

from jumpstart_lab.local.process import LocalServiceProcess  # noqa: E402

TOKEN = "jumpstart-first-view"
SETTINGS = "lab/api/settings/jumpstart-lab:plugin"
SIDEBAR = "#jumpstart-lab-sidebar"
TAB = '.jp-SideBar .lm-TabBar-tab[data-id="jumpstart-lab-sidebar"]'

#: Click the icon, then resolve with the milliseconds until the panel shows what a user came for: the hub cards,
#: or (one usable hub: straight to its models) the first model row. Rejects after 60 s.
CLICK_TO_HUBS = """([tab, sidebar]) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const node = document.querySelector(tab);
  const box = node.getBoundingClientRect();  // Lumino's tab bar hit-tests the pointer's position
  const at = {bubbles: true, cancelable: true, button: 0,
              clientX: box.x + box.width / 2, clientY: box.y + box.height / 2};
  for (const type of ['pointerdown', 'pointerup']) {
    node.dispatchEvent(new PointerEvent(type, {...at, isPrimary: true}));
  }
  node.dispatchEvent(new MouseEvent('click', at));
  const check = () => {
    const shown = [...document.querySelectorAll(sidebar + ' .jsl-hub-card, ' + sidebar + ' .jsl-model-row')].find(
      e => e.getBoundingClientRect().height > 0);
    if (shown) { resolve(performance.now() - t0); }
    else if (performance.now() - t0 > 60000) { reject(new Error('nothing shown 60 s after the click')); }
    else { requestAnimationFrame(check); }
  };
  check();
})"""


def end_sidebar_kernels(lab: Jupyter) -> None:
    for session in lab.api("GET", "api/sessions"):  # type: ignore[union-attr]
        if session.get("type") == "jumpstart-lab":
            lab.api("DELETE", f"api/sessions/{session['id']}")


def trial(browser: Browser, lab: Jupyter, *, wait_for_preload: bool) -> float:
    end_sidebar_kernels(lab)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        page = context.new_page()
        page.goto(f"{lab.url}/lab?token={TOKEN}&reset")
        page.locator(TAB).wait_for()
        page.evaluate("() => window.jupyterapp.restored")
        if wait_for_preload:  # finished: the hidden panel has drawn the hubs (the bootstrap's "ready" comes earlier)
            page.locator(f"{SIDEBAR} .jsl-hub-card, {SIDEBAR} .jsl-model-row").first.wait_for(
                state="attached", timeout=120_000
            )
        return float(page.evaluate(CLICK_TO_HUBS, [TAB, SIDEBAR]))
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=5)
    args = parser.parse_args()
    service = LocalServiceProcess(env={})
    url = service.start()
    results: dict[str, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        lab = start_jupyter(
            "jupyterlab", local_service=url, tmp=Path(tmp), token=TOKEN, log=Path(tmp) / "jupyterlab.log"
        )
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
                trial(browser, lab, wait_for_preload=True)  # warm-up: imports cached, frontend assets served once
                for name, preload, wait in (
                    ("preload, after it finished", True, True),
                    ("preload, click at once", True, False),
                    ("no preload", False, False),
                ):
                    lab.api("PUT", SETTINGS, {"raw": json.dumps({"preloadKernel": preload})})
                    results[name] = [trial(browser, lab, wait_for_preload=wait) for _ in range(args.trials)]
                browser.close()
        finally:
            lab.stop()
            service.stop()
    baseline = statistics.median(results["no preload"])
    print(f"click on the JumpStart icon -> hubs visible, {args.trials} trials, median (min-max):")
    for name, values in results.items():
        median = statistics.median(values)
        print(
            f"  {name:28} {median:7.0f} ms ({min(values):.0f}-{max(values):.0f})"
            f"  {baseline / median:5.1f}x faster than no preload"
        )


if __name__ == "__main__":
    main()
