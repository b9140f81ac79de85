"""Hub curation through the REST API against the local service: the private-hubs blog's admin flow
(create, allowlist by filter, min versions, share through RAM)."""

from __future__ import annotations

import json
from urllib.parse import quote

from hub_support import SHARE_ACCOUNT, content_names, hub_exists, reference_names, unique

from jumpstart_lab.curation.sharing import PERMISSION_NAMES


def public_model_names(sm) -> set[str]:
    return content_names(sm, "SageMakerPublicHub", "Model")


async def browse_ids(api, hub: str) -> set[str]:
    """What a user browsing the hub sees (the cached catalog, GET hubs/{hub}/models)."""
    r = await api("GET", f"hubs/{hub}/models", params={"limit": "200"})
    assert r.code == 200, r.body
    page = r.json()
    assert page["total"] == len(page["models"])
    assert all(m["content_type"] == "ModelReference" for m in page["models"])
    return {m["model_id"] for m in page["models"]}


async def hub_names(api) -> set[str]:
    r = await api("GET", "hubs")
    assert r.code == 200, r.body
    return {h["name"] for h in r.json()["hubs"]}


async def test_blog_admin_flow(api, sm, private_hub):
    """Create CompanyHub2, allowlist every meta model by filter, list, remove one, delete (RAM: next test)."""
    status = await api("GET", "curation")
    assert status.code == 200 and status.json()["allowed"] is True
    assert "CompanyHub2" not in await hub_names(api)  # the hub list is now cached

    # 1. Create the hub.
    hub = await private_hub("CompanyHub2", keywords=["allowlisted", "meta only"])
    assert hub["name"] == "CompanyHub2" and hub["kind"] == "private"
    assert hub["arn"].endswith(":hub/CompanyHub2") and hub["display_name"] == "CompanyHub2 display"
    assert sm.describe_hub(HubName="CompanyHub2")["HubSearchKeywords"] == ["allowlisted", "meta only"]
    assert "CompanyHub2" in await hub_names(api)  # the cached hub list was invalidated
    again = await api("POST", "hubs", body={"name": "CompanyHub2", "display_name": "x", "description": "y"})
    assert again.code == 409 and again.json()["code"] == "Conflict"
    assert await browse_ids(api, "CompanyHub2") == set()  # the (empty) catalog is now cached

    # 2. Allowlist every meta model by filter; the seeded CompanyHub holds exactly those (the blog's result).
    expected = reference_names(sm, "CompanyHub")
    assert len(expected) >= 2
    added = await api("POST", "hubs/CompanyHub2/references", body={"filter": {"framework": "meta"}})
    assert added.code == 200, added.body
    result = added.json()
    assert {r["model_id"] for r in result["results"]} == expected
    assert result["added"] == len(expected) and result["failed"] == 0 and result["already_present"] == 0
    assert all(
        r["status"] == "added" and ":hub-content/CompanyHub2/ModelReference/" in r["hub_content_arn"]
        for r in result["results"]
    )
    assert reference_names(sm, "CompanyHub2") == expected

    # Idempotent: the same request again changes nothing and says so per model.
    repeat = (await api("POST", "hubs/CompanyHub2/references", body={"filter": {"framework": "meta"}})).json()
    assert repeat["added"] == 0 and repeat["already_present"] == len(expected)
    assert reference_names(sm, "CompanyHub2") == expected

    # 3. List them: what users browsing the hub see (catalog invalidated), and the admin listing.
    assert await browse_ids(api, "CompanyHub2") == expected
    listed = await api("GET", "hubs/CompanyHub2/references")
    assert listed.code == 200
    assert {r["model_id"] for r in listed.json()["references"]} == expected
    assert all(
        r["public_content_arn"] and ":aws:hub-content/SageMakerPublicHub/Model/" in r["public_content_arn"]
        for r in listed.json()["references"]
    )

    # 4. Remove one.
    victim = sorted(expected)[0]
    removed = await api("DELETE", f"hubs/CompanyHub2/references/{victim}")
    assert removed.code == 200 and removed.json() == {"hub": "CompanyHub2", "model_id": victim, "status": "removed"}
    assert reference_names(sm, "CompanyHub2") == expected - {victim}
    assert await browse_ids(api, "CompanyHub2") == expected - {victim}
    gone = await api("DELETE", f"hubs/CompanyHub2/references/{victim}")
    assert gone.code == 404 and gone.json()["code"] == "NotFound"

    # 5. Delete the hub: every reference removed, then the hub.
    deleted = await api("DELETE", "hubs/CompanyHub2")
    assert deleted.code == 200, deleted.body
    summary = deleted.json()
    assert summary["deleted"] is True and summary["hub"] == "CompanyHub2" and summary["hub_arn"] == hub["arn"]
    assert {r["model_id"] for r in summary["removed"]} == expected - {victim}
    assert {r["content_type"] for r in summary["removed"]} == {"ModelReference"}
    assert not hub_exists(sm, "CompanyHub2")
    assert "CompanyHub2" not in await hub_names(api)
    after = await api("DELETE", "hubs/CompanyHub2")
    assert after.code == 404


async def test_share_with_another_account_through_ram(api, sm, boto, private_hub):
    """The blog's last admin step: share the hub with 444455556666, change the permission, unshare on delete."""
    hub = await private_hub(unique("SharedHub"))
    name = hub["name"]
    assert (await api("GET", f"hubs/{name}/shares")).json() == {"hub": name, "hub_arn": hub["arn"], "shares": []}

    share_body = {"account_ids": [SHARE_ACCOUNT], "permission": "ReadAndUse"}
    shared = await api("POST", f"hubs/{name}/shares", body=share_body)
    assert shared.code == 200, shared.body
    shares = shared.json()["shares"]
    assert [s["permission"] for s in shares] == ["ReadAndUse"]
    assert [p["principal"] for p in shares[0]["principals"]] == [SHARE_ACCOUNT]
    assert shares[0]["principals"][0]["status"] in {"ASSOCIATING", "ASSOCIATED"}
    ram = boto("ram")
    share_arn = shares[0]["arn"]
    principals = ram.get_resource_share_associations(associationType="PRINCIPAL", resourceShareArns=[share_arn])
    assert [a["associatedEntity"] for a in principals["resourceShareAssociations"]] == [SHARE_ACCOUNT]
    resources = ram.get_resource_share_associations(associationType="RESOURCE", resourceShareArns=[share_arn])
    assert [a["associatedEntity"] for a in resources["resourceShareAssociations"]] == [hub["arn"]]
    permissions = ram.list_resource_share_permissions(resourceShareArn=share_arn)["permissions"]
    assert [p["arn"].rsplit("/", 1)[-1] for p in permissions] == [PERMISSION_NAMES["ReadAndUse"]]
    assert (await api("GET", f"hubs/{name}/shares")).json() == shared.json()

    # Sharing again is idempotent; a new permission moves the account to the share with that permission.
    assert (await api("POST", f"hubs/{name}/shares", body=share_body)).json() == shared.json()
    changed = await api("POST", f"hubs/{name}/shares", body={**share_body, "permission": "Read"})
    assert changed.code == 200, changed.body
    by_permission = {s["permission"]: [p["principal"] for p in s["principals"]] for s in changed.json()["shares"]}
    assert by_permission["Read"] == [SHARE_ACCOUNT]
    assert SHARE_ACCOUNT not in by_permission.get("ReadAndUse", [])

    # Stop sharing with one account: gone from every share; a second time is a 404.
    other = "777788889999"
    both = await api("POST", f"hubs/{name}/shares", body={"account_ids": [other], "permission": "Read"})
    read = next(s for s in both.json()["shares"] if s["permission"] == "Read")
    assert {p["principal"] for p in read["principals"]} == {SHARE_ACCOUNT, other}
    unshared = await api("DELETE", f"hubs/{name}/shares/{other}")
    assert unshared.code == 200, unshared.body
    assert all(other not in [p["principal"] for p in s["principals"]] for s in unshared.json()["shares"])
    assert (await api("GET", f"hubs/{name}/shares")).json() == unshared.json()
    again = await api("DELETE", f"hubs/{name}/shares/{other}")
    assert again.code == 404 and other in again.json()["message"]
    assert (await api("DELETE", f"hubs/{name}/shares/12345")).code == 400

    deleted = await api("DELETE", f"hubs/{name}")
    assert deleted.code == 200, deleted.body
    assert share_arn in deleted.json()["shares_updated"]
    live = ram.get_resource_share_associations(associationType="RESOURCE", resourceArn=hub["arn"])
    assert [a for a in live["resourceShareAssociations"] if a["status"] in {"ASSOCIATED", "ASSOCIATING"}] == []


async def test_partial_failure_is_reported_per_model(api, sm, private_hub):
    hub = (await private_hub())["name"]
    present = sorted(reference_names(sm, "CompanyHub"))[0]
    first = await api("POST", f"hubs/{hub}/references", body={"models": [present]})
    assert first.json()["added"] == 1

    other = sorted(public_model_names(sm) - {present})[0]
    body = {"models": [present, "no-such-model-in-public-hub", other]}
    r = await api("POST", f"hubs/{hub}/references", body=body)
    assert r.code == 200, r.body
    result = r.json()
    assert [x["model_id"] for x in result["results"]] == body["models"]  # nothing dropped, request order kept
    by_id = {x["model_id"]: x for x in result["results"]}
    assert by_id[present]["status"] == "already_present"
    assert by_id[other]["status"] == "added"
    missing = by_id["no-such-model-in-public-hub"]
    assert missing["status"] == "failed" and missing["code"] == "NotFound"
    assert "SageMakerPublicHub" in missing["message"]
    assert (result["requested"], result["added"], result["already_present"], result["failed"]) == (3, 1, 1, 1)
    assert reference_names(sm, hub) == {present, other}


async def test_filter_selects_exactly_what_the_catalog_search_shows(api, sm, private_hub):
    hub = (await private_hub())["name"]
    query = {"q": "llama", "gated": "true"}
    page = (await api("GET", "hubs/SageMakerPublicHub/models", params={**query, "limit": "200"})).json()
    shown = {m["model_id"] for m in page["models"]}
    assert 0 < len(shown) == page["total"]
    r = await api("POST", f"hubs/{hub}/references", body={"filter": {"q": "llama", "gated": True}})
    assert r.code == 200, r.body
    assert {x["model_id"] for x in r.json()["results"]} == shown and r.json()["added"] == len(shown)
    assert reference_names(sm, hub) == shown

    nothing = await api("POST", f"hubs/{hub}/references", body={"filter": {"q": "no model is called this"}})
    assert nothing.code == 200
    assert nothing.json() == {
        "hub": hub,
        "requested": 0,
        "added": 0,
        "updated": 0,
        "already_present": 0,
        "failed": 0,
        "results": [],
    }
    assert reference_names(sm, hub) == shown


async def test_filter_selects_every_match_across_server_pages(api, sm, private_hub, jp_serverapp, monkeypatch):
    """_filtered_ids pages through the catalog (FILTER_PAGE at a time): every match is referenced."""
    from jumpstart_lab.curation import service

    monkeypatch.setattr(service, "FILTER_PAGE", 4)
    catalog = jp_serverapp.web_app.settings["jumpstart_lab.services"].catalog
    search, pages = catalog.search, []

    def counting(hub, query):
        page = search(hub, query)
        pages.append((query.limit, len(page.models)))
        return page

    monkeypatch.setattr(catalog, "search", counting)
    hub = (await private_hub())["name"]
    expected = reference_names(sm, "CompanyHub")  # every meta model
    assert len(expected) > 2 * 4
    r = await api("POST", f"hubs/{hub}/references", body={"filter": {"framework": "meta"}})
    assert r.code == 200, r.body
    assert r.json()["added"] == r.json()["requested"] == len(expected)
    assert reference_names(sm, hub) == expected
    assert len(pages) == -(-len(expected) // 4) and all(limit == 4 for limit, _ in pages)


async def test_min_version_is_passed_to_the_reference(api, sm, private_hub):
    hub = (await private_hub())["name"]
    model = sorted(reference_names(sm, "CompanyHub"))[0]
    r = await api("POST", f"hubs/{hub}/references", body={"models": [model], "min_version": "1.0.0"})
    assert r.json()["added"] == 1
    described = sm.describe_hub_content(HubName=hub, HubContentType="ModelReference", HubContentName=model)
    assert described["ReferenceMinVersion"] == "1.0.0"


async def test_min_version_of_an_existing_reference_is_updated(api, sm, private_hub):
    hub = (await private_hub())["name"]
    model = "meta-textgeneration-llama-2-13b-f"
    latest = sm.describe_hub_content(HubName="SageMakerPublicHub", HubContentType="Model", HubContentName=model)
    assert latest["HubContentVersion"] != "1.0.0"  # the demo model has several versions

    def pinned() -> str | None:
        ref = sm.describe_hub_content(HubName=hub, HubContentType="ModelReference", HubContentName=model)
        return ref.get("ReferenceMinVersion")

    async def post(min_version: str | None = None) -> dict:
        body = {"models": [model]} | ({"min_version": min_version} if min_version else {})
        r = await api("POST", f"hubs/{hub}/references", body=body)
        assert r.code == 200, r.body
        return r.json()

    assert (await post("1.0.0"))["added"] == 1 and pinned() == "1.0.0"
    same = await post("1.0.0")
    assert (same["updated"], same["already_present"]) == (0, 1) and same["results"][0]["min_version"] == "1.0.0"

    raised = await post(latest["HubContentVersion"])
    assert (raised["added"], raised["updated"], raised["already_present"]) == (0, 1, 0)
    assert raised["results"][0] | {"hub_content_arn": None} == {
        "model_id": model,
        "status": "updated",
        "version": latest["HubContentVersion"],
        "hub_content_arn": None,
        "min_version": latest["HubContentVersion"],
        "code": None,
        "message": None,
    }
    assert pinned() == latest["HubContentVersion"]

    too_new = (await post("999.0.0"))["results"][0]
    assert too_new["status"] == "failed" and "999.0.0" in too_new["message"]
    assert pinned() == latest["HubContentVersion"]  # a refused update leaves the reference as it was

    untouched = await post()  # without min_version an existing reference is left alone
    assert untouched["already_present"] == 1 and pinned() == latest["HubContentVersion"]


async def test_hub_addressed_by_arn(api, sm, private_hub, http_server_client, jp_auth_header, jp_base_url):
    hub = await private_hub()
    model = sorted(reference_names(sm, "CompanyHub"))[0]
    # The ARN travels as one URL-encoded path segment (":" and "/" escaped), as the REST client sends it.
    base = f"{jp_base_url}jumpstart-lab/api/hubs/{quote(hub['arn'], safe='')}"

    async def browsed() -> set[str]:
        r = await http_server_client.fetch(f"{base}/models", headers=jp_auth_header)
        return {m["model_id"] for m in json.loads(r.body)["models"]}

    assert await browsed() == set()  # now cached
    body = json.dumps({"models": [model]})
    r = await http_server_client.fetch(f"{base}/references", method="POST", headers=jp_auth_header, body=body)
    assert r.code == 200 and json.loads(r.body)["hub"] == hub["name"] and json.loads(r.body)["added"] == 1
    assert reference_names(sm, hub["name"]) == {model}
    assert await browsed() == {model}  # the cache of the hub, however it was addressed, was invalidated
