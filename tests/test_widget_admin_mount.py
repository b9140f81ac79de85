"""The hub-curation Admin view mounted in HubBrowser, driven as an administrator would (click, type,
pick) against the real server and the local service: the toolbar offers it only when ``GET curation``
allows it; a hub created and filled there shows up in the hubs list, and disappears once deleted there.
REST calls run on the panel's worker threads; ``settle`` waits for them off the event loop."""

from __future__ import annotations

import pytest
from eula_support import DenyCuration
from hub_support import drop_hub, hub_exists, reference_names
from widget_support import click, on_screen, settle, texts, visible, widgets

from jumpstart_lab.widget.browser import HubBrowser

HUB = "MountedHub"


@pytest.fixture(autouse=True)
def no_hub_left(sm):
    yield
    drop_hub(sm, HUB)


def hub_cards_text(browser: HubBrowser) -> str:
    return texts(browser.hubs_view)


async def test_admin_flow_through_the_mounted_view(make_browser, sm):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""
    assert b.curation["allowed"] is True
    assert visible(b.admin_button) and b.admin_button.tooltip.startswith("Admin")
    assert b.admin_button in list(widgets(b))
    assert b.admin is None  # nothing is loaded before the admin asks for it
    assert HUB not in b.hubs_view.open_buttons

    await click(b, b.admin_button)
    view = b.admin
    assert view is not None and on_screen(b) == "admin"
    assert b.content.children == (view.widget,) and visible(b.back)
    assert b.error.message == ""
    assert "Hub administration" in view.widget.children[0].value
    assert "CompanyHub" in [value for _, value in view.hub_select.options]
    expected = reference_names(sm, "CompanyHub")  # the seeded hub holds every meta model

    # create the hub
    view.create.name.value = HUB
    view.create.display_name.value = "Mounted Hub (allowlisted)"
    view.create.description.value = "Allowlisted models taken from the JumpStart Public Hub."
    await click(b, view.create.create_button)
    assert b.error.message == ""
    assert view.hub == HUB and f"Created hub {HUB}." in view.notice.value

    # add every meta model by filter, with the progress bar
    view.adding.filters["framework"].value = "meta"
    await click(b, view.adding.find_button)
    assert f"{len(expected)} of {len(expected)} public models shown" in view.adding.match_count.value
    view.adding.select_all.value = True
    await click(b, view.adding.add_button)
    assert b.error.message == ""
    assert visible(view.progress)
    assert view.progress.value == view.progress.max == len(expected)
    assert f"{len(expected)} added, 0 already in the hub, 0 failed." in view.adding.result.value
    assert reference_names(sm, HUB) == expected
    assert set(view.references.boxes) == expected

    # back to the hubs: the new hub is listed, with its models
    await click(b, b.back)
    assert on_screen(b) == "hubs" and b.error.message == ""
    assert HUB in b.hubs_view.open_buttons
    assert "Mounted Hub (allowlisted)" in hub_cards_text(b) and "Private hub" in hub_cards_text(b)
    count = f"{len(expected)} models"
    assert b.hubs_view.count_text(HUB) == count and count in b.hubs_view.open_buttons[HUB].description

    # the same view again (not a new one), then delete after a confirmation naming what goes
    await click(b, b.admin_button)
    assert b.admin is view and on_screen(b) == "admin"
    assert view.hub == HUB
    await click(b, view.deleting.delete_button)
    assert visible(view.deleting.confirm_box)
    assert f"Delete hub {HUB}?" in view.deleting.confirm_text.value
    assert f"{len(expected)} model references" in view.deleting.confirm_text.value
    assert all(f"<li>{name}</li>" in view.deleting.confirm_text.value for name in expected)
    await click(b, view.deleting.confirm_button)
    assert b.error.message == ""
    assert not hub_exists(sm, HUB)
    assert f"Deleted hub {HUB}: {len(expected)} items removed." in view.notice.value

    # leaving through Hubs: gone from the list, the other hubs are still there
    await click(b, b.home)
    assert on_screen(b) == "hubs" and b.error.message == ""
    assert HUB not in b.hubs_view.open_buttons
    assert "Mounted Hub (allowlisted)" not in hub_cards_text(b)
    assert {"SageMakerPublicHub", "CompanyHub"} <= set(b.hubs_view.open_buttons)


async def test_admin_errors_show_in_the_panel_banner(make_browser, sm):
    b = make_browser()
    await settle(b)
    await click(b, b.admin_button)
    view = b.admin
    view.create.name.value = "Not a valid name!"
    view.create.description.value = "x"
    await click(b, view.create.create_button)
    assert "not valid" in b.error.message and "Traceback" not in b.error.message
    assert view.hub != "Not a valid name!"
    # still usable: Back reaches the hubs list and clears the banner
    await click(b, b.back)
    assert on_screen(b) == "hubs" and b.error.message == ""
    assert "CompanyHub" in b.hubs_view.open_buttons


async def test_admin_view_in_german(make_browser):
    b = make_browser(locale="de")
    await settle(b)
    assert b.admin_button.tooltip.startswith("Verwaltung")
    await click(b, b.admin_button)
    assert b.error.message == ""
    assert "Hub-Verwaltung" in b.admin.widget.children[0].value
    assert b.admin.create.create_button.description == "Hub erstellen"


@pytest.mark.parametrize(
    ("curation_mode", "reason"),
    [("disabled", "allow_curation"), ("deny", "not authorized to curate")],
)
async def test_no_admin_button_when_curation_is_refused(make_browser, reason):
    b = make_browser()
    await settle(b)
    assert b.error.message == ""  # browsing still works
    assert {"SageMakerPublicHub", "CompanyHub"} <= set(b.hubs_view.open_buttons)
    assert b.curation["allowed"] is False and reason in b.curation["reason"]
    assert not visible(b.admin_button)
    b.show_admin()  # e.g. a stale command: explained, nothing mounted
    await settle(b)
    assert on_screen(b) == "hubs" and b.admin is None and "admin" not in b.views
    assert reason in b.error.message


async def test_admin_page_closes_when_curation_is_revoked(make_browser, jp_serverapp):
    b = make_browser()
    await settle(b)
    await click(b, b.admin_button)
    assert on_screen(b) == "admin" and b.error.message == ""
    # the deployment's policy changes while the page is open; the next Refresh takes the Admin view away
    authorizer = DenyCuration(parent=jp_serverapp, identity_provider=jp_serverapp.identity_provider)
    jp_serverapp.web_app.settings["authorizer"] = authorizer
    await click(b, b.refresh)
    assert on_screen(b) == "hubs" and not visible(b.admin_button)
    assert "not authorized to curate" in b.error.message
    assert "CompanyHub" in b.hubs_view.open_buttons
