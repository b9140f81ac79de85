"""Deploy from the panel: the form's validation, status polling (stepped, backing off on failed status requests,
giving up), Try it, Delete after a confirmation, and the endpoints view.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import asyncio
import time

import ipywidgets as w
from service_support import clear_faults
from widget_support import (
    GATED,
    NO_EVALUATION,
    PUBLIC,
    call,
    click,
    confirm,
    dialog_shown,
    on_screen,
    open_model,
    settle,
    widgets,
)

from jumpstart_lab.widget.browser import HubBrowser
from jumpstart_lab.widget.context import esc

STATUS_FAULT = {
    "action": "DescribeEndpoint",
    "code": "InternalFailure",
    "status": 400,  # (not retried by boto3: each failure reaches the panel)
    "message": "The service is briefly unavailable.",
}


async def test_deploy_form_validation_status_try_it_delete(make_browser, jumpstart_client):
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        time.sleep(0.2)

    b = make_browser(sleep=sleep)
    await settle(b)
    await open_model(b, GATED)
    await click(b, b.model_page.actions["deploy"])
    assert dialog_shown(b)
    await click(b, b.eula_dialog.accept)
    assert b.deploy_form.layout.display == "flex" and not dialog_shown(b)

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
    assert on_screen(b) == "endpoints"
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
    assert not dialog_shown(b) and b.deploy_form.layout.display == "flex"
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
    assert form.status == "InService" and dialog_shown(b)  # asks first
    await call(b.eula_dialog.accept.click)
    assert form.status == "Deleted"


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


async def test_endpoints_view_when_nothing_is_deployed(make_browser, jumpstart_client):
    for dep in (await call(jumpstart_client.deployments))["deployments"]:  # left over by earlier tests
        await call(jumpstart_client.delete_deployment, dep["endpoint_name"])
    b = make_browser()
    await settle(b)
    await click(b, b.endpoints_button)
    assert on_screen(b) == "endpoints" and b.error.message == "" and b.endpoints_view.rows == {}
    text = " ".join(x.value for x in widgets(b.endpoints_view.list) if isinstance(x, w.HTML))
    assert "No endpoints deployed from JupyterLab yet. Open a model and click Deploy." in text
