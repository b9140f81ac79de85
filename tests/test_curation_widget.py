"""The Admin view driven as an administrator would (type, pick, click) against the real server and the
local service: the private-hubs blog's admin flow through the widget. REST calls run on the view's
worker thread; ``settle`` waits for them off the event loop so the server can answer."""

from __future__ import annotations

import asyncio

import pytest
from conftest import hub_exists, reference_names

from jumpstart_lab.client import ApiError
from jumpstart_lab.widget.admin import AdminView, curation_status

SHARE_ACCOUNT = "444455556666"
OTHER_ACCOUNT = "777788889999"
HUBS = ("CompanyHub2", "WidgetShareHub", "WidgetDeleteHub", "WidgetChunkHub", "WidgetQueryHub", "WidgetPinHub")


def drop_hub(sm, name: str) -> None:
    """Whatever a test left: references, owned model versions, the hub."""
    if not hub_exists(sm, name):
        return
    for ref in reference_names(sm, name):
        sm.delete_hub_content_reference(HubName=name, HubContentType="ModelReference", HubContentName=ref)
    for item in sm.list_hub_contents(HubName=name, HubContentType="Model", MaxResults=100)["HubContentSummaries"]:
        model = item["HubContentName"]
        versions = sm.list_hub_content_versions(
            HubName=name, HubContentType="Model", HubContentName=model, MaxResults=100
        )["HubContentSummaries"]
        for v in versions:
            sm.delete_hub_content(
                HubName=name, HubContentType="Model", HubContentName=model, HubContentVersion=v["HubContentVersion"]
            )
    sm.delete_hub(HubName=name)


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


async def started(admin) -> AdminView:
    view = admin()
    view.load()
    await settle(view)
    assert view.errors == []
    return view


def import_model(sm, hub: str, name: str = "in-house-model", versions=("1.0.0", "1.1.0")) -> None:
    """Owned content: a public model's document imported into the hub, in several versions."""
    source = sorted(reference_names(sm, "CompanyHub"))[0]
    public = sm.describe_hub_content(HubName="SageMakerPublicHub", HubContentType="Model", HubContentName=source)
    for version in versions:
        sm.import_hub_content(
            HubName=hub, HubContentName=name, HubContentVersion=version, HubContentType="Model",
            DocumentSchemaVersion=public["DocumentSchemaVersion"], HubContentDocument=public["HubContentDocument"],
        )  # fmt: skip


def live_shares(boto, hub_arn: str) -> list[dict]:
    found = boto("ram").get_resource_share_associations(associationType="RESOURCE", resourceArn=hub_arn)
    return [a for a in found["resourceShareAssociations"] if a["status"] in {"ASSOCIATED", "ASSOCIATING"}]


async def test_blog_admin_flow_through_the_widget(admin, sm, boto, jumpstart_client):
    """The whole blog flow in order: create CompanyHub2, add every meta model by filter (select all) with a
    moving progress bar, a partial failure, list, remove one, share with 444455556666, delete (unshared)."""
    assert (await asyncio.to_thread(curation_status, jumpstart_client))["allowed"] is True
    view = await started(admin)
    assert "CompanyHub" in [value for _, value in view.hub_select.options]
    assert "meta" in [value for _, value in view.filters["framework"].options]

    # picking a hub shows what it holds (the seeded CompanyHub: every meta model)
    expected = reference_names(sm, "CompanyHub")
    assert len(expected) > 10  # more than one chunk of 10: the bar has steps in between
    view.hub_select.value = "CompanyHub"
    await settle(view)
    assert set(view.reference_boxes) == expected

    # 1. create CompanyHub2
    await create(view, "CompanyHub2")
    assert sm.describe_hub(HubName="CompanyHub2")["HubSearchKeywords"] == ["allowlisted", "meta"]
    assert "No models yet" in view.reference_list.children[0].value

    # 2. framework == meta, select every result, add them with the progress bar (moving in steps)
    view.filters["framework"].value = "meta"
    await click(view, view.find_button)
    assert view.total_matches == len(expected)
    assert f"of {len(expected)} public models shown" in view.match_count.value
    view.select_all.value = True
    seen = record(view.progress)
    await click(view, view.add_button)
    assert view.errors == []
    assert view.progress.value == view.progress.max == len(expected)
    assert [v for v in seen if v] == [10, len(expected)]
    assert f"{len(expected)} added, 0 already in the hub, 0 failed." in view.result.value
    assert reference_names(sm, "CompanyHub2") == expected

    # partial failure: a typed id that is not in the public hub is reported, the rest is added or kept
    present = sorted(expected)[0]
    view.select_all.value = False
    view.model_ids.value = f"{present}, no-such-public-model"
    await click(view, view.add_button)
    assert view.errors == []
    assert "0 added, 1 already in the hub, 1 failed." in view.result.value
    assert "no-such-public-model" in view.result.value and "SageMakerPublicHub" in view.result.value
    assert reference_names(sm, "CompanyHub2") == expected

    # 3. the list shows them
    assert set(view.reference_boxes) == expected

    # 4. remove one
    view.reference_boxes[present].value = True
    await click(view, view.remove_button)
    assert view.errors == []
    assert reference_names(sm, "CompanyHub2") == expected - {present}
    assert set(view.reference_boxes) == expected - {present}

    # 5. share with 444455556666
    view.accounts.value = SHARE_ACCOUNT
    view.permission.value = "ReadAndUse"
    await click(view, view.share_button)
    assert view.errors == []
    assert SHARE_ACCOUNT in view.shares.value and "ReadAndUse" in view.shares.value
    hub_arn = sm.describe_hub(HubName="CompanyHub2")["HubArn"]
    assert len(live_shares(boto, hub_arn)) == 1

    # 6. delete, after a confirmation that names what will be removed; Cancel first changes nothing
    left = expected - {present}
    await click(view, view.delete_button)
    assert view.confirm_box.layout.display == "flex"
    text = view.confirm_text.value
    assert "Delete hub CompanyHub2?" in text and f"{len(left)} model references:" in text
    assert all(f"<li>{name}</li>" in text for name in left)
    assert "It stops sharing the hub with 1 accounts:" in text and f"<li>{SHARE_ACCOUNT}</li>" in text
    assert "owned by the hub" not in text  # references only: nothing imported
    await click(view, view.cancel_button)
    assert view.confirm_box.layout.display == "none" and hub_exists(sm, "CompanyHub2")
    await click(view, view.delete_button)
    seen.clear()
    await click(view, view.confirm_button)
    assert view.errors == []
    steps = 1 + len(left) + 1  # stop sharing with the account, each reference, then the hub
    assert [v for v in seen if v] == list(range(1, steps + 1))  # the bar moved through every step
    assert not hub_exists(sm, "CompanyHub2")
    assert "CompanyHub2" not in [value for _, value in view.hub_select.options]
    assert view.last_result["deleted"] is True and len(view.last_result["removed"]) == len(left)
    assert view.last_result["unshared"] == [SHARE_ACCOUNT] and view.last_result["shares_updated"]
    assert f"Deleted hub CompanyHub2: {len(left)} items removed." in view.notice.value
    assert live_shares(boto, hub_arn) == []  # the delete unshared the hub


async def test_delete_confirmation_names_everything_and_failures_say_what_is_left(admin, sm, boto, faults):
    """References, imported models (with their version counts) and the shared accounts are named before the
    delete; a removal failing midway reports what was removed and what is left, and deleting again finishes."""
    view = await started(admin)
    await create(view, "WidgetDeleteHub")
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    view.model_ids.value = ", ".join(refs)
    await click(view, view.add_button)
    assert "3 added, 0 already in the hub, 0 failed." in view.result.value
    import_model(sm, "WidgetDeleteHub")
    view.accounts.value = f"{SHARE_ACCOUNT}, {OTHER_ACCOUNT}"
    await click(view, view.share_button)
    assert view.errors == []

    await click(view, view.delete_button)
    text = view.confirm_text.value
    assert "Delete hub WidgetDeleteHub? This cannot be undone. It removes:" in text
    assert "3 model references:" in text and all(f"<li>{r}</li>" in text for r in refs)
    assert "1 items owned by the hub (imported models, every version):" in text
    assert "<li>in-house-model (2 versions)</li>" in text
    assert "It stops sharing the hub with 2 accounts:" in text
    assert f"<li>{SHARE_ACCOUNT}</li>" in text and f"<li>{OTHER_ACCOUNT}</li>" in text

    # the second reference removal is refused: the first is gone, the rest is named as still there
    def refuse_after_first_reference(change) -> None:
        if change["new"] == 2 + 1:  # both accounts unshared, one reference removed
            faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")

    view.progress.observe(refuse_after_first_reference, "value")
    await click(view, view.confirm_button)
    view.progress.unobserve(refuse_after_first_reference, "value")
    assert len(view.errors) == 1 and isinstance(view.errors[0], ApiError) and view.errors[0].status == 403
    notice = view.notice.value
    assert "Hub WidgetDeleteHub is not deleted: " in notice and "no delete for you" in notice
    assert f"Stopped sharing with: {SHARE_ACCOUNT}, {OTHER_ACCOUNT}" in notice
    assert f"Removed before the error (1):</div><ul><li>ModelReference {refs[0]}</li></ul>" in notice
    assert "Still in the hub (4):" in notice
    assert all(f"<li>ModelReference {r}</li>" in notice for r in refs[1:])
    assert "<li>Model in-house-model 1.0.0</li>" in notice and "<li>Model in-house-model 1.1.0</li>" in notice
    assert view.progress.value == 0 and view.progress.layout.display == "none"  # not stuck half-way
    assert hub_exists(sm, "WidgetDeleteHub") and reference_names(sm, "WidgetDeleteHub") == set(refs[1:])
    assert set(view.reference_boxes) == set(refs[1:])  # the list shows what the hub holds now

    # again: the references go, then DELETE hubs/{hub} fails on one version; its report is shown
    view.errors.clear()
    await click(view, view.delete_button)
    assert "2 model references:" in view.confirm_text.value and "It stops sharing" not in view.confirm_text.value
    faults(action="DeleteHubContent", code="AccessDeniedException", message="version in use")
    await click(view, view.confirm_button)
    assert len(view.errors) == 1 and view.errors[0].details["remaining"]
    notice = view.notice.value
    assert (
        "version in use" in notice and "Removed before the error (3):" in notice and "Still in the hub (1):" in notice
    )
    (left,) = view.errors[0].details["remaining"]
    assert f"<li>Model in-house-model {left['version']}</li></ul>" in notice.split("Still in the hub (1):")[1]

    # and once more: done
    view.errors.clear()
    await click(view, view.delete_button)
    assert "<li>in-house-model (1 version)</li>" in view.confirm_text.value
    await click(view, view.confirm_button)
    assert view.errors == []
    assert "Deleted hub WidgetDeleteHub: 1 items removed." in view.notice.value
    assert not hub_exists(sm, "WidgetDeleteHub")


async def test_a_failed_chunk_keeps_the_results_so_far(admin, sm, faults, monkeypatch):
    """Chunk 2 of the add is refused: chunk 1's results are shown with the error, the list reloads, the bar resets."""
    view = await started(admin)
    await create(view, "WidgetChunkHub")
    view.filters["framework"].value = "meta"
    await click(view, view.find_button)
    view.select_all.value = True
    request, posts = view.client.request, []

    def refuse_second_post(method, path, **kwargs):
        if method == "POST" and path.endswith("/references"):
            posts.append(kwargs["json"]["models"])
            if len(posts) == 2:
                faults(action="DescribeHub", code="AccessDeniedException", message="not allowed to DescribeHub")
        return request(method, path, **kwargs)

    monkeypatch.setattr(view.client, "request", refuse_second_post)
    await click(view, view.add_button)
    first = set(posts[0])
    assert len(posts) == 2 and len(first) == 10
    assert len(view.errors) == 1 and view.errors[0].status == 403
    assert "10 added, 0 already in the hub, 0 failed." in view.result.value
    assert f"Stopped after 10 of {view.total_matches} models: " in view.result.value
    assert "not allowed to DescribeHub" in view.result.value
    assert view.progress.value == 0 and view.progress.layout.display == "none"
    assert [r["model_id"] for r in view.last_result["results"]] == posts[0]
    assert reference_names(sm, "WidgetChunkHub") == first
    assert set(view.reference_boxes) == first  # reloaded


async def test_select_all_uses_the_search_on_screen(admin, sm):
    """Select all adds what the last search found, even when the controls were changed since."""
    view = await started(admin)
    await create(view, "WidgetQueryHub")
    meta = reference_names(sm, "CompanyHub")
    view.filters["framework"].value = "meta"
    await click(view, view.find_button)
    assert view.total_matches == len(meta)
    view.filters["framework"].value = ""  # changed after the search, not searched again
    view.search.value = "flan"
    view.select_all.value = True
    await click(view, view.add_button)
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

    view.model_ids.value, view.min_version.value = model, "latest"
    await click(view, view.add_button)
    assert "latest is not a version like 1.0.0." in view.result.value
    assert reference_names(sm, "WidgetPinHub") == set()  # nothing was sent

    view.min_version.value = "1.0.0"
    await click(view, view.add_button)
    assert view.errors == [] and "1 added" in view.result.value and pinned() == "1.0.0"

    view.model_ids.value, view.min_version.value = model, latest["HubContentVersion"]
    await click(view, view.add_button)
    assert "1 updated to the new minimum version." in view.result.value
    assert pinned() == latest["HubContentVersion"]


def test_summary_counts_updated_references():
    view = AdminView(None, lambda exc: None, locale="en", background=False)  # type: ignore[arg-type]
    results = [{"model_id": "a", "status": "updated"}, {"model_id": "b", "status": "added"}]
    view._added({"hub": "ElsewhereHub", "requested": 2, "results": results})
    assert view.result.value == "1 added, 0 already in the hub, 0 failed. 1 updated to the new minimum version."
    view.close()


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
