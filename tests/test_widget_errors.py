"""What the panel says when something is wrong: a server error, a wrong token, no server, no hub, an empty hub;
the panel stays usable.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import ipywidgets as w
from widget_support import (
    GATED,
    PUBLIC,
    click,
    on_screen,
    open_model,
    settle,
    widgets,
)

from jumpstart_lab.client import JumpStartClient
from jumpstart_lab.widget.browser import HubBrowser


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


async def test_no_server_found(monkeypatch, tmp_path):
    monkeypatch.delenv("JUMPSTART_SERVER_URL", raising=False)
    monkeypatch.delenv("JPY_PARENT_PID", raising=False)
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path))
    b = HubBrowser(locale="en", background=False)
    try:
        assert "No running Jupyter server" in b.error.message
        assert on_screen(b) == "hubs" and not b.refresh.disabled
    finally:
        b.close()


async def test_no_hub_available(make_browser, faults):
    denied = {"code": "AccessDeniedException", "count": -1}
    faults(action="ListHubs", message="not authorized to perform sagemaker:ListHubs", **denied)
    faults(action="ListResources", service="ram", message="not authorized to perform ram:ListResources", **denied)
    faults(action="DescribeHub", message="not authorized to perform sagemaker:DescribeHub", **denied)
    b = make_browser()
    await settle(b)
    view = b.hubs_view
    assert view.hubs == [] and not view.open_buttons and on_screen(b) == "hubs"
    text = " ".join(x.value for x in widgets(view) if isinstance(x, w.HTML))
    assert "No hub is available to you" in text
    assert PUBLIC in [h["name"] for h in view.unavailable] and "jsl-unavailable" in text  # greyed, with the reason
    assert "denied access to the public JumpStart hub" in text


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
