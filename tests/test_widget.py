"""HubBrowser driven as a user would (set values, click buttons), without a browser or kernel,
against the real server on the local service. Widget REST calls run on the panel's worker
threads; ``settle`` waits for them off the event loop so the server can answer."""

from __future__ import annotations

import asyncio
import json

import ipywidgets as w
import pytest

from jumpstart_lab.client import JumpStartClient
from jumpstart_lab.widget.bridge import LabBridge
from jumpstart_lab.widget.browser import HubBrowser, _walk

PUBLIC = "SageMakerPublicHub"
GATED = "meta-textgeneration-llama-2-13b-f"
NOT_TRAINABLE = "huggingface-llm-phi-3-mini-4k-instruct"


@pytest.fixture
def make_browser(jumpstart_client):
    made: list[HubBrowser] = []

    def make(**kwargs) -> HubBrowser:
        kwargs.setdefault("client", jumpstart_client)
        kwargs.setdefault("locale", "en")
        browser = HubBrowser(debounce=0, poll_interval=0.2, **kwargs)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.close()


@pytest.fixture
def bridge_messages(monkeypatch):
    sent: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))
    return sent


async def settle(browser: HubBrowser) -> None:
    await asyncio.to_thread(browser.wait, 300)


async def click(browser: HubBrowser, button: w.Button) -> None:
    button.click()
    await settle(browser)


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
    assert browser.page == "details" and browser.detail["model_id"] == model_id


def model_text(m: dict) -> str:
    return " ".join(str(m.get(k) or "") for k in ("model_id", "display_name", "description")).lower()


def controls_outside(browser: HubBrowser, container: w.Widget) -> list[w.Widget]:
    inside = {id(x) for x in _walk(container)}
    return [x for x in _walk(browser) if id(x) not in inside and x.has_trait("disabled")]


# -- hubs, search, filters, paging, details ---------------------------------------------------


async def test_hubs_search_filters_paging_details(make_browser):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    assert "Local demo catalog" in b.demo.value and b.demo.layout.display != "none"
    names = [h["name"] for h in b.hubs_view.hubs]
    assert PUBLIC in names
    if b.page == "hubs":
        card_text = " ".join(c.value for c in _walk(b.hubs_view) if isinstance(c, w.HTML))
        assert "Public hub" in card_text
        assert any(" models" in label.value for label in b.hubs_view.count_labels.values())
    await open_public_hub(b)

    view = b.models_view
    full = view.total
    assert full > 50, "the demo public hub has more than two pages of models"
    assert len(view.rows) == 25 and view.more.layout.display != "none"
    assert f"25 of {full} models" in view.count.value
    task_options = dict(view.facets["task"].options)
    assert any(label.startswith("text-generation (") for label in task_options)

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
    row_box = next(x for x in _walk(view.list) if isinstance(x, w.VBox) and first_row in x.children)
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
        x for x in _walk(view.list) if isinstance(x, w.VBox) and x.children and x.children[0] in view.rows.values()
    )
    assert "Proprietary" in row_box.children[1].value
    view.model_type.value = ""

    # trainable + instance type filters go to the server
    view.trainable.value = "false"
    await settle(b)
    assert view.total > 0 and all(not m["trainable"] for m in view.models)
    view.trainable.value = ""
    view.instance_type.value = "not an instance"
    await settle(b)
    assert "Not an instance type" in view.count.value
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
    assert b.page == "details"
    d = b.details_view
    assert [x.description for x in d.actions.values()] == ["Train", "Deploy", "Evaluate", "Open notebook"]
    assert "Llama 2 13B Chat" in d.header.value and GATED in d.header.value
    assert "requires accepting its end-user license agreement" in d.summary.value
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
    train = b.details_view.actions["train"]
    assert train.disabled and "does not support fine-tuning" in train.tooltip
    assert not b.details_view.actions["deploy"].disabled


# -- EULA gate ---------------------------------------------------------------------------------


async def test_gated_action_dialog_decline_then_accept(make_browser, jumpstart_client, jp_root_dir, bridge_messages):
    b = make_browser(bridge_target="tab-1")
    await settle(b)
    await open_model(b, GATED)
    version = b.detail["version"]

    await click(b, b.details_view.actions["train"])
    dialog = b.eula_dialog
    assert b.modal_open and b.overlay.layout.display == "flex"
    assert "License agreement for Llama 2 13B Chat" in dialog.title.value
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["required"] and not eula["accepted"] and eula["text"]
    assert eula["text"].splitlines()[0][:40].replace("&", "&amp;").replace("'", "&#x27;")[:20] in dialog.text.value
    assert eula["uri"] in dialog.text.value
    assert "responsible for reviewing and complying" in dialog.notice.value
    assert [dialog.accept.description, dialog.decline.description] == ["Accept", "Decline"]
    assert not dialog.accept.disabled and not dialog.decline.disabled
    others = controls_outside(b, b.overlay)
    assert others and all(x.disabled for x in others)

    # while it is open nothing else responds
    await click(b, b.details_view.actions["deploy"])
    await click(b, b.home)
    assert b.page == "details" and b.modal_open

    # Decline: cancelled, nothing recorded, controls back
    await click(b, dialog.decline)
    assert not b.modal_open and b.overlay.layout.display == "none"
    assert "Cancelled" in b.notice.value
    assert not b.details_view.actions["train"].disabled and not b.home.disabled
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is False
    log = await call(jumpstart_client.request, "GET", "eula-acceptances")
    assert log["acceptances"] == []
    assert not list(jp_root_dir.rglob("*.ipynb"))
    assert bridge_messages == []

    # Accept: recorded, then the train notebook is created and opened
    await click(b, b.details_view.actions["train"])
    assert b.modal_open
    await click(b, dialog.accept)
    assert b.error.message == ""
    assert not b.modal_open
    eula = await call(jumpstart_client.eula, PUBLIC, GATED, version)
    assert eula["accepted"] is True
    log = (await call(jumpstart_client.request, "GET", "eula-acceptances"))["acceptances"]
    assert [(a["model_id"], a["version"], a["action"]) for a in log] == [(GATED, version, "train")]
    notebooks = list(jp_root_dir.rglob("*.ipynb"))
    assert len(notebooks) == 1 and GATED in notebooks[0].read_text()
    path = notebooks[0].relative_to(jp_root_dir).as_posix()
    assert bridge_messages == [{"action": "open", "path": path, "target": "tab-1"}]
    assert path in b.notice.value and "lab/tree/" in b.notice.value

    # already accepted: Open notebook goes straight to a (deploy) notebook, no dialog
    await click(b, b.details_view.actions["notebook"])
    assert not b.modal_open and b.error.message == ""
    assert len(list(jp_root_dir.rglob("*.ipynb"))) == 2
    assert len(bridge_messages) == 2


# -- deploy form, status polling, Try it, Delete, endpoints view -------------------------------


async def test_deploy_form_validation_status_try_it_delete(make_browser, jumpstart_client):
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        import time

        time.sleep(0.2)

    b = make_browser(sleep=sleep)
    await settle(b)
    await open_model(b, GATED)
    await click(b, b.details_view.actions["deploy"])
    assert b.modal_open
    await click(b, b.eula_dialog.accept)
    assert b.page == "deploy" and not b.modal_open

    form = b.deploy_form
    inference = b.detail["inference"]
    assert form.instance_type.value == inference["default_instance_type"]
    assert list(form.instance_type.options) == inference["supported_instance_types"] or set(
        form.instance_type.options
    ) >= set(inference["supported_instance_types"])
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
    assert b.page == "deploy"
    await click(b, form.delete)
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
    await click(b, b.details_view.actions["deploy"])
    assert not b.modal_open and b.page == "deploy"
    form = b.deploy_form
    form.name.value = "jsl-widget-conflict"
    await click(b, form.deploy)
    assert form.status == "InService"
    # a second deploy with the same name: the server's 409 message, panel still usable
    b.start_action("deploy")
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
    assert b.error.message == ""
    assert "jsl-widget-conflict" not in b.endpoints_view.rows
    listed = await call(jumpstart_client.deployments)
    assert "jsl-widget-conflict" not in [d["endpoint_name"] for d in listed["deployments"]]


async def test_poll_once_is_deterministic(make_browser, jumpstart_client):
    """``autopoll=False``: the test steps the status polling itself."""
    model = "huggingface-llm-mistral-7b-instruct"
    b = await call(make_browser, background=False, autopoll=False)  # inline REST calls: build it off the loop
    await call(b.load_model, PUBLIC, model)
    await call(b.start_action, "deploy")
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
    assert "Lokaler Demo-Katalog" in b.demo.value
    assert b.models_view.search.placeholder == "Modelle suchen"
    assert [x.description for x in b.details_view.actions.values()] == [
        "Trainieren",
        "Bereitstellen",
        "Evaluieren",
        "Notebook öffnen",
    ]
    assert [b.eula_dialog.accept.description, b.eula_dialog.decline.description] == ["Akzeptieren", "Ablehnen"]
    await open_public_hub(b)
    assert "Modelle" in b.models_view.count.value
    await open_model(b, GATED)
    await click(b, b.details_view.actions["deploy"])
    assert "Lizenzvereinbarung für Llama 2 13B Chat" in b.eula_dialog.title.value
    await click(b, b.eula_dialog.decline)
    assert "Abgebrochen" in b.notice.value


def test_layout_fits_a_narrow_sidebar():
    b = HubBrowser(locale="en", background=False, autoload=False)
    try:
        for x in _walk(b):
            width = getattr(x.layout, "width", None)
            assert width in (None, "", "auto") or width.endswith("%") or int(width.rstrip("px")) <= 300, (x, width)
            if isinstance(x, w.HBox):
                assert x.layout.flex_flow == "row wrap", x
    finally:
        b.close()


def test_widget_state_never_holds_the_token():
    secret = "tok-" + "9" * 40
    b = HubBrowser(
        client=JumpStartClient("http://127.0.0.1:9/", token=secret), locale="en", background=False, autoload=False
    )
    try:
        state = json.dumps([x.get_state() for x in _walk(b)], default=str)
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
    assert b.error.message == "" and b.page == "details"
    assert b.detail_hub == partner["arn"]
    if b.detail["gated"]:
        await click(b, b.details_view.actions["notebook"])
        await click(b, b.eula_dialog.accept)
    else:
        await click(b, b.details_view.actions["notebook"])
    assert b.error.message == "" and len(list(jp_root_dir.rglob("*.ipynb"))) == 1
    await click(b, b.details_view.actions["deploy"])
    b.deploy_form.name.value = "jsl-widget-shared"
    await click(b, b.deploy_form.deploy)
    assert b.error.message == "" and b.deploy_form.status == "InService"
    await click(b, b.deploy_form.try_it)
    assert b.error.message == "" and "Response" in b.deploy_form.response.value
    await click(b, b.deploy_form.delete)
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


@pytest.fixture
def faults(local_service):
    """``faults(rule)`` makes the local service fail the next matching AWS call(s); cleared afterwards."""
    import requests

    def add(**rule):
        requests.post(f"{local_service}/_emu/faults", json=rule, timeout=10).raise_for_status()

    yield add
    requests.delete(f"{local_service}/_emu/faults", timeout=10)


async def test_aws_failures_reach_the_banner_and_the_form_stays_usable(make_browser, jumpstart_client, faults):
    b = make_browser()
    await settle(b)
    await open_model(b, "huggingface-text2text-flan-t5-base")
    await click(b, b.details_view.actions["deploy"])
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
    evaluate = b.details_view.actions["evaluate"]
    assert b.detail["evaluation_supported"] and not evaluate.disabled
    await click(b, evaluate)
    assert b.error.message == "" and not b.modal_open  # not gated: no dialog
    (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
    text = notebook.read_text().lower()
    assert "huggingface-llm-mistral-7b-instruct" in text and "evaluat" in text
    assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()


async def test_proprietary_model_shows_marketplace_subscription(make_browser):
    b = make_browser()
    await settle(b)
    await open_model(b, "cohere-command-r-plus")
    d = b.details_view
    assert "Proprietary" in d.header.value
    assert "subscribe in AWS Marketplace" in d.summary.value
    market = b.detail.get("marketplace") or {}
    if market.get("subscription_url"):
        assert market["subscription_url"].replace("&", "&amp;") in d.summary.value


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
    names = [h["name"] for h in b.hubs_view.hubs]
    if names != [PUBLIC] or b.hubs_view.unavailable:
        pytest.skip(f"the server still lists other hubs or reasons: {names}, {b.hubs_view.unavailable}")
    assert b.page == "models" and b.hub["name"] == PUBLIC and b.models_view.total > 0


async def test_notebook_directory_setting_of_the_sidebar_is_applied(make_browser, jp_root_dir, bridge_messages):
    """Settings Editor > JumpStart > Notebook directory reaches the kernel through configure_frontend."""
    from jumpstart_lab.widget.bridge import configure_frontend

    configure_frontend(notebook_dir="team/notebooks")
    try:
        b = make_browser()
        await settle(b)
        await open_model(b, "huggingface-llm-mistral-7b-instruct")
        await click(b, b.details_view.actions["evaluate"])
        assert b.error.message == ""
        (notebook,) = list(jp_root_dir.rglob("*.ipynb"))
        assert notebook.parent == jp_root_dir / "team" / "notebooks"
        assert bridge_messages[-1]["path"] == notebook.relative_to(jp_root_dir).as_posix()
    finally:
        configure_frontend()
