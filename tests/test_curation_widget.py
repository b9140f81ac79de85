"""The Admin view driven as an administrator would (type, pick, click) against the real server and the
local service: the private-hubs blog's admin flow through the widget. REST calls run on the view's
worker thread; ``settle`` waits for them off the event loop so the server can answer."""

from __future__ import annotations

import asyncio

import pytest
from conftest import hub_exists, reference_names

from jumpstart_lab.widget.admin import AdminView, curation_status

SHARE_ACCOUNT = "444455556666"


@pytest.fixture
def admin(jumpstart_client, sm):
    errors: list[BaseException] = []
    views: list[AdminView] = []

    def make() -> AdminView:
        view = AdminView(jumpstart_client, errors.append, locale="en")
        view.errors = errors  # type: ignore[attr-defined]
        views.append(view)
        return view

    yield make
    for view in views:
        view.close()
    for name in ("CompanyHub2", "WidgetShareHub"):
        if hub_exists(sm, name):
            for ref in reference_names(sm, name):
                sm.delete_hub_content_reference(HubName=name, HubContentType="ModelReference", HubContentName=ref)
            sm.delete_hub(HubName=name)


async def settle(view: AdminView) -> None:
    await asyncio.to_thread(view.wait, 300)


async def click(view: AdminView, button) -> None:
    button.click()
    await settle(view)


async def create(view: AdminView, name: str) -> None:
    view.new_name.value = name
    view.new_display.value = f"{name} (allowlisted)"
    view.new_description.value = "These are allowlisted models taken from the JumpStart Public Hub."
    view.new_keywords.value = "allowlisted, meta"
    await click(view, view.create_button)
    assert view.errors == []
    assert view.hub == name and view.hub_sections.layout.display == "flex"
    assert f"Created hub {name}." in view.notice.value


async def test_blog_admin_flow_through_the_widget(admin, sm, jumpstart_client):
    assert (await asyncio.to_thread(curation_status, jumpstart_client))["allowed"] is True
    view = admin()
    view.load()
    await settle(view)
    assert view.errors == []
    assert "CompanyHub" in [value for _, value in view.hub_select.options]
    assert "meta" in [value for _, value in view.filters["framework"].options]

    # picking a hub shows what it holds (the seeded CompanyHub: every meta model)
    expected = reference_names(sm, "CompanyHub")
    view.hub_select.value = "CompanyHub"
    await settle(view)
    assert set(view.reference_boxes) == expected

    # 1. create CompanyHub2
    await create(view, "CompanyHub2")
    assert sm.describe_hub(HubName="CompanyHub2")["HubSearchKeywords"] == ["allowlisted", "meta"]
    assert "No models yet" in view.reference_list.children[0].value

    # 2. framework == meta, select every result, add them with the progress bar
    view.filters["framework"].value = "meta"
    await click(view, view.find_button)
    assert view.total_matches == len(expected)
    assert f"of {len(expected)} public models shown" in view.match_count.value
    view.select_all.value = True
    await click(view, view.add_button)
    assert view.errors == []
    assert view.progress.value == view.progress.max == len(expected)
    assert f"{len(expected)} added, 0 already in the hub, 0 failed." in view.result.value
    assert reference_names(sm, "CompanyHub2") == expected

    # 3. the list shows them
    assert set(view.reference_boxes) == expected

    # partial failure: a typed id that is not in the public hub is reported, the rest is added or kept
    present = sorted(expected)[0]
    view.select_all.value = False
    view.model_ids.value = f"{present}, no-such-public-model"
    await click(view, view.add_button)
    assert view.errors == []
    assert "0 added, 1 already in the hub, 1 failed." in view.result.value
    assert "no-such-public-model" in view.result.value and "SageMakerPublicHub" in view.result.value

    # 4. remove one
    view.reference_boxes[present].value = True
    await click(view, view.remove_button)
    assert view.errors == []
    assert reference_names(sm, "CompanyHub2") == expected - {present}
    assert set(view.reference_boxes) == expected - {present}

    # 6. delete, after a confirmation that names what will be removed; Cancel first changes nothing
    await click(view, view.delete_button)
    assert view.confirm_box.layout.display == "flex"
    assert "CompanyHub2" in view.confirm_text.value
    assert f"{len(expected) - 1} model references" in view.confirm_text.value
    assert all(name in view.confirm_text.value for name in expected - {present})
    await click(view, view.cancel_button)
    assert view.confirm_box.layout.display == "none" and hub_exists(sm, "CompanyHub2")
    await click(view, view.delete_button)
    await click(view, view.confirm_button)
    assert view.errors == []
    assert not hub_exists(sm, "CompanyHub2")
    assert "CompanyHub2" not in [value for _, value in view.hub_select.options]
    assert view.last_result["deleted"] is True and len(view.last_result["removed"]) == len(expected) - 1
    assert f"Deleted hub CompanyHub2: {len(expected) - 1} items removed." in view.notice.value


async def test_errors_reach_the_banner_callback(admin, sm):
    view = admin()
    view.load()
    await settle(view)
    view.new_name.value = "Not a valid name!"
    view.new_description.value = "x"
    await click(view, view.create_button)
    assert len(view.errors) == 1 and "not valid" in view.errors[0].message
    assert view.hub != "Not a valid name!"


async def test_share_through_the_widget(admin, sm):
    view = admin()
    view.load()
    await settle(view)
    await create(view, "WidgetShareHub")
    view.accounts.value = SHARE_ACCOUNT
    view.permission.value = "ReadAndUse"
    await click(view, view.share_button)
    assert view.errors == []
    assert SHARE_ACCOUNT in view.shares.value and "ReadAndUse" in view.shares.value
    view.accounts.value = SHARE_ACCOUNT
    await click(view, view.unshare_button)
    assert view.errors == []
    assert SHARE_ACCOUNT not in view.shares.value and "Not shared with other accounts." in view.shares.value
