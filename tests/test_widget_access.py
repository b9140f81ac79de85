"""The panel under the private-hubs blog's deny-public-hub policy: the public hub is greyed with
the reason, the private and shared hubs still work (separate local service with the deny knob)."""

from __future__ import annotations

import ipywidgets as w
import pytest
from widget_support import on_screen, settle, widgets

GATED = "meta-textgeneration-llama-2-13b-f"


@pytest.fixture
def aws_endpoint(deny_service):
    return deny_service


async def test_denied_public_hub_is_greyed_and_private_hubs_work(make_browser):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    assert "SageMakerPublicHub" not in b.hubs_view.open_buttons
    greyed = [x.value for x in widgets(b.hubs_view) if isinstance(x, w.HTML) and "jsl-unavailable" in x.value]
    assert len(greyed) == 1 and "SageMakerPublicHub" in greyed[0]
    assert "denied access to the public JumpStart hub" in greyed[0]
    assert {"CompanyHub", "PartnerHub"} <= set(b.hubs_view.open_buttons)
    cards = " ".join(card.description for card in b.hubs_view.open_buttons.values())
    assert "Shared from account 111122223333" in cards and "Private hub" in cards

    b.hubs_view.open_buttons["CompanyHub"].click()
    await settle(b)
    assert on_screen(b) == "models" and "Allowlisted Models" in b.models_view.title.value
    b.models_view.search.value = "llama"
    await settle(b)
    assert GATED in b.models_view.rows
    b.models_view.rows[GATED].click()
    await settle(b)
    assert b.error.message == "" and on_screen(b) == "model"
    assert b.detail["hub"] == "CompanyHub" and b.detail["content_type"] == "ModelReference"
    assert b.detail["gated"] is True


class TestOneUsableHub:
    """The public hub is the only hub you can use (ListHubs and RAM denied) while an extra hub is gone:
    straight to the public hub's models, with the unusable hub named; Hubs still says why."""

    @pytest.fixture
    def aws_endpoint(self, local_service):
        return local_service

    @pytest.fixture
    def jumpstart_settings(self):
        return {"extra_hubs": ["arn:aws:sagemaker:us-west-2:111122223333:hub/GoneHub"]}

    async def test_straight_to_its_models_and_the_others_are_named(self, make_browser, faults):
        faults(action="ListHubs", code="AccessDeniedException", message="not authorized", count=-1)
        faults(action="ListResources", service="ram", code="AccessDeniedException", message="no ram", count=-1)
        b = make_browser()
        await settle(b)
        assert [h["name"] for h in b.hubs_view.hubs] == ["SageMakerPublicHub"]
        assert [h["name"] for h in b.hubs_view.unavailable] == ["GoneHub"]
        assert on_screen(b) == "models" and b.hub["name"] == "SageMakerPublicHub" and b.models_view.total > 0
        assert "Unavailable to you: GoneHub" in b.notice.value
        b.back.click()
        greyed = [x.value for x in widgets(b.hubs_view) if isinstance(x, w.HTML) and "jsl-unavailable" in x.value]
        assert len(greyed) == 1 and "GoneHub" in greyed[0] and "extra_hubs" in greyed[0]
