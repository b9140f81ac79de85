"""The panel as a whole: it fits a narrow sidebar, speaks German, and never holds the server's token in widget state.

The ``HubBrowser`` is driven as a user would (set values, click buttons), without a browser or kernel, against
the real server on the local service; ``settle`` waits for its REST calls off the event loop."""

from __future__ import annotations

import json
import re

import ipywidgets as w
from widget_support import (
    GATED,
    click,
    dialog_shown,
    open_model,
    open_public_hub,
    settle,
    widgets,
)

from jumpstart_lab.client import JumpStartClient
from jumpstart_lab.widget.browser import HubBrowser


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
    assert dialog_shown(b)
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
