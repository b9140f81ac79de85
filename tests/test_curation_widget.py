"""The Admin view driven as an administrator would (type, pick, click) against the real server and the
local service: the private-hubs blog's admin flow through the widget. REST calls run on the view's
worker thread; ``settle`` waits for them off the event loop so the server can answer."""

from __future__ import annotations

import asyncio

import pytest
from hub_support import SHARE_ACCOUNT, drop_hub, hub_exists, import_model, reference_names
from widget_support import click, settle, visible

from jumpstart_lab.client import ApiError
from jumpstart_lab.widget.admin import AdminView, curation_status
from jumpstart_lab.widget.admin.adding import summary
from jumpstart_lab.widget.i18n import Translator

OTHER_ACCOUNT = "777788889999"
HUBS = ("CompanyHub2", "WidgetShareHub", "WidgetDeleteHub", "WidgetChunkHub", "WidgetQueryHub", "WidgetPinHub")


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
    for name in HUBS:
        drop_hub(sm, name)


def record(progress) -> list[int]:
    """Every value the progress bar takes from now on."""
    seen: list[int] = []
    progress.observe(lambda change: seen.append(change["new"]), "value")
    return seen


async def create(view: AdminView, name: str) -> None:
    view.create.name.value = name
    view.create.display_name.value = f"{name} (allowlisted)"
    view.create.description.value = "These are allowlisted models taken from the JumpStart Public Hub."
    view.create.keywords.value = "allowlisted, meta"
    await click(view, view.create.create_button)
    assert view.errors == []
    assert view.hub == name and view.hub_sections.layout.display == "flex"
    assert f"Created hub {name}." in view.notice.value


async def started(admin) -> AdminView:
    view = admin()
    view.load()
    await settle(view)
    assert view.errors == []
    return view


def live_shares(boto, hub_arn: str) -> list[dict]:
    found = boto("ram").get_resource_share_associations(associationType="RESOURCE", resourceArn=hub_arn)
    return [a for a in found["resourceShareAssociations"] if a["status"] in {"ASSOCIATED", "ASSOCIATING"}]


async def test_blog_admin_flow_through_the_widget(admin, sm, boto, jumpstart_client):
    """The whole blog flow in order: create CompanyHub2, add every meta model by filter (select all) with a
    moving progress bar, a partial failure, list, remove one, share with 444455556666, delete (unshared)."""
    assert (await asyncio.to_thread(curation_status, jumpstart_client))["allowed"] is True
    view = await started(admin)
    assert "CompanyHub" in [value for _, value in view.hub_select.options]
    assert "meta" in [value for _, value in view.adding.filters["framework"].options]

    # picking a hub shows what it holds (the seeded CompanyHub: every meta model)
    expected = reference_names(sm, "CompanyHub")
    assert len(expected) > 10  # the bar has many steps
    view.hub_select.value = "CompanyHub"
    await settle(view)
    assert set(view.references.boxes) == expected

    # 1. create CompanyHub2
    await create(view, "CompanyHub2")
    assert sm.describe_hub(HubName="CompanyHub2")["HubSearchKeywords"] == ["allowlisted", "meta"]
    assert "No models yet" in view.references.list.children[0].value

    # 2. framework == meta, select every result, add them with the progress bar (moving in steps)
    view.adding.filters["framework"].value = "meta"
    await click(view, view.adding.find_button)
    assert f"{len(expected)} of {len(expected)} public models shown" in view.adding.match_count.value
    view.adding.select_all.value = True
    seen = record(view.progress)
    await click(view, view.adding.add_button)
    assert view.errors == []
    assert visible(view.progress) and view.progress.value == view.progress.max == len(expected)
    assert [v for v in seen if v] == list(range(1, len(expected) + 1))  # the server reported every model
    assert f"{len(expected)} added, 0 already in the hub, 0 failed." in view.adding.result.value
    assert reference_names(sm, "CompanyHub2") == expected

    # partial failure: a typed id that is not in the public hub is reported, the rest is added or kept
    present = sorted(expected)[0]
    view.adding.select_all.value = False
    view.adding.model_ids.value = f"{present}, no-such-public-model"
    await click(view, view.adding.add_button)
    assert view.errors == []
    assert "0 added, 1 already in the hub, 1 failed." in view.adding.result.value
    assert "no-such-public-model" in view.adding.result.value and "SageMakerPublicHub" in view.adding.result.value
    assert reference_names(sm, "CompanyHub2") == expected

    # 3. the list shows them
    assert set(view.references.boxes) == expected

    # 4. remove one
    view.references.boxes[present].value = True
    await click(view, view.references.remove_button)
    assert view.errors == []
    assert reference_names(sm, "CompanyHub2") == expected - {present}
    assert set(view.references.boxes) == expected - {present}

    # 5. share with 444455556666
    view.sharing.accounts.value = SHARE_ACCOUNT
    view.sharing.permission.value = "ReadAndUse"
    await click(view, view.sharing.share_button)
    assert view.errors == []
    assert SHARE_ACCOUNT in view.sharing.shares.value and "ReadAndUse" in view.sharing.shares.value
    hub_arn = sm.describe_hub(HubName="CompanyHub2")["HubArn"]
    assert len(live_shares(boto, hub_arn)) == 1

    # 6. delete, after a confirmation that names what will be removed; Cancel first changes nothing
    left = expected - {present}
    await click(view, view.deleting.delete_button)
    assert view.deleting.confirm_box.layout.display == "flex"
    text = view.deleting.confirm_text.value
    assert "Delete hub CompanyHub2?" in text and f"{len(left)} model references:" in text
    assert all(f"<li>{name}</li>" in text for name in left)
    assert "It stops sharing the hub with 1 accounts:" in text and f"<li>{SHARE_ACCOUNT}</li>" in text
    assert "owned by the hub" not in text  # references only: nothing imported
    await click(view, view.deleting.cancel_button)
    assert view.deleting.confirm_box.layout.display == "none" and hub_exists(sm, "CompanyHub2")
    await click(view, view.deleting.delete_button)
    seen.clear()
    await click(view, view.deleting.confirm_button)
    assert view.errors == []
    steps = len(left) + 1  # each reference the server removed, then the hub
    assert [v for v in seen if v] == list(range(1, steps + 1))  # the bar moved through every step
    assert not hub_exists(sm, "CompanyHub2")
    assert "CompanyHub2" not in [value for _, value in view.hub_select.options]
    assert f"Deleted hub CompanyHub2: {len(left)} items removed." in view.notice.value
    assert live_shares(boto, hub_arn) == []  # the delete unshared the hub


async def test_delete_confirmation_names_everything_and_failures_say_what_is_left(admin, sm, boto, faults):
    """References, imported models (with their version counts) and the shared accounts are named before the
    delete; a removal failing midway reports what was removed and what is left, and deleting again finishes."""
    view = await started(admin)
    await create(view, "WidgetDeleteHub")
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    view.adding.model_ids.value = ", ".join(refs)
    await click(view, view.adding.add_button)
    assert "3 added, 0 already in the hub, 0 failed." in view.adding.result.value
    import_model(sm, "WidgetDeleteHub")
    view.sharing.accounts.value = f"{SHARE_ACCOUNT}, {OTHER_ACCOUNT}"
    await click(view, view.sharing.share_button)
    assert view.errors == []

    await click(view, view.deleting.delete_button)
    text = view.deleting.confirm_text.value
    assert "Delete hub WidgetDeleteHub? This cannot be undone. It removes:" in text
    assert "3 model references:" in text and all(f"<li>{r}</li>" in text for r in refs)
    assert "1 items owned by the hub (imported models, every version):" in text
    assert "<li>in-house-model (2 versions)</li>" in text
    assert "It stops sharing the hub with 2 accounts:" in text
    assert f"<li>{SHARE_ACCOUNT}</li>" in text and f"<li>{OTHER_ACCOUNT}</li>" in text

    # one reference removal is refused: the server still removes the others of that step, then stops; the
    # notice names what was removed and what is left
    faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")
    await click(view, view.deleting.confirm_button)
    assert len(view.errors) == 1 and isinstance(view.errors[0], ApiError) and view.errors[0].status == 403
    (kept,) = reference_names(sm, "WidgetDeleteHub")
    notice = view.notice.value
    assert "Hub WidgetDeleteHub is not deleted: " in notice and "no delete for you" in notice
    assert f"Stopped sharing with: {SHARE_ACCOUNT}, {OTHER_ACCOUNT}" in notice
    removed, remaining = notice.split("Still in the hub (3):")
    assert "Removed before the error (2):" in removed
    assert all(f"<li>ModelReference {r}</li>" in removed for r in refs if r != kept)
    assert f"<li>ModelReference {kept}</li>" in remaining
    assert "<li>Model in-house-model 1.0.0</li>" in remaining and "<li>Model in-house-model 1.1.0</li>" in remaining
    assert view.progress.value == 0 and not visible(view.progress)  # not stuck half-way
    assert hub_exists(sm, "WidgetDeleteHub")
    assert set(view.references.boxes) == {kept}  # the list shows what the hub holds now

    # again: the reference goes, then one of the two versions is refused; the report says which is left
    view.errors.clear()
    await click(view, view.deleting.delete_button)
    text = view.deleting.confirm_text.value
    assert "1 model references:" in text and "It stops sharing" not in text
    faults(action="DeleteHubContent", code="AccessDeniedException", message="version in use")
    await click(view, view.deleting.confirm_button)
    assert len(view.errors) == 1 and view.errors[0].details["remaining"]
    notice = view.notice.value
    assert (
        "version in use" in notice and "Removed before the error (2):" in notice and "Still in the hub (1):" in notice
    )
    (left,) = view.errors[0].details["remaining"]
    assert f"<li>Model in-house-model {left['version']}</li></ul>" in notice.split("Still in the hub (1):")[1]

    # and once more: done
    view.errors.clear()
    await click(view, view.deleting.delete_button)
    assert "<li>in-house-model (1 version)</li>" in view.deleting.confirm_text.value
    await click(view, view.deleting.confirm_button)
    assert view.errors == []
    assert "Deleted hub WidgetDeleteHub: 1 items removed." in view.notice.value
    assert not hub_exists(sm, "WidgetDeleteHub")


async def test_adding_by_filter_lists_the_models_aws_refused(admin, sm, faults):
    """Every match of the search is sent as the filter; two CreateHubContentReference calls are refused (an error
    botocore does not retry): those two are listed with AWS's message, the others are added, the bar ends full."""
    view = await started(admin)
    await create(view, "WidgetChunkHub")
    meta = reference_names(sm, "CompanyHub")
    view.adding.filters["framework"].value = "meta"
    await click(view, view.adding.find_button)
    view.adding.select_all.value = True
    faults(action="CreateHubContentReference", code="AccessDeniedException", message="not yours", count=2)
    await click(view, view.adding.add_button)
    assert view.errors == []
    result = view.adding.result.value
    assert f"{len(meta) - 2} added, 0 already in the hub, 2 failed." in result and result.count("not yours") == 2
    assert view.progress.value == view.progress.max == len(meta)
    added = reference_names(sm, "WidgetChunkHub")
    assert len(added) == len(meta) - 2 and added < meta
    assert set(view.references.boxes) == added  # reloaded


async def test_a_refused_add_says_why_and_resets_the_bar(admin, sm, faults):
    view = await started(admin)
    await create(view, "WidgetChunkHub")
    view.adding.filters["framework"].value = "meta"
    await click(view, view.adding.find_button)
    view.adding.select_all.value = True
    faults(action="DescribeHub", code="AccessDeniedException", message="not allowed to DescribeHub")
    await click(view, view.adding.add_button)
    assert len(view.errors) == 1 and view.errors[0].status == 403
    assert "0 added, 0 already in the hub, 0 failed." in view.adding.result.value
    assert "not allowed to DescribeHub" in view.adding.result.value
    assert view.progress.value == 0 and not visible(view.progress)
    assert reference_names(sm, "WidgetChunkHub") == set()


async def test_select_all_uses_the_search_on_screen(admin, sm):
    """Select all adds what the last search found, even when the controls were changed since."""
    view = await started(admin)
    await create(view, "WidgetQueryHub")
    meta = reference_names(sm, "CompanyHub")
    view.adding.filters["framework"].value = "meta"
    await click(view, view.adding.find_button)
    assert f"{len(meta)} of {len(meta)} public models shown" in view.adding.match_count.value
    view.adding.filters["framework"].value = ""  # changed after the search, not searched again
    view.adding.search.value = "flan"
    view.adding.select_all.value = True
    await click(view, view.adding.add_button)
    assert view.errors == []
    assert reference_names(sm, "WidgetQueryHub") == meta


async def test_minimum_version_pins_references_and_updates_them(admin, sm):
    """The optional minimum version goes with the references (MinVersion); set again, existing ones are updated."""
    view = await started(admin)
    await create(view, "WidgetPinHub")
    model = "meta-textgeneration-llama-2-13b-f"
    latest = sm.describe_hub_content(HubName="SageMakerPublicHub", HubContentType="Model", HubContentName=model)

    def pinned() -> str | None:
        ref = sm.describe_hub_content(HubName="WidgetPinHub", HubContentType="ModelReference", HubContentName=model)
        return ref.get("ReferenceMinVersion")

    view.adding.model_ids.value, view.adding.min_version.value = model, "latest"
    await click(view, view.adding.add_button)
    assert "latest is not a version like 1.0.0." in view.adding.result.value
    assert reference_names(sm, "WidgetPinHub") == set()  # nothing was sent

    view.adding.min_version.value = "1.0.0"
    await click(view, view.adding.add_button)
    assert view.errors == [] and "1 added" in view.adding.result.value and pinned() == "1.0.0"

    view.adding.model_ids.value, view.adding.min_version.value = model, latest["HubContentVersion"]
    await click(view, view.adding.add_button)
    assert "1 updated to the new minimum version." in view.adding.result.value
    assert pinned() == latest["HubContentVersion"]


def test_summary_counts_updated_references():
    results = [{"model_id": "a", "status": "updated"}, {"model_id": "b", "status": "added"}]
    text = summary(results, Translator("en"))
    assert text == "1 added, 0 already in the hub, 0 failed. 1 updated to the new minimum version."


async def test_errors_reach_the_banner_callback(admin, sm):
    view = admin()
    view.load()
    await settle(view)
    view.create.name.value = "Not a valid name!"
    view.create.description.value = "x"
    await click(view, view.create.create_button)
    assert len(view.errors) == 1 and "not valid" in view.errors[0].message
    assert view.hub != "Not a valid name!"


async def test_share_through_the_widget(admin, sm):
    view = admin()
    view.load()
    await settle(view)
    await create(view, "WidgetShareHub")
    view.sharing.accounts.value = SHARE_ACCOUNT
    view.sharing.permission.value = "ReadAndUse"
    await click(view, view.sharing.share_button)
    assert view.errors == []
    assert SHARE_ACCOUNT in view.sharing.shares.value and "ReadAndUse" in view.sharing.shares.value
    view.sharing.accounts.value = SHARE_ACCOUNT
    await click(view, view.sharing.unshare_button)
    assert view.errors == []
    shares = view.sharing.shares.value
    assert SHARE_ACCOUNT not in shares and "Not shared with other accounts." in shares
