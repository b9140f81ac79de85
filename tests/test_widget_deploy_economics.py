"""The panel's deploy economics with a real server and a local service with known quotas (g5.12xlarge 2,
p4d.24xlarge 0): prices and free quota per instance type, types without quota not selectable, the hourly cost,
the Endpoints view's cost and Redeploy, and the model list's "deployable with my quota" filter."""

from __future__ import annotations

import re

import pytest
from economics_support import start_service
from widget_support import GATED, PROPRIETARY, PUBLIC, call, click, confirm, on_screen, open_model, settle

from jumpstart_lab.lab.bridge import LabBridge
from jumpstart_lab.widget.models_view import QUOTA_CHOICE

TIMES = "\u00d7"  # the multiplication sign of "2 x ml.g5.12xlarge"


@pytest.fixture(scope="module")
def local_service():
    yield from start_service()


def values(dropdown) -> list[str]:
    return [value for _, value in dropdown.options]


def labels(dropdown) -> dict[str, str]:
    return {value: label for label, value in dropdown.options}


async def test_deploy_form_shows_price_and_quota_and_the_endpoint_its_cost(make_browser, jumpstart_client):
    b = make_browser()
    await settle(b)
    await open_model(b, GATED)
    await click(b, b.model_page.actions["deploy"])
    await click(b, b.eula_dialog.accept)
    assert b.deploy_form.layout.display == "flex" and b.error.message == ""
    form = b.deploy_form

    # each selectable type with its $/h and free quota; p4d (quota 0) listed apart with the increase link
    offered = labels(form.instance_type)
    assert offered["ml.g5.12xlarge"] == "ml.g5.12xlarge · $7.09/h · 2 of 2 free"
    assert "ml.p4d.24xlarge" not in values(form.instance_type)
    assert "ml.p4d.24xlarge · $37.69/h · 0 of 0 free" in form.unavailable.value
    increase = re.search(r'href="([^"]+)"[^>]*>Request a quota increase<', form.unavailable.value)
    assert increase and re.match(
        r"https://us-west-2\.console\.aws\.amazon\.com/servicequotas/home/services/sagemaker/quotas/L-", increase[1]
    )
    assert form.instance_type.value == "ml.g5.12xlarge"
    assert f"1 {TIMES} ml.g5.12xlarge: $7.09 per hour" in form.hourly.value
    assert "Demo prices of the local service." in form.hourly.value

    # the count is checked against the free quota as you type; the hourly cost follows it
    form.instance_count.value = 3
    assert form.deploy.disabled and "Your quota leaves 2 ml.g5.12xlarge free" in form.name_error.value
    form.instance_count.value = 2
    assert not form.deploy.disabled and f"2 {TIMES} ml.g5.12xlarge: $14.18 per hour" in form.hourly.value

    name = "jsl-widget-economics"
    form.name.value = name
    await click(b, form.deploy)
    assert b.error.message == "" and form.status == "InService"

    # Endpoints: count x type, $/h, cost so far, the total, and Redeploy once deleted
    await click(b, b.endpoints_button)
    view = b.endpoints_view
    info = view.rows[name][0].value
    assert f"2 {TIMES} ml.g5.12xlarge" in info and re.search(r"\$14\.18 per hour; cost so far \$\d+\.\d{2,4}", info)
    assert view.running == 1
    assert re.search(r"1 endpoint running: \$14\.18 per hour; cost so far \$", view.total.value)
    assert "Demo prices" in view.total.value

    await click(b, view.rows[name][2])  # Delete endpoint
    await confirm(b)
    assert b.error.message == "" and name not in view.rows
    assert name in view.redeploy and not view.redeploy[name].disabled
    assert "Deleted" in view.list.children[0].children[0].value or any(
        "Deleted" in box.children[0].value for box in view.list.children
    )
    assert view.running == 0

    await click(b, view.redeploy[name])
    assert b.error.message == ""
    assert name in view.rows and name not in view.redeploy
    again = await call(jumpstart_client.deployment, name)
    assert (again["instance_type"], again["instance_count"]) == ("ml.g5.12xlarge", 2)
    await click(b, view.rows[name][2])
    await confirm(b)
    assert b.error.message == ""


async def test_deploy_delete_and_redeploy_tell_the_frontend_to_count_again(make_browser, monkeypatch):
    """After each deploy, delete and redeploy the panel sends ``deployments-changed`` through its bridge (to any
    tab: the sidebar icon's badge counts the running endpoints again); opening or refreshing sends nothing."""
    sent: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))

    def changes() -> int:
        return sum(m == {"action": "deployments-changed", "target": ""} for m in sent)

    b = make_browser(bridge_target="tab-badge")
    await settle(b)
    await open_model(b, "huggingface-text2text-flan-t5-base")
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = name = "jsl-widget-badge"
    assert changes() == 0
    await click(b, form.deploy)
    assert b.error.message == "" and form.status == "InService"
    assert changes() == 1
    await click(b, form.delete)
    await confirm(b)
    assert form.status == "Deleted" and changes() == 2

    await click(b, b.endpoints_button)
    view = b.endpoints_view
    await click(b, view.refresh)
    assert changes() == 2
    await click(b, view.redeploy[name])
    assert b.error.message == "" and name in view.rows and changes() == 3
    await click(b, view.rows[name][2])
    await confirm(b)
    assert b.error.message == "" and name in view.redeploy and changes() == 4


async def test_proprietary_model_says_the_marketplace_price_comes_on_top(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, PROPRIETARY)
    b.deploy_form.prepare(b.detail, PUBLIC)
    await settle(b)
    assert "AWS Marketplace software price comes on top" in b.deploy_form.hourly.value


async def test_deployable_with_my_quota_filter(make_browser, jumpstart_client):
    b = make_browser()
    await settle(b)
    if on_screen(b) == "hubs":
        await click(b, b.hubs_view.open_buttons[PUBLIC])
    view = b.models_view
    assert labels(view.instance_type)[QUOTA_CHOICE] == "Deployable with my quota"
    everything = view.total

    capacity = await call(jumpstart_client.instance_types)
    free = sorted(r["name"] for r in capacity["instance_types"] if r["available"] > 0)
    full = {r["name"] for r in capacity["instance_types"] if r["available"] == 0}
    assert "ml.p4d.24xlarge" in full and "ml.g5.12xlarge" in free
    view.instance_type.value = QUOTA_CHOICE
    await settle(b)
    assert b.error.message == ""
    expected = await call(jumpstart_client.models, PUBLIC, instance_type=",".join(free), limit=200)
    assert view.total == expected["total"] and 0 < view.total <= everything
    while view.next_cursor:
        await click(b, view.more)
    for model in view.models[:5]:  # each one deploys on a type with free quota
        inference = (await call(jumpstart_client.model, PUBLIC, model["model_id"]))["inference"]
        assert set(free) & {*inference["supported_instance_types"], inference["default_instance_type"]}
    assert view.instance_type.value == QUOTA_CHOICE
