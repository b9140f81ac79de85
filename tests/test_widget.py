"""HubBrowser driven as a user would (set values, click buttons), without a browser or kernel,
against the real server on the local service. Widget REST calls run on the panel's worker
threads; ``settle`` waits for them off the event loop so the server can answer."""

from __future__ import annotations

import asyncio
import json
import re
import time

import ipywidgets as w
import pytest
from widget_support import click, settle, widgets

from jumpstart_lab.client import ApiError, JumpStartClient
from jumpstart_lab.lab.bridge import LabBridge
from jumpstart_lab.untrusted import safe_url
from jumpstart_lab.widget.browser import HubBrowser
from jumpstart_lab.widget.context import esc
from jumpstart_lab.widget.i18n import Translator
from jumpstart_lab.widget.labels import value_label
from jumpstart_lab.widget.models_view import QUOTA_CHOICE
from jumpstart_lab.widget.style import CSS

PUBLIC = "SageMakerPublicHub"
GATED = "meta-textgeneration-llama-2-13b-f"
NOT_TRAINABLE = "huggingface-llm-phi-3-mini-4k-instruct"
NO_EVALUATION = "huggingface-text2text-flan-t5-base"  # trainable, no built-in evaluation
OPEN = "huggingface-llm-mistral-7b-instruct"  # not gated, trainable, evaluation supported
PROPRIETARY = "cohere-command-r-plus"


@pytest.fixture
def bridge_messages(monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))
    return sent


async def confirm(browser: HubBrowser, expect: str = "Delete endpoint") -> None:
    """Answer the confirmation the panel asks before a destructive action (its warning button)."""
    dialog = browser.eula_dialog
    assert browser.modal_open and dialog.kind == "confirm" and dialog.accept.description == expect
    await click(browser, dialog.accept)
    assert not browser.modal_open


async def call(fn, *args, **kwargs):
    return await asyncio.to_thread(fn, *args, **kwargs)


async def open_public_hub(browser: HubBrowser) -> None:
    await settle(browser)
    assert browser.error.message == ""
    if browser.page == "hubs":
        await click(browser, browser.hubs_view.open_buttons[PUBLIC])
    assert browser.page == "models"
    assert browser.hub["name"] == PUBLIC


async def open_model(browser: HubBrowser, model_id: str) -> None:
    browser.load_model(PUBLIC, model_id)
    await settle(browser)
    assert browser.error.message == ""
    assert browser.page == "model" and browser.detail["model_id"] == model_id


def model_text(m: dict) -> str:
    return " ".join(str(m.get(k) or "") for k in ("model_id", "display_name", "description")).lower()


def offered(dropdown: w.Dropdown) -> dict[str, str]:
    """A filter's options: value -> label (without the "Any ..." and "Deployable with my quota" choices)."""
    return {value: label for label, value in dropdown.options if value and value != QUOTA_CHOICE}


def notebooks(root) -> set:
    return set(root.rglob("*.ipynb"))


def notebook_kind(path) -> tuple[str, str]:
    """(action, model id) a created notebook is for, from its metadata."""
    meta = json.loads(path.read_text())["metadata"]["jumpstart_lab"]
    return meta["action"], meta["model_id"]


def controls_outside(browser: HubBrowser, container: w.Widget) -> list[w.Widget]:
    inside = {id(x) for x in widgets(container)}
    return [x for x in widgets(browser) if id(x) not in inside and x.has_trait("disabled")]


# -- hubs, search, filters, paging, details ---------------------------------------------------


async def test_hubs_search_filters_paging_details(make_browser):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    assert "Demo catalog" in b.demo.message and b.demo.layout.display != "none"
    names = [h["name"] for h in b.hubs_view.hubs]
    assert PUBLIC in names
    if b.page == "hubs":
        cards = [c.description for c in b.hubs_view.open_buttons.values()]
        assert any("Public hub" in text for text in cards)
        assert any(" models" in text for text in cards)  # each card counts its hub's models
    await open_public_hub(b)

    view = b.models_view
    full = view.total
    assert full > 50, "the demo public hub has more than two pages of models"
    assert len(view.rows) == 25 and view.more.layout.display != "none"
    assert f"25 of {full} models" in view.count.value
    task_options = dict(view.facets["task"].options)
    assert any(label.startswith("Text generation (") for label in task_options)  # words, not ids

    # search as you type
    view.search.value = "llama"
    await settle(b)
    assert 0 < view.total < full
    assert all("llama" in model_text(m) for m in view.models)

    # facet + gated filter: every row matches, and the lock badge is shown
    view.facets["task"].value = "text-generation"
    view.gated.value = "true"
    await settle(b)
    assert view.total > 0
    assert all(m["gated"] and m["task"] == "text-generation" for m in view.models)
    first_row = next(iter(view.rows.values()))
    row_box = next(x for x in widgets(view.list) if isinstance(x, w.HBox) and first_row in x.children)
    assert "EULA" in row_box.children[1].value

    # nothing matches: the empty state explains itself
    view.search.value = "zzzz-no-such-model"
    await settle(b)
    assert view.total == 0 and not view.rows
    assert "No models match your search and filters" in view.count.value

    # clear, then proprietary filter
    await click(b, view.clear)
    assert view.total == full and view.search.value == ""
    view.model_type.value = "proprietary"
    await settle(b)
    assert view.total > 0 and all(m["model_type"] == "proprietary" for m in view.models)
    row_box = next(
        x for x in widgets(view.list) if isinstance(x, w.HBox) and x.children and x.children[0] in view.rows.values()
    )
    assert "Proprietary" in row_box.children[1].value
    view.model_type.value = ""

    # trainable + instance type filters go to the server
    view.trainable.value = "false"
    await settle(b)
    assert view.total > 0 and all(not m["trainable"] for m in view.models)
    view.trainable.value = ""
    await settle(b)
    assert "ml.g5.2xlarge" in offered(view.instance_type)  # a dropdown of the facet's values
    view.instance_type.value = "ml.g5.2xlarge"
    await settle(b)
    assert 0 < view.total < full and b.error.message == ""
    view.instance_type.value = ""
    await settle(b)

    # lazy paging adds up to the total
    view.sort.value = "name"
    while view.next_cursor:
        await click(b, view.more)
    assert len(view.models) == view.total == full
    assert len({m["model_id"] for m in view.models}) == full
    assert view.more.layout.display == "none"

    # details
    await click(b, view.rows[GATED])
    assert b.page == "model"
    d = b.model_page
    assert [x.description for x in d.actions.values()] == ["Deploy", "Train", "Evaluate", "Open notebook"]
    assert "Llama 2 13B Chat" in d.header.value and GATED in d.header.value
    assert "requires accepting its end-user license agreement" in d.license.value
    assert "Inference instance types" in d.summary.value
    assert set(d.version.options) >= {"4.18.0", "4.19.0"}
    assert not d.actions["train"].disabled and not d.actions["deploy"].disabled

    # another version
    d.version.value = "4.18.0"
    await settle(b)
    assert b.detail["version"] == "4.18.0" and d.version.value == "4.18.0"

    # Back returns to the list
    await click(b, b.back)
    assert b.page == "models"


async def test_train_disabled_with_tooltip_when_not_supported(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, NOT_TRAINABLE)
    train = b.model_page.actions["train"]
    assert train.disabled and "does not support fine-tuning" in train.tooltip
    assert not b.model_page.actions["deploy"].disabled


async def test_evaluate_disabled_with_tooltip_when_not_supported(make_browser, jp_root_dir):
    b = make_browser()
    await settle(b)
    await open_model(b, NO_EVALUATION)
    assert b.detail["evaluation_supported"] is False and b.detail["training"]["supported"] is True
    actions = b.model_page.actions
    assert actions["evaluate"].disabled and "has no built-in evaluation" in actions["evaluate"].tooltip
    assert not actions["train"].disabled and not actions["deploy"].disabled and not actions["notebook"].disabled
    await click(b, actions["evaluate"])  # a disabled button does nothing
    assert b.error.message == "" and not notebooks(jp_root_dir) and b.page == "model"


# -- EULA gate ---------------------------------------------------------------------------------


async def test_gated_action_dialog_decline_then_accept(make_browser, jumpstart_client, jp_root_dir, bridge_messages):
    b = make_browser(bridge_target="tab-1")
    await settle(b)
    await open_model(b, GATED)
    version = b.detail["version"]

    await click(b, b.model_page.actions["train"])
    dialog = b.eula_dialog
    assert b.modal_open and b.overlay.layout.display == "flex"
    assert "License agreement for Llama 2 13B Chat" in dialog.title.value
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["required"] and not eula["accepted"] and eula["text"]
    # the whole text in the scrollable box (the box scrolls, not the dialog), the URI as a link
    box = re.search(r"<div class='jsl-eula-text'[^>]*>(.*?)</div>", dialog.text.value, re.S)
    assert box and box[1] == esc(eula["text"])
    rule = re.search(r"\.jsl-eula-text \{([^}]*)\}", CSS)
    assert rule and "overflow: auto" in rule[1] and "max-height" in rule[1]
    assert not re.search(r"\.jsl-dialog \{[^}]*overflow: (auto|scroll)", CSS)
    link = re.search(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', dialog.text.value[box.end() :])
    assert link and link[1] == esc(safe_url(eula["uri"], aws=True)) and link[2] == esc(eula["uri"])
    assert "responsible for reviewing and complying" in dialog.notice.value
    assert [dialog.accept.description, dialog.decline.description] == ["Accept", "Decline"]
    assert not dialog.accept.disabled and not dialog.decline.disabled
    others = controls_outside(b, b.overlay)
    assert others and all(x.disabled for x in others)

    # while it is open nothing else responds
    await click(b, b.model_page.actions["deploy"])
    await click(b, b.home)
    assert b.page == "model" and b.modal_open

    # Decline: cancelled, nothing recorded, controls back
    await click(b, dialog.decline)
    assert not b.modal_open and b.overlay.layout.display == "none"
    assert "Cancelled" in b.model_page.notice.value
    assert not b.model_page.actions["train"].disabled and not b.home.disabled
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is False
    log = await call(jumpstart_client.request, "GET", "eula-acceptances")
    assert log["acceptances"] == []
    assert not list(jp_root_dir.rglob("*.ipynb"))
    assert bridge_messages == []

    # Accept: recorded, then the train notebook is created and opened
    await click(b, b.model_page.actions["train"])
    assert b.modal_open
    await click(b, dialog.accept)
    assert b.error.message == ""
    assert not b.modal_open
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is True
    log = (await call(jumpstart_client.request, "GET", "eula-acceptances"))["acceptances"]
    assert [(a["model_id"], a["version"], a["action"]) for a in log] == [(GATED, version, "train")]
    (train_notebook,) = notebooks(jp_root_dir)
    assert notebook_kind(train_notebook) == ("train", GATED)
    path = train_notebook.relative_to(jp_root_dir).as_posix()
    assert bridge_messages == [{"action": "open", "path": path, "target": "tab-1"}]
    assert path in b.model_page.notice.value and "lab/tree/" in b.model_page.notice.value

    # already accepted: no dialog. Open notebook opens the notebook of the action chosen last (train), the
    # one already written, not a copy; the page now says who accepted which EULA
    assert "EULA accepted by" in b.model_page.license.value
    assert b.model_page.notebook_kind.value == "train"
    await click(b, b.model_page.actions["notebook"])
    assert not b.modal_open and b.error.message == ""
    assert notebooks(jp_root_dir) == {train_notebook}
    assert len(bridge_messages) == 2 and bridge_messages[-1]["path"] == path
    assert "Opened your notebook" in b.model_page.notice.value
    assert b.model_page.fresh_copy.layout.display != "none"
    # asked for a new copy: a second train notebook
    await click(b, b.model_page.fresh_copy)
    (copy,) = notebooks(jp_root_dir) - {train_notebook}
    assert notebook_kind(copy) == ("train", GATED) and copy.name.endswith("-1.ipynb")
    # the deploy notebook, chosen beside Open notebook
    b.model_page.notebook_kind.value = "deploy"
    await click(b, b.model_page.actions["notebook"])
    (deploy_notebook,) = notebooks(jp_root_dir) - {train_notebook, copy}
    assert notebook_kind(deploy_notebook) == ("deploy", GATED)
    assert bridge_messages[-1]["path"] == deploy_notebook.relative_to(jp_root_dir).as_posix()


# -- deploy form, status polling, Try it, Delete, endpoints view -------------------------------


async def test_deploy_form_validation_status_try_it_delete(make_browser, jumpstart_client):
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(0.2)

    b = make_browser(sleep=sleep)
    await settle(b)
    await open_model(b, GATED)
    await click(b, b.model_page.actions["deploy"])
    assert b.modal_open
    await click(b, b.eula_dialog.accept)
    assert b.deploy_form.layout.display == "flex" and not b.modal_open

    form = b.deploy_form
    inference = b.detail["inference"]
    assert form.instance_type.value == inference["default_instance_type"]
    offered_types = [value for _, value in form.instance_type.options]  # labelled with price and free quota
    assert offered_types == inference["supported_instance_types"] or set(offered_types) >= set(
        inference["supported_instance_types"]
    )
    assert form.name.value.startswith("meta-textgeneration-llama-2-13b-f"[:30]) and not form.deploy.disabled
    assert "Billed per instance-hour until deleted" in form.cost.value

    # validation as you type
    for bad in ("", "bad_name!", "-leading", "x" * 64):
        form.name.value = bad
        assert form.deploy.disabled, bad
        assert "letters, digits and hyphens" in form.name_error.value
    name = "jsl-widget-test-endpoint"
    form.name.value = name
    assert not form.deploy.disabled and form.name_error.value == ""

    # Deploy: polls until InService (the local service takes about a second), pausing poll_interval
    sleeps.clear()  # (pauses before now: a cold hub's counts asked again until complete)
    await click(b, form.deploy)
    assert b.error.message == ""
    assert form.endpoint == name and form.status == "InService"
    assert form.polls >= 1 and all(s == 0.2 for s in sleeps)
    assert "In service" in form.status_line.value
    assert form.deploy.disabled and form.name.disabled
    assert form.after.layout.display == "flex" and not form.try_it.disabled

    # Try it: the default payload, the response shown
    await click(b, form.try_it)
    assert b.error.message == ""
    assert "Response" in form.response.value and len(form.response.value) > 40

    # the endpoints view lists it
    await click(b, b.endpoints_button)
    assert b.page == "endpoints"
    assert name in b.endpoints_view.rows
    info, try_it, _, _ = b.endpoints_view.rows[name]
    assert "In service" in info.value and not try_it.disabled

    # Delete from the deploy form
    await click(b, b.back)
    assert b.deploy_form.layout.display == "flex"
    await click(b, form.delete)
    await confirm(b)
    assert b.error.message == ""
    assert form.status == "Deleted" and "Deleted" in form.status_line.value
    listed = await call(jumpstart_client.deployments)
    assert name not in [d["endpoint_name"] for d in listed["deployments"]]
    b.show_endpoints()
    await settle(b)
    assert name not in b.endpoints_view.rows


async def test_deploy_conflict_message_and_endpoints_view(make_browser, jumpstart_client):
    b = make_browser()
    await settle(b)
    await open_model(b, "huggingface-llm-falcon-7b-instruct-bf16")
    await click(b, b.model_page.actions["deploy"])
    assert not b.modal_open and b.deploy_form.layout.display == "flex"
    form = b.deploy_form
    form.name.value = "jsl-widget-conflict"
    await click(b, form.deploy)
    assert form.status == "InService"
    # a second deploy with the same name: the server's 409 message, panel still usable
    b.model_page.start_action("deploy")
    await settle(b)
    form.name.value = "jsl-widget-conflict"
    await click(b, form.deploy)
    assert b.error.message and "Traceback" not in b.error.message
    assert not form.deploy.disabled
    await click(b, b.error.dismiss)
    assert b.error.message == "" and b.error.layout.display == "none"

    # the endpoints view: Try it and Delete there
    await click(b, b.endpoints_button)
    info, try_it, delete, response = b.endpoints_view.rows["jsl-widget-conflict"]
    assert "In service" in info.value and "huggingface-llm-falcon-7b-instruct-bf16" in info.value
    await click(b, try_it)
    assert b.error.message == "" and "Response" in response.value
    await click(b, delete)
    assert "jsl-widget-conflict" in b.endpoints_view.rows  # nothing deleted before the user confirms
    await confirm(b)
    assert b.error.message == ""
    assert "jsl-widget-conflict" not in b.endpoints_view.rows
    listed = await call(jumpstart_client.deployments)
    assert "jsl-widget-conflict" not in [d["endpoint_name"] for d in listed["deployments"]]


async def test_poll_once_is_deterministic(make_browser, jumpstart_client):
    """``autopoll=False``: the test steps the status polling itself."""
    model = "huggingface-llm-mistral-7b-instruct"
    b = await call(make_browser, background=False, autopoll=False)  # inline REST calls: build it off the loop
    await call(b.load_model, PUBLIC, model)
    await call(b.model_page.start_action, "deploy")
    form = b.deploy_form
    form.name.value = "jsl-widget-poll-once"
    await call(form.deploy.click)
    assert b.error.message == "" and form.endpoint == "jsl-widget-poll-once" and form.polls == 0
    assert form.after.layout.display == "none" or form.status == "InService"
    steps = 0
    while not await call(form.poll_once):
        steps += 1
        assert steps < 100
        await asyncio.sleep(0.1)
    assert form.status == "InService" and form.polls == steps + 1
    assert "In service" in form.status_line.value and not form.try_it.disabled
    await call(form.delete.click)
    assert form.status == "InService" and b.modal_open  # asks first
    await call(b.eula_dialog.accept.click)
    assert form.status == "Deleted"


# -- errors and empty states ----------------------------------------------------------------


async def test_errors_show_server_message_and_panel_stays_usable(make_browser):
    b = make_browser()
    await settle(b)
    b.load_model(PUBLIC, "no-such-model-anywhere")
    await settle(b)
    assert b.error.message and b.error.layout.display == "flex"
    assert "Traceback" not in b.error.message and "no-such-model-anywhere" in b.error.message
    assert not b.refresh.disabled and not b.error.dismiss.disabled
    await click(b, b.error.dismiss)
    assert b.error.layout.display == "none"
    # invalid input is refused before any request
    b.load_model(PUBLIC, "bad id!")
    await settle(b)
    assert "model id" in b.error.message
    # and the panel still works
    await open_model(b, GATED)


async def test_wrong_token_and_unreachable_server(make_browser, jumpstart_client):
    b = make_browser(client=JumpStartClient(jumpstart_client.server_url, token="wrong"))
    await settle(b)
    assert b.error.message and "Traceback" not in b.error.message
    assert not b.refresh.disabled

    b = make_browser(client=JumpStartClient("http://127.0.0.1:9/", token="t", timeout=2))
    await settle(b)
    assert "cannot be reached" in b.error.message
    await click(b, b.refresh)
    assert "cannot be reached" in b.error.message


async def test_no_server_found(make_browser, monkeypatch, tmp_path):
    monkeypatch.delenv("JUMPSTART_SERVER_URL", raising=False)
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    b = HubBrowser(locale="en", background=False)
    try:
        assert "No running Jupyter server" in b.error.message
        assert b.page == "hubs" and not b.refresh.disabled
    finally:
        b.close()


async def test_empty_hub(make_browser, boto):
    sm = boto("sagemaker")
    sm.create_hub(HubName="JslWidgetEmptyHub", HubDescription="Nothing here yet", HubDisplayName="Empty hub")
    try:
        b = make_browser()
        await settle(b)
        assert "JslWidgetEmptyHub" in b.hubs_view.open_buttons
        await click(b, b.hubs_view.open_buttons["JslWidgetEmptyHub"])
        assert b.models_view.total == 0
        assert "This hub has no models yet" in b.models_view.count.value
        assert b.error.message == ""
    finally:
        sm.delete_hub(HubName="JslWidgetEmptyHub")


# -- German ---------------------------------------------------------------------------------


async def test_german_panel(make_browser):
    b = make_browser(locale="de_DE")
    await settle(b)
    assert b.t.language == "de"
    assert "Demo-Katalog" in b.demo.message
    assert b.models_view.search.placeholder == "Modelle suchen"
    assert [x.description for x in b.model_page.actions.values()] == [
        "Bereitstellen",
        "Trainieren",
        "Evaluieren",
        "Notebook öffnen",
    ]
    assert [b.eula_dialog.accept.description, b.eula_dialog.decline.description] == ["Akzeptieren", "Ablehnen"]
    await open_public_hub(b)
    assert "Modelle" in b.models_view.count.value
    gated = [label for label, value in b.models_view.gated.options if value == "true"]
    assert re.fullmatch(r"EULA erforderlich \(\d+\)", gated[0])
    assert b.models_view.instance_type.options[0] == ("Alle", "")
    assert b.models_view.instance_type.description == "Instanztyp"  # the filter's label says which one
    await open_model(b, GATED)
    await click(b, b.model_page.actions["deploy"])
    assert "Lizenzvereinbarung für Llama 2 13B Chat" in b.eula_dialog.title.value
    await click(b, b.eula_dialog.decline)
    assert "Abgebrochen" in b.model_page.notice.value


def test_layout_fits_a_narrow_sidebar():
    b = HubBrowser(locale="en", background=False, autoload=False)
    try:
        for x in widgets(b):
            width = getattr(x.layout, "width", None)
            assert width in (None, "", "auto") or width.endswith("%") or int(width.rstrip("px")) <= 300, (x, width)
            if isinstance(x, w.HBox) and x.layout.flex_flow != "row wrap":  # a row that does not wrap: it shrinks
                assert all(c.layout.min_width in ("0", "0px") or c.layout.flex == "0 0 auto" for c in x.children), x
    finally:
        b.close()


def test_widget_state_never_holds_the_token():
    secret = "tok-" + "9" * 40
    b = HubBrowser(
        client=JumpStartClient("http://127.0.0.1:9/", token=secret), locale="en", background=False, autoload=False
    )
    try:
        state = json.dumps([x.get_state() for x in widgets(b)], default=str)
        assert secret not in state and secret not in repr(b)
    finally:
        b.close()


async def test_shared_hub_models_use_the_hub_arn(make_browser, jumpstart_client, jp_root_dir):
    """A hub shared through RAM is addressed by its ARN in every call (its name means nothing here)."""
    b = make_browser()
    await settle(b)
    partner = next(h for h in b.hubs_view.hubs if h["kind"] == "shared")
    await click(b, b.hubs_view.open_buttons[partner["name"]])
    assert b.models_view.total > 0 and b.error.message == ""
    model_id = b.models_view.models[0]["model_id"]
    await click(b, b.models_view.rows[model_id])
    assert b.error.message == "" and b.page == "model"
    assert b.model_page.hub == partner["arn"]
    if b.detail["gated"]:
        await click(b, b.model_page.actions["notebook"])
        await click(b, b.eula_dialog.accept)
    else:
        await click(b, b.model_page.actions["notebook"])
    assert b.error.message == "" and len(list(jp_root_dir.rglob("*.ipynb"))) == 1
    await click(b, b.model_page.actions["deploy"])
    b.deploy_form.name.value = "jsl-widget-shared"
    await click(b, b.deploy_form.deploy)
    assert b.error.message == "" and b.deploy_form.status == "InService"
    await click(b, b.deploy_form.try_it)
    assert b.error.message == "" and "Response" in b.deploy_form.response.value
    await click(b, b.deploy_form.delete)
    await confirm(b)
    assert b.error.message == "" and b.deploy_form.status == "Deleted"


async def test_search_is_debounced(make_browser, jumpstart_client, monkeypatch):
    """Typing "llama" letter by letter sends one search, for the final text."""
    sent: list[dict] = []
    real = jumpstart_client.models

    def counting(hub, **query):
        sent.append(query)
        return real(hub, **query)

    monkeypatch.setattr(jumpstart_client, "models", counting)
    b = make_browser()
    await open_public_hub(b)
    b.models_view.debounce = 0.3
    sent.clear()
    for i in range(1, 6):
        b.models_view.search.value = "llama"[:i]
    await asyncio.sleep(0.6)
    await settle(b)
    assert [q["q"] for q in sent] == ["llama"]
    assert all("llama" in model_text(m) for m in b.models_view.models)


async def test_aws_failures_reach_the_banner_and_the_form_stays_usable(make_browser, jumpstart_client, faults):
    b = make_browser()
    await settle(b)
    await open_model(b, "huggingface-text2text-flan-t5-base")
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = "jsl-widget-quota"
    faults(
        action="CreateEndpoint",
        code="ResourceLimitExceeded",
        message="The account-level service limit 'ml.g5.2xlarge for endpoint usage' is 0 Instances.",
    )
    await click(b, form.deploy)
    assert b.error.message and "Traceback" not in b.error.message
    assert form.endpoint is None and not form.deploy.disabled and not form.name.disabled

    # the same form works once the quota is there
    await click(b, form.deploy)
    assert b.error.message == "" and form.status == "InService"

    # a failing invocation: the message in the banner, Try it and Delete still work
    faults(action="InvokeEndpoint", code="ModelError", message="Received client error (400) from primary")
    await click(b, form.try_it)
    assert b.error.message and not form.try_it.disabled
    await click(b, form.try_it)
    assert b.error.message == "" and "Response" in form.response.value
    await click(b, form.delete)
    await confirm(b)
    assert form.status == "Deleted"


def test_failed_endpoint_shows_the_reason():
    b = HubBrowser(locale="en", background=False, autoload=False)
    try:
        form = b.deploy_form
        form.endpoint = "jsl-failed"
        form._show(
            {
                "endpoint_name": "jsl-failed",
                "status": "Failed",
                "failure_reason": "Insufficient capacity for ml.g5.48xlarge.",
            }
        )
        assert "Failed: Insufficient capacity for ml.g5.48xlarge." in form.status_line.value
        assert form.try_it.disabled and form.after.layout.display == "flex"
        assert form.progress.layout.display == "none"
    finally:
        b.close()


async def test_evaluate_opens_an_evaluation_notebook(make_browser, jp_root_dir, bridge_messages):
    b = make_browser()
    await settle(b)
    await open_model(b, "huggingface-llm-mistral-7b-instruct")
    evaluate = b.model_page.actions["evaluate"]
    assert b.detail["evaluation_supported"] and not evaluate.disabled
    await click(b, evaluate)
    assert b.error.message == "" and not b.modal_open  # not gated: no dialog
    (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
    assert notebook_kind(notebook) == ("evaluate", "huggingface-llm-mistral-7b-instruct")
    assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()


async def test_proprietary_model_shows_marketplace_subscription(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, PROPRIETARY)
    d = b.model_page
    assert b.detail["model_type"] == "proprietary"
    assert "Proprietary" in d.header.value
    assert "subscribe in AWS Marketplace" in d.license.value
    url = (b.detail.get("marketplace") or {}).get("subscription_url")
    assert url and url.startswith("https://aws.amazon.com/marketplace/")  # the demo catalog has one
    assert re.search(rf'<a href="{re.escape(esc(url))}"[^>]*>Marketplace subscription</a>', d.license.value)


async def test_only_one_usable_hub_opens_its_models(make_browser, faults):
    """No private or shared hubs visible (ListHubs and RAM say nothing): straight to the public hub's models."""
    faults(
        action="ListHubs",
        code="AccessDeniedException",
        message="not authorized to perform sagemaker:ListHubs",
        count=-1,
    )
    faults(action="ListResources", service="ram", code="AccessDeniedException", message="no ram", count=-1)
    b = make_browser()
    await settle(b)
    assert [h["name"] for h in b.hubs_view.hubs] == [PUBLIC]
    assert b.page == "models" and b.hub["name"] == PUBLIC and b.models_view.total > 0
    for hub in b.hubs_view.unavailable:  # hubs that exist but cannot be used are named, the reason is on Hubs
        assert hub["name"] in b.notice.value


async def test_notebook_directory_setting_of_the_sidebar_is_applied(make_browser, jp_root_dir, bridge_messages):
    """Settings Editor > JumpStart > Notebook directory reaches the panel as the sidebar bootstrap's argument."""
    b = make_browser(notebook_dir="team/notebooks")
    await settle(b)
    await open_model(b, "huggingface-llm-mistral-7b-instruct")
    await click(b, b.model_page.actions["evaluate"])
    assert b.error.message == ""
    (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
    assert notebook.parent == jp_root_dir / "team" / "notebooks"
    assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()
    with pytest.raises(Exception, match="Notebook directory"):
        make_browser(notebook_dir="../outside")


# -- facets, instance type, sort ---------------------------------------------------------------


async def test_every_filter_lists_the_facet_values_with_counts(make_browser, jumpstart_client):
    b = make_browser()
    await open_public_hub(b)
    view = b.models_view

    async def assert_filters_match(**query) -> None:
        page = await call(jumpstart_client.models, PUBLIC, limit=1, **query)
        assert page["complete"] and view.total == page["total"]
        facets = page["facets"]
        for name in ("task", "provider", "framework", "license", "instance_type"):
            assert facets[name], name
            shown = {v: f"{value_label(name, v, Translator('en'))} ({n})" for v, n in facets[name].items()}
            assert offered(view.filters[name]) == shown, name
        labels = {
            "gated": {"true": "EULA required", "false": "No EULA"},
            "trainable": {"true": "Trainable", "false": "Not trainable"},
            "model_type": {"open_weights": "Open weights", "proprietary": "Proprietary"},
        }
        for name, choices in labels.items():
            expected = {v: f"{label} ({facets[name].get(v, 0)})" for v, label in choices.items()}
            assert offered(view.filters[name]) == expected, name

    await assert_filters_match()
    counted = [int(re.search(r"\((\d+)\)", label)[1]) for label, v in view.gated.options if v]
    assert len(counted) == 2 and sum(counted) == view.total and all(counted)

    # a filter narrows every facet to the result set, its own included (as the server counts them)
    view.gated.value = "true"
    await settle(b)
    assert offered(view.gated) == {"true": f"EULA required ({view.total})", "false": "No EULA (0)"}
    await assert_filters_match(gated="true")
    view.model_type.value = "open_weights"
    view.trainable.value = "true"
    await settle(b)
    await assert_filters_match(gated="true", model_type="open_weights", trainable="true")
    assert view.gated.value == "true" and view.model_type.value == "open_weights"  # the choices stay selected


async def test_instance_type_filter_and_newest_first(make_browser, jumpstart_client):
    b = make_browser()
    await open_public_hub(b)
    view = b.models_view
    instance = "ml.g5.2xlarge"
    count = (await call(jumpstart_client.models, PUBLIC, limit=1))["facets"]["instance_type"][instance]
    assert offered(view.instance_type)[instance] == f"{instance} ({count})"
    view.instance_type.value = instance
    await settle(b)
    assert b.error.message == "" and view.total == count
    while view.next_cursor:
        await click(b, view.more)
    shown = [m["model_id"] for m in view.models]
    assert len(shown) == count and shown == sorted(shown)  # model id order by default
    view.sort.value = "title"  # "Name (A-Z)": the name shown
    await settle(b)
    while view.next_cursor:
        await click(b, view.more)
    by_name = sorted(view.models, key=lambda m: ((m.get("display_name") or m["model_id"]).casefold(), m["model_id"]))
    assert [m["model_id"] for m in view.models] == [m["model_id"] for m in by_name] != shown
    for model_id in shown[:3]:  # each one really deploys on it
        inference = (await call(jumpstart_client.model, PUBLIC, model_id))["inference"]
        assert instance in [*inference["supported_instance_types"], inference["default_instance_type"]]

    view.sort.value = "newest"
    await settle(b)
    newest = await call(jumpstart_client.models, PUBLIC, instance_type=instance, sort="newest", limit=200)
    expected = [m["model_id"] for m in newest["models"]]
    assert [m["model_id"] for m in view.models] == expected[: len(view.models)]
    assert sorted(expected) == shown and expected != shown  # the same models, another order
    assert view.instance_type.value == instance  # options rebuilt from the new page keep the choice


# -- details page ------------------------------------------------------------------------------


async def test_details_show_hyperparameters_instance_types_notebooks_license(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, GATED)
    detail, summary = b.detail, b.model_page.summary.value
    assert f"<b>License:</b> {esc(detail['license'])}" in b.model_page.license.value
    inference, training = detail["inference"], detail["training"]
    trained = summary.split("Training instance types")[1].split("</div>")[0]
    assert training["supported"] and training["supported_instance_types"]
    assert all(esc(x) in trained for x in training["supported_instance_types"])
    assert f"<b>{esc(training['default_instance_type'])}</b> (default)" in trained
    served = summary.split("Inference instance types")[1].split("</div>")[0]
    assert f"<b>{esc(inference['default_instance_type'])}</b> (default)" in served
    # hyperparameters: name, default and range in the table
    hyperparameters = training["hyperparameters"]
    assert f"Hyperparameters ({len(hyperparameters)})" in summary
    for h in hyperparameters:
        assert f"<td>{esc(h['name'])}</td><td>{esc(h['default'])}</td>" in summary, h
        if h.get("options"):
            assert f"<td>{esc(', '.join(map(str, h['options'])))}</td>" in summary, h
        elif h.get("min") is not None and h.get("max") is not None:
            assert f"<td>{esc(h['min'])} to {esc(h['max'])}</td>" in summary, h
    assert any(h.get("default") is not None for h in hyperparameters)
    # official example notebooks, as links
    assert detail["notebooks"]
    for notebook in detail["notebooks"]:
        assert f'<a href="{esc(safe_url(notebook["uri"]))}"' in summary
        assert f">{esc(notebook['title'])}</a>" in summary


# -- EULA dialog: one acceptance per click sequence ----------------------------------------------


async def test_accept_clicked_twice_records_once_and_creates_one_notebook(
    make_browser, jumpstart_client, jp_root_dir, bridge_messages, monkeypatch
):
    b = make_browser()
    await settle(b)
    await open_model(b, GATED)
    dialog = b.eula_dialog

    # a failed recording leaves the dialog open with Accept and Decline usable again
    real = jumpstart_client.accept_eula
    failing = [ApiError(503, "StoreError", "The acceptance store is busy; try again.")]

    def accept_eula(*args, **kwargs):
        if failing:
            raise failing.pop()
        return real(*args, **kwargs)

    monkeypatch.setattr(jumpstart_client, "accept_eula", accept_eula)
    await click(b, b.model_page.actions["notebook"])
    await click(b, dialog.accept)
    assert "acceptance store is busy" in b.error.message and b.modal_open
    assert not dialog.accept.disabled and not dialog.decline.disabled

    # double click (and a Decline) while the acceptance is being recorded: ignored
    dialog.accept.click()
    assert dialog.accept.disabled and dialog.decline.disabled
    dialog.accept.click()
    dialog.decline.click()
    await settle(b)
    assert b.error.message == "" and not b.modal_open and "Cancelled" not in b.model_page.notice.value
    log = (await call(jumpstart_client.request, "GET", "eula-acceptances"))["acceptances"]
    assert [(a["model_id"], a["action"]) for a in log] == [(GATED, "notebook")]
    (notebook,) = notebooks(jp_root_dir)
    assert notebook_kind(notebook) == ("deploy", GATED) and len(bridge_messages) == 1


# -- notebooks: the one each action asks for -------------------------------------------------------


async def test_each_action_creates_its_own_notebook(make_browser, jp_root_dir, bridge_messages):
    b = make_browser()
    await settle(b)
    await open_model(b, OPEN)
    for action, kind in (("notebook", "deploy"), ("train", "train"), ("evaluate", "evaluate")):
        before = notebooks(jp_root_dir)
        await click(b, b.model_page.actions[action])
        assert b.error.message == "" and not b.modal_open and b.page == "model", action
        (created,) = notebooks(jp_root_dir) - before
        assert notebook_kind(created) == (kind, OPEN), action
        assert bridge_messages[-1]["path"] == created.relative_to(jp_root_dir).as_posix()


# -- deploy: status polling survives failures ---------------------------------------------------


def clear_faults(local_service: str) -> None:
    import requests

    requests.delete(f"{local_service}/_emu/faults", timeout=10).raise_for_status()


STATUS_FAULT = {
    "action": "DescribeEndpoint",
    "code": "InternalFailure",
    "status": 400,  # (not retried by boto3: each failure reaches the panel)
    "message": "The service is briefly unavailable.",
}


async def test_deploy_polling_survives_failed_status_requests(make_browser, faults):
    pauses: list[tuple[float, str]] = []  # (pause, status line) at each pause between status requests
    armed: list[bool] = []

    def sleep(seconds: float) -> None:
        if b.deploy_form.endpoint is None:  # (a cold hub's counts asked again)
            time.sleep(0.05)
            return
        pauses.append((seconds, b.deploy_form.status_line.value))
        if not armed:  # the next two status requests fail
            armed.append(True)
            faults(**STATUS_FAULT, count=2)
        time.sleep(0.05)

    b = make_browser(sleep=sleep)
    await settle(b)
    await open_model(b, NO_EVALUATION)
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = "jsl-widget-poll-retry"
    await click(b, form.deploy)
    assert form.status == "InService" and "In service" in form.status_line.value
    assert not form.try_it.disabled and form.deploy.disabled and not form.polling_stopped
    assert form.poll_failures == 0 and b.error.message == ""
    # the failures were shown, and polling backed off (0.2 s, then 0.4, 0.8) before going back to 0.2
    shown = [line for _, line in pauses if "Could not get the status" in line]
    assert len(shown) == 2 and all("briefly unavailable" in line and "trying again in" in line for line in shown)
    assert [p for p, _ in pauses[:3]] == [0.2, 0.4, 0.8] and all(p == 0.2 for p, _ in pauses[3:])
    await click(b, form.delete)
    await confirm(b)
    assert form.status == "Deleted"


async def test_deploy_polling_gives_up_after_repeated_failures(make_browser, faults, local_service, jumpstart_client):
    pauses: list[float] = []

    def sleep(seconds: float) -> None:
        if b.deploy_form.endpoint is None:
            time.sleep(0.05)
            return
        if not pauses:
            faults(**STATUS_FAULT, count=-1)  # every status request fails from now on
        pauses.append(seconds)
        time.sleep(0.02)

    b = make_browser(sleep=sleep)
    await settle(b)
    await open_model(b, NO_EVALUATION)
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = "jsl-widget-poll-give-up"
    await click(b, form.deploy)
    limit = form.max_poll_failures
    assert form.polling_stopped and form.poll_failures == limit
    assert len(pauses) == limit  # one pause after the first answer, then one after each failure but the last
    assert pauses[1:] == [0.2 * 2**n for n in range(1, limit)]
    message = f"Stopped checking the status of jsl-widget-poll-give-up after {limit} failed attempts in a row"
    assert message in form.status_line.value and message in b.error.message
    assert "briefly unavailable" in b.error.message
    assert form.progress.layout.display == "none" and form.after.layout.display == "flex"
    assert not form.deploy.disabled and not form.name.disabled and form.try_it.disabled  # Deploy usable again
    # the endpoint is still there: once AWS answers again, Delete removes it
    clear_faults(local_service)
    await click(b, form.delete)
    await confirm(b)
    assert b.error.message == "" and form.status == "Deleted"
    listed = await call(jumpstart_client.deployments)
    assert "jsl-widget-poll-give-up" not in [d["endpoint_name"] for d in listed["deployments"]]


async def test_failed_endpoint_reason_reached_by_polling(make_browser, monkeypatch):
    """The local service never fails an endpoint: DescribeEndpoint is made to report Failed (in the server,
    which runs in this process), and the form polls it through the real API."""
    from botocore.client import BaseClient

    name = "jsl-widget-failed-endpoint"
    reason = "Unable to provision requested ML compute capacity due to InsufficientInstanceCapacity error."
    original = BaseClient._make_api_call

    def patched(self, operation_name, api_params):
        result = original(self, operation_name, api_params)
        started = b.deploy_form.endpoint == name  # the deploy answered (Creating): the status requests fail it
        if operation_name == "DescribeEndpoint" and api_params.get("EndpointName") == name and started:
            result = {**result, "EndpointStatus": "Failed", "FailureReason": reason}
        return result

    b = make_browser()
    monkeypatch.setattr(BaseClient, "_make_api_call", patched)
    await settle(b)
    await open_model(b, NO_EVALUATION)
    await click(b, b.model_page.actions["deploy"])
    form = b.deploy_form
    form.name.value = name
    await click(b, form.deploy)
    assert b.error.message == "" and form.status == "Failed" and form.polls == 1
    assert f"Failed: {esc(reason)}" in form.status_line.value
    assert "another supported instance type" in form.status_line.value  # the server's advice for capacity
    assert form.try_it.disabled and form.after.layout.display == "flex" and form.progress.layout.display == "none"
    await click(b, form.delete)
    await confirm(b)
    assert form.status == "Deleted"


# -- empty states ------------------------------------------------------------------------------


async def test_no_hub_available(make_browser, faults):
    denied = {"code": "AccessDeniedException", "count": -1}
    faults(action="ListHubs", message="not authorized to perform sagemaker:ListHubs", **denied)
    faults(action="ListResources", service="ram", message="not authorized to perform ram:ListResources", **denied)
    faults(action="DescribeHub", message="not authorized to perform sagemaker:DescribeHub", **denied)
    b = make_browser()
    await settle(b)
    view = b.hubs_view
    assert view.hubs == [] and not view.open_buttons and b.page == "hubs"
    text = " ".join(x.value for x in widgets(view) if isinstance(x, w.HTML))
    assert "No hub is available to you" in text
    assert PUBLIC in [h["name"] for h in view.unavailable] and "jsl-unavailable" in text  # greyed, with the reason
    assert "denied access to the public JumpStart hub" in text


async def test_endpoints_view_when_nothing_is_deployed(make_browser, jumpstart_client):
    for dep in (await call(jumpstart_client.deployments))["deployments"]:  # left over by earlier tests
        await call(jumpstart_client.delete_deployment, dep["endpoint_name"])
    b = make_browser()
    await settle(b)
    await click(b, b.endpoints_button)
    assert b.page == "endpoints" and b.error.message == "" and b.endpoints_view.rows == {}
    text = " ".join(x.value for x in widgets(b.endpoints_view.list) if isinstance(x, w.HTML))
    assert "No endpoints deployed from JupyterLab yet. Open a model and click Deploy." in text


async def test_token_never_in_widget_state_after_a_full_browse(make_browser, jp_serverapp, bridge_messages):
    token = jp_serverapp.identity_provider.token
    assert token
    b = make_browser()
    states: list[str] = []

    def snapshot() -> None:  # every widget of every view, shown or not
        shown = [x for root in (b, *b.views.values(), b.overlay) for x in widgets(root)]
        states.append(json.dumps([x.get_state() for x in shown], default=str))

    await open_public_hub(b)
    b.models_view.search.value = "llama"
    await settle(b)
    snapshot()
    await click(b, b.models_view.rows[GATED])
    await click(b, b.model_page.actions["notebook"])
    assert b.modal_open
    snapshot()
    await click(b, b.eula_dialog.accept)
    assert "lab/tree/" in b.model_page.notice.value
    snapshot()
    await click(b, b.model_page.actions["deploy"])
    assert b.deploy_form.layout.display == "flex" and b.error.message == ""
    snapshot()
    await click(b, b.endpoints_button)
    assert b.error.message == "" and bridge_messages
    snapshot()
    assert not [i for i, state in enumerate(states) if token in state]
    assert token not in repr(b) and token not in json.dumps(bridge_messages)
    assert "lab/tree/" in states[2]  # (the state held the notebook link, and the check looked at it)
