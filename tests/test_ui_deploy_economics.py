"""Deploy with confidence, end to end in Debian's Chromium, as a person sees it (by role and visible text).

On a local service with known quotas (g5.12xlarge 2, g5.24xlarge 3, p4d.24xlarge 0; p5.48xlarge 0 by default):
the deploy form of a model page shows each instance type's price per hour and free quota, lists the types
without free quota apart (not selectable, with the request-increase link) and the hourly cost of count x type.
After the deployment is In service, the Endpoints view (main area) shows its type, count, $/h, cost so far and
the total, and the JumpStart icon a badge saying 1. Deleting it (after the confirmation) removes the badge;
Redeploy brings it back with one click (badge 1 again); deleting it again cleans up.
The deploy form and Endpoints screenshots go to ``test-artifacts/ui-panel/`` (and ``JUMPSTART_LAB_SCREENSHOT_DIR``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_support import (
    PANEL_ARTIFACTS,
    SIDEBAR_TAB,
    UI_TIMEOUT_MS,
    Jupyter,
    browser_marks,
    chromium,
    jp_asyncio_loop,
    jp_server_cleanup,
    lab_fixture,
    open_public_hub,
    page_fixture,
    panel_shot,
    viewport,
)
from economics_support import start_service

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
expect = playwright_api.expect
expect.set_options(timeout=UI_TIMEOUT_MS)

pytestmark = browser_marks
__all__ = ["chromium", "jp_asyncio_loop", "jp_server_cleanup", "page", "viewport"]  # fixtures used by name

QUOTAS = "ml.g5.12xlarge=2,ml.g5.24xlarge=3,ml.p4d.24xlarge=0"
MODEL = "Llama 2 13B Chat"  # gated: the EULA dialog comes first
ENDPOINT = "jsl-ui-economics"
TIMES = "\u00d7"
BADGE = f"{SIDEBAR_TAB}[data-jumpstart-running]"
TOKEN = "jumpstart-economics-ui-token"


@pytest.fixture(scope="module")
def local_service() -> Iterator[str]:
    yield from start_service(JUMPSTART_LAB_LOCAL_QUOTAS=QUOTAS)


lab = lab_fixture(TOKEN, PANEL_ARTIFACTS, "economics-ui", "jupyterlab-economics.log")
page = page_fixture()


def expect_badge(page, running: int) -> None:
    """The JumpStart icon's badge says ``running`` (and the tab's name in words); none at all for 0."""
    if running == 0:
        expect(page.locator(BADGE)).to_have_count(0)
        expect(page.get_by_role("tab", name="JumpStart", exact=True)).to_be_visible()
        return
    expect(page.locator(BADGE)).to_have_attribute("data-jumpstart-running", str(running))
    words = f"JumpStart ({running} endpoint{'s' if running > 1 else ''} running)"
    expect(page.get_by_role("tab", name=words, exact=True)).to_be_visible()
    bubble = page.locator(BADGE).evaluate("tab => getComputedStyle(tab, '::before').content")
    assert bubble not in ("", "none", "normal"), bubble  # the bubble is drawn


def delete_in_view(page, view) -> None:
    view.get_by_role("button", name="Delete endpoint").click()
    confirm = page.get_by_role("dialog", name=f"Delete endpoint {ENDPOINT}?")
    confirm.get_by_role("button", name="Delete endpoint").click()
    expect(confirm).to_have_count(0)
    expect(view).to_contain_text("Status: Deleted")


@pytest.mark.parametrize("viewport", ["1280x720"], indirect=True)
def test_price_quota_cost_badge_and_redeploy(page, lab: Jupyter, viewport: dict) -> None:
    expect_badge(page, 0)
    sidebar = open_public_hub(page)
    sidebar.get_by_placeholder("Search models").fill("llama-2-13b")
    sidebar.get_by_role("button", name=re.compile(f"^{MODEL}")).click()
    model = page.locator(".jsl-main .jsl-model-page")
    expect(model.locator(".jsl-page-title")).to_have_text(MODEL)
    model.get_by_role("button", name="Deploy", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Accept").click()
    expect(page.get_by_role("dialog")).to_have_count(0)

    # each selectable type with its price per hour and free quota; the ones without free quota apart
    instance_type = model.get_by_label("Instance type")
    expect(instance_type).to_have_value(re.compile(".+"))
    expect(instance_type.locator("option", has_text="ml.g5.12xlarge")).to_have_text(
        "ml.g5.12xlarge · $7.09/h · 2 of 2 free"
    )
    options = [o.replace("\xa0", " ") for o in instance_type.locator("option").all_inner_texts()]
    assert "ml.g5.24xlarge · $10.18/h · 3 of 3 free" in options, options
    assert not [o for o in options if "p4d" in o or "p5" in o], options
    unavailable = model.locator("li", has_text="ml.p4d.24xlarge")
    expect(model).to_contain_text("Not available with your quota:")
    expect(unavailable).to_contain_text("ml.p4d.24xlarge · $37.69/h · 0 of 0 free")
    increase = unavailable.get_by_role("link", name="Request a quota increase")
    expect(increase).to_have_attribute(
        "href", re.compile(r"^https://us-west-2\.console\.aws\.amazon\.com/servicequotas/home/services/sagemaker/")
    )
    expect(model.locator("li", has_text="ml.p5.48xlarge")).to_contain_text("0 of 0 free")

    # pick a type and a count: the form says what that costs per hour
    instance_type.select_option(label="ml.g5.24xlarge · $10.18/h · 3 of 3 free".replace(" ", "\xa0"))
    expect(model).to_contain_text(f"1 {TIMES} ml.g5.24xlarge: $10.18 per hour")
    count = model.get_by_label("Instance count")
    count.fill("2")
    count.press("Tab")
    expect(model).to_contain_text(f"2 {TIMES} ml.g5.24xlarge: $20.36 per hour")
    expect(model).to_contain_text("Demo prices of the local service.")

    model.get_by_label("Endpoint name").fill(ENDPOINT)
    model.get_by_text("Demo prices of the local service.").first.scroll_into_view_if_needed()
    panel_shot(page, "deploy-light-1280x720")
    model.get_by_role("button", name="Deploy", exact=True).last.click()
    expect(model).to_contain_text("In service", timeout=180_000)
    expect_badge(page, 1)

    # the Endpoints view: count x type, $/h, cost so far and the total
    sidebar.locator(".jp-SidePanel-toolbar").get_by_role("button", name="Endpoints", exact=True).click()
    expect(page.locator(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current")).to_have_text("JumpStart endpoints")
    view = page.locator(".jp-JumpStartView:visible")
    card = view.locator(".jsl-card", has_text=ENDPOINT)
    expect(card).to_contain_text(f"meta-textgeneration-llama-2-13b-f · 2 {TIMES} ml.g5.24xlarge")
    expect(card).to_contain_text("Status: In service")
    expect(card).to_contain_text(re.compile(r"\$20\.36 per hour; cost so far \$\d+\.\d{2,4}"))
    expect(view).to_contain_text(re.compile(r"1 endpoint running: \$20\.36 per hour; cost so far \$\d+\.\d{2,4}"))
    expect(view).to_contain_text("Demo prices of the local service.")
    panel_shot(page, "endpoints-light-1280x720")

    # Delete (confirmed): the badge goes; the deleted one stays listed with Redeploy
    delete_in_view(page, card)
    expect_badge(page, 0)

    # Redeploy with one click: it comes back (badge 1 again), then clean up
    card.get_by_role("button", name="Redeploy").click()
    expect(card).to_contain_text(re.compile(r"Status: (Creating|In service)"))
    expect_badge(page, 1)
    refresh = view.get_by_role("button", name="Refresh")
    for _ in range(60):
        if "Status: In service" in card.inner_text():
            break
        refresh.click()
        page.wait_for_timeout(1000)
    expect(card).to_contain_text("Status: In service")
    expect(card).to_contain_text(f"2 {TIMES} ml.g5.24xlarge")
    delete_in_view(page, card)
    expect_badge(page, 0)
    running = lab.api("GET", "jumpstart-lab/api/deployments")["running"]  # type: ignore[index]
    assert running == 0
