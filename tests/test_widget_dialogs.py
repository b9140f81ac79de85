"""With JupyterLab's frontend (a bridge that said "ready"), destructive actions ask through JupyterLab's modal
Dialog with a warning button, naming what goes: an endpoint, a hub. Nothing is deleted before the answer, and
Cancel (or Escape) deletes nothing. The frontend side of the protocol is tested in tests/test_ui_lab.py."""

from __future__ import annotations

import asyncio

import pytest
from hub_support import drop_hub, unique
from widget_support import click, from_frontend, settle

from jumpstart_lab.lab.bridge import LabBridge


@pytest.fixture
def sent(monkeypatch) -> list[dict]:
    messages: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: messages.append(content))
    return messages


def frontend_ready(b) -> None:
    from_frontend(b.bridge, {"event": "ready", "client": b.bridge.target, "features": ["dialog"]})


def answer(b, dialog: dict, value: str) -> None:
    from_frontend(b.bridge, {"event": "dialog-result", "id": dialog["id"], "value": value})


def dialogs(sent: list[dict]) -> list[dict]:
    return [m for m in sent if m.get("action") == "dialog"]


async def test_delete_hub_asks_in_jupyterlab_naming_the_hub(make_browser, sm, sent) -> None:
    hub = unique("DialogHub")
    sm.create_hub(HubName=hub, HubDescription="to delete")
    try:
        b = make_browser(bridge_target="tab-d")
        frontend_ready(b)
        await settle(b)
        await click(b, b.admin_button)
        admin = b.admin
        admin.hub_select.value = hub
        await settle(admin)
        await click(admin, admin.deleting.delete_button)
        (dialog,) = dialogs(sent)
        assert dialog["kind"] == "confirm" and dialog["title"] == f"Delete hub {hub}?"
        assert "The hub holds nothing and is not shared." in dialog["body"]["text"]
        assert [(x["value"], x["warn"]) for x in dialog["buttons"]] == [("cancel", False), ("confirm", True)]
        assert admin.deleting.confirm_box.layout.display == "none"  # not asked twice
        answer(b, dialog, "cancel")
        await settle(admin)
        assert hub in {h["HubName"] for h in sm.list_hubs()["HubSummaries"]}  # nothing deleted
        await click(admin, admin.deleting.delete_button)
        answer(b, dialogs(sent)[-1], "confirm")
        await settle(admin)
        assert hub not in {h["HubName"] for h in sm.list_hubs()["HubSummaries"]}
    finally:
        drop_hub(sm, hub)


async def test_delete_endpoint_asks_in_jupyterlab_naming_it(make_browser, jumpstart_client, sent) -> None:
    b = make_browser(bridge_target="tab-e")
    frontend_ready(b)
    await settle(b)
    b.load_model("SageMakerPublicHub", "huggingface-text2text-flan-t5-base")
    await settle(b)
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = "jsl-dialog-delete"
    await click(b, form.deploy)
    assert form.status == "InService"
    await click(b, form.delete)
    (dialog,) = dialogs(sent)
    assert dialog["title"] == "Delete endpoint jsl-dialog-delete?" and not b.modal_open
    answer(b, dialog, "cancel")
    await settle(b)
    listed = await asyncio.to_thread(jumpstart_client.deployments)
    assert "jsl-dialog-delete" in [d["endpoint_name"] for d in listed["deployments"]]
    await click(b, form.delete)
    answer(b, dialogs(sent)[-1], "confirm")
    await settle(b)
    assert form.status == "Deleted"
