"""Deleting a private hub through the REST API: owned models in every version, references, RAM shares,
waiting for AWS, and what a failed delete says was removed and what is left."""

from __future__ import annotations

from hub_support import SHARE_ACCOUNT, hub_exists, import_model, owned_versions, reference_names
from openapi_support import assert_documented


async def test_delete_hub_removes_owned_models_all_versions(api, sm, private_hub):
    hub = (await private_hub())["name"]
    import_model(sm, hub)
    model = sorted(reference_names(sm, "CompanyHub"))[0]
    assert (await api("POST", f"hubs/{hub}/references", body={"models": [model]})).json()["added"] == 1

    r = await api("DELETE", f"hubs/{hub}")
    assert r.code == 200, r.body
    removed = [(x["content_type"], x["model_id"], x["version"]) for x in r.json()["removed"]]
    assert removed[0] == ("ModelReference", model, None)  # references first, then owned content
    assert sorted(removed[1:]) == [("Model", "in-house-model", "1.0.0"), ("Model", "in-house-model", "1.1.0")]
    assert not hub_exists(sm, hub)


async def test_hub_contents_names_everything_a_delete_removes(api, sm, private_hub):
    hub = await private_hub()
    name = hub["name"]
    empty = await api("GET", f"hubs/{name}/contents")
    assert empty.code == 200, empty.body
    nothing = {"references": [], "owned": [], "shares": [], "warnings": []}
    assert empty.json() == {"hub": name, "hub_arn": hub["arn"], **nothing}

    refs = sorted(reference_names(sm, "CompanyHub"))[:2]
    assert (await api("POST", f"hubs/{name}/references", body={"models": refs})).json()["added"] == 2
    import_model(sm, name)
    accounts = [SHARE_ACCOUNT, "777788889999"]
    shared = await api("POST", f"hubs/{name}/shares", body={"account_ids": accounts, "permission": "Read"})
    assert shared.code == 200, shared.body

    r = await api("GET", f"hubs/{name}/contents")
    assert r.code == 200, r.body
    assert_documented("GET", "/hubs/{hub}/contents", r)
    contents = r.json()
    assert contents["references"] == refs
    owned = {"content_type": "Model", "model_id": "in-house-model", "versions": ["1.0.0", "1.1.0"]}
    assert contents["owned"] == [owned]
    assert {p["principal"] for s in contents["shares"] for p in s["principals"]} == set(accounts)
    assert contents["warnings"] == []

    public = await api("GET", "hubs/SageMakerPublicHub/contents")
    assert public.code == 403 and public.json()["code"] == "PublicHubReadOnly"
    assert (await api("GET", "hubs/NoSuchHubAnywhere/contents")).code == 404


async def test_delete_hub_without_ram_rights_says_what_it_skipped(api, sm, private_hub, faults):
    hub = await private_hub()
    faults(action="GetResourceShareAssociations", service="ram", code="AccessDeniedException", message="no ram")
    r = await api("DELETE", f"hubs/{hub['name']}")
    assert r.code == 200, r.body
    assert r.json()["deleted"] is True and r.json()["shares_updated"] == []
    assert len(r.json()["warnings"]) == 1 and hub["arn"] in r.json()["warnings"][0]
    assert not hub_exists(sm, hub["name"])


async def test_delete_hub_waits_while_aws_finishes_deleting_content(api, sm, private_hub, faults, monkeypatch):
    from jumpstart_lab.curation import deletion

    monkeypatch.setattr(deletion, "DELETE_HUB_WAITS", (0.05, 0.05))
    message = "Hub has content that is still being deleted."
    hub = (await private_hub())["name"]
    faults(action="DeleteHub", code="ResourceInUse", message=message, count=2)  # AWS still deleting: retried
    r = await api("DELETE", f"hubs/{hub}")
    assert r.code == 200 and r.json()["deleted"] is True
    assert not hub_exists(sm, hub)

    hub = (await private_hub())["name"]
    faults(action="DeleteHub", code="ResourceInUse", message=message, count=3)  # longer than we wait
    r = await api("DELETE", f"hubs/{hub}")
    assert r.code == 409 and r.json()["code"] == "HubNotEmpty"
    assert message in r.json()["message"] and "again in a minute" in r.json()["message"]
    assert hub_exists(sm, hub)


async def test_failed_delete_says_what_was_removed_and_what_is_left(api, sm, boto, private_hub, faults):
    """A removal fails midway: the error (same status and code as the AWS failure) reports what was done
    before it and what the hub still holds; deleting again continues from there."""
    hub = await private_hub()
    name = hub["name"]
    refs = sorted(reference_names(sm, "CompanyHub"))[:4]
    assert (await api("POST", f"hubs/{name}/references", body={"models": refs})).json()["added"] == 4
    import_model(sm, name)
    owned = [{"content_type": "Model", "model_id": "in-house-model", "version": v} for v in ("1.0.0", "1.1.0")]
    shared = await api("POST", f"hubs/{name}/shares", body={"account_ids": [SHARE_ACCOUNT], "permission": "Read"})
    share_arn = shared.json()["shares"][0]["arn"]

    def key(item: dict) -> tuple:
        return item["content_type"], item["model_id"], item.get("version")

    # 1. One reference cannot be removed: the other references are, owned content is not started.
    denied = "not allowed to sagemaker:DeleteHubContentReference"
    faults(action="DeleteHubContentReference", code="AccessDeniedException", message=denied)
    r = await api("DELETE", f"hubs/{name}")
    assert r.code == 403, r.body
    assert_documented("DELETE", "/hubs/{hub}", r)
    error = r.json()
    assert error["code"] == "AccessDenied" and denied in error["message"]
    assert (
        f"Hub {name} is not deleted. Removed before this error: 3 items (see 'removed'); "
        "still in the hub: 3 (see 'remaining')." in error["message"]
    )
    assert (error["hub"], error["hub_arn"], error["deleted"]) == (name, hub["arn"], False)
    assert error["shares_updated"] == [share_arn]  # unsharing came first, and is reported too
    assert [x["content_type"] for x in error["removed"]] == ["ModelReference"] * 3
    (kept,) = set(refs) - {x["model_id"] for x in error["removed"]}
    assert sorted(map(key, error["remaining"])) == sorted([("ModelReference", kept, None), *map(key, owned)])
    assert hub_exists(sm, name) and reference_names(sm, name) == {kept}
    assert owned_versions(sm, name) == {("in-house-model", "1.0.0"), ("in-house-model", "1.1.0")}
    live = boto("ram").get_resource_share_associations(associationType="RESOURCE", resourceArn=hub["arn"])
    assert [a for a in live["resourceShareAssociations"] if a["status"] in {"ASSOCIATED", "ASSOCIATING"}] == []

    # 2. Again: the reference goes, then one version of the owned model fails; the other is still removed.
    faults(action="DeleteHubContent", code="AccessDeniedException", message="not allowed to delete that version")
    r = await api("DELETE", f"hubs/{name}")
    assert r.code == 403, r.body
    assert_documented("DELETE", "/hubs/{hub}", r)
    error = r.json()
    assert "Removed before this error: 2 items (see 'removed'); still in the hub: 1 " in error["message"]
    assert error["shares_updated"] == [] and error["deleted"] is False
    assert error["removed"][0] == {"content_type": "ModelReference", "model_id": kept, "version": None}
    assert sorted(map(key, error["removed"][1:] + error["remaining"])) == sorted(map(key, owned))
    (left,) = error["remaining"]
    assert hub_exists(sm, name) and reference_names(sm, name) == set()
    assert owned_versions(sm, name) == {(left["model_id"], left["version"])}

    # 3. Once more: the rest goes, then the hub.
    r = await api("DELETE", f"hubs/{name}")
    assert r.code == 200, r.body
    assert r.json()["removed"] == [left] and r.json()["deleted"] is True
    assert not hub_exists(sm, name)


async def test_failed_delete_before_listing_reports_no_remaining(api, sm, private_hub, faults):
    """The contents cannot be listed: nothing was removed, what remains is unknown (no 'remaining')."""
    name = (await private_hub())["name"]
    faults(action="ListHubContents", code="AccessDeniedException", message="no listing", count=-1)
    r = await api("DELETE", f"hubs/{name}")
    assert r.code == 403, r.body
    assert_documented("DELETE", "/hubs/{hub}", r)
    assert r.json()["removed"] == [] and "remaining" not in r.json() and r.json()["deleted"] is False
    assert hub_exists(sm, name)
