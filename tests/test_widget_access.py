"""The panel under the private-hubs blog's deny-public-hub policy: the public hub is greyed with
the reason, the private and shared hubs still work (separate local service with the deny knob)."""

from __future__ import annotations

import asyncio

import ipywidgets as w
import pytest
from conftest import server_config

from jumpstart_lab.widget.browser import HubBrowser, _walk

GATED = "meta-textgeneration-llama-2-13b-f"


@pytest.fixture
def jp_server_config(deny_service, eula_store_path):
    return server_config(deny_service, eula_store_path)


async def test_denied_public_hub_is_greyed_and_private_hubs_work(jumpstart_client):
    b = HubBrowser(client=jumpstart_client, locale="en", debounce=0)
    try:
        await asyncio.to_thread(b.wait, 120)
        assert b.error.message == ""
        assert "SageMakerPublicHub" not in b.hubs_view.open_buttons
        greyed = [x.value for x in _walk(b.hubs_view) if isinstance(x, w.HTML) and "jsl-unavailable" in x.value]
        assert len(greyed) == 1 and "SageMakerPublicHub" in greyed[0]
        assert "denied access to the public JumpStart hub" in greyed[0]
        assert {"CompanyHub", "PartnerHub"} <= set(b.hubs_view.open_buttons)
        cards = " ".join(x.value for x in _walk(b.hubs_view) if isinstance(x, w.HTML))
        assert "Shared from account 111122223333" in cards and "Private hub" in cards

        b.hubs_view.open_buttons["CompanyHub"].click()
        await asyncio.to_thread(b.wait, 120)
        assert b.page == "models" and "Allowlisted Models" in b.models_view.title.value
        b.models_view.search.value = "llama"
        await asyncio.to_thread(b.wait, 120)
        assert GATED in b.models_view.rows
        b.models_view.rows[GATED].click()
        await asyncio.to_thread(b.wait, 120)
        assert b.error.message == "" and b.page == "details"
        assert b.detail["hub"] == "CompanyHub" and b.detail["content_type"] == "ModelReference"
        assert b.detail["gated"] is True
    finally:
        b.close()
