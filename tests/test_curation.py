"""Hub curation through the REST API against the local service: the private-hubs blog's admin flow."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from conftest import content_names, hub_exists, reference_names
from hub_support import drop_hub, import_model, owned_versions, unique
from openapi_schema_validator import OAS30Validator, OAS31Validator

from jumpstart_lab.curation.sharing import PERMISSION_NAMES
from jumpstart_lab.server.handlers.openapi import document

SHARE_ACCOUNT = "444455556666"


def public_model_names(sm) -> set[str]:
    return content_names(sm, "SageMakerPublicHub", "Model")


@pytest.fixture
def private_hub(api, sm):
    """Create hubs through the API; whatever a test leaves behind is deleted through boto3."""
    created: list[str] = []

    async def make(name: str | None = None, **extra) -> dict:
        name = name or unique("CurationTest")
        body = {"name": name, "display_name": f"{name} display", "description": "Hub made by a curation test.", **extra}
        r = await api("POST", "hubs", body=body)
        assert r.code == 201, r.body
        created.append(name)
        return r.json()

    yield make
    for name in created:
        drop_hub(sm, name)


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


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "bad_name!", "display_name": "x", "description": "y"}, "name"),
        ({"name": "Ok", "display_name": "x", "description": "y", "keywords": ["Upper"]}, "keywords"),
        ({"name": "Ok", "display_name": "x"}, "description"),
        ({"name": "SageMakerPublicHub", "display_name": "x", "description": "y"}, "name"),
        ({"name": "Ok", "display_name": "x", "description": "y", "extra": 1}, "extra"),
    ],
)
async def test_create_hub_rejects_bad_input(api, sm, body, field):
    r = await api("POST", "hubs", body=body)
    assert r.code == 400, r.body
    error = r.json()
    assert set(error) >= {"code", "message"} and field in error["message"]
    assert not hub_exists(sm, "Ok")


async def test_bad_requests_get_clear_errors(api, private_hub):
    hub = (await private_hub())["name"]
    cases = [
        ("POST", f"hubs/{hub}/references", {"models": ["a"], "filter": {"framework": "meta"}}, 400),
        ("POST", f"hubs/{hub}/references", {}, 400),
        ("POST", f"hubs/{hub}/references", {"models": []}, 400),
        ("POST", f"hubs/{hub}/references", {"models": ["bad id!"]}, 400),
        ("POST", f"hubs/{hub}/references", {"models": ["x"], "min_version": "latest"}, 400),
        ("POST", f"hubs/{hub}/references", {"filter": {"framework": "meta", "cursor": "abc"}}, 400),
        ("POST", f"hubs/{hub}/references", {"filter": {"colour": "blue"}}, 400),
        ("POST", f"hubs/{hub}/references", "not json", 400),
        ("POST", f"hubs/{hub}/shares", {"account_ids": ["12345"], "permission": "Read"}, 400),
        ("POST", f"hubs/{hub}/shares", {"account_ids": ["444455556666"], "permission": "Admin"}, 400),
        ("POST", f"hubs/{hub}/shares", {"account_ids": [], "permission": "Read"}, 400),
        ("DELETE", f"hubs/{hub}/references/bad%20id", None, 400),
        ("DELETE", f"hubs/{hub}/references/not-referenced-here", None, 404),
        ("DELETE", "hubs/NoSuchHubAnywhere", None, 404),
        ("POST", "hubs/NoSuchHubAnywhere/references", {"models": ["x"]}, 404),
        ("GET", "hubs/NoSuchHubAnywhere/shares", None, 404),
        ("DELETE", "hubs/SageMakerPublicHub", None, 403),
        ("DELETE", "hubs/arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub", None, 403),
        ("POST", "hubs/SageMakerPublicHub/references", {"models": ["x"]}, 403),
        ("DELETE", "hubs/SageMakerPublicHub/references/x", None, 403),
        ("POST", "hubs/SageMakerPublicHub/shares", {"account_ids": ["444455556666"], "permission": "Read"}, 403),
    ]
    for method, path, body, status in cases:
        r = await api(method, path, body=body)
        assert r.code == status, (method, path, body, r.code, r.body)
        error = r.json()
        assert isinstance(error["code"], str) and error["message"], (path, error)
        assert "Traceback" not in error["message"]
    public = await api("DELETE", "hubs/SageMakerPublicHub")
    assert public.json()["code"] == "PublicHubReadOnly"


def _check_against_openapi(method: str, template: str, response) -> None:
    """The response validates against the merged OpenAPI document's schema for its status."""
    doc = json.loads(json.dumps(document()))
    responses = doc["paths"][template][method.lower()]["responses"]
    described = responses.get(str(response.code))
    assert described is not None, f"{method} {template}: status {response.code} is not documented"
    if "$ref" in described:
        described = doc["components"]["responses"][described["$ref"].rsplit("/", 1)[1]]
    schema = described["content"]["application/json"]["schema"]
    validator = OAS31Validator if doc["openapi"].startswith("3.1") else OAS30Validator
    validator({**schema, "components": doc["components"]}).validate(response.json())


async def test_curation_responses_match_the_openapi_document(api, sm, private_hub):
    model = sorted(reference_names(sm, "CompanyHub"))[0]
    name = unique("OpenApiHub")
    calls = [
        ("GET", "/curation", "curation", None),
        ("POST", "/hubs", "hubs", {"name": name, "display_name": "d", "description": "x", "keywords": ["a"]}),
        ("POST", "/hubs", "hubs", {"name": name, "display_name": "d", "description": "x"}),
        ("POST", "/hubs", "hubs", {"name": "bad name"}),
        ("POST", "/hubs/{hub}/references", f"hubs/{name}/references", {"models": [model, "not-a-public-model"]}),
        ("POST", "/hubs/{hub}/references", f"hubs/{name}/references", {"filter": {"framework": "meta"}}),
        ("POST", "/hubs/{hub}/references", "hubs/SageMakerPublicHub/references", {"models": [model]}),
        ("GET", "/hubs/{hub}/references", f"hubs/{name}/references", None),
        ("DELETE", "/hubs/{hub}/references/{model_id}", f"hubs/{name}/references/{model}", None),
        ("DELETE", "/hubs/{hub}/references/{model_id}", f"hubs/{name}/references/{model}", None),
        ("GET", "/hubs/{hub}/shares", f"hubs/{name}/shares", None),
        ("POST", "/hubs/{hub}/shares", f"hubs/{name}/shares", {"account_ids": ["1"], "permission": "Read"}),
        ("GET", "/hubs/{hub}/contents", f"hubs/{name}/contents", None),
        ("DELETE", "/hubs/{hub}", f"hubs/{name}", None),
        ("DELETE", "/hubs/{hub}", f"hubs/{name}", None),
    ]
    statuses = []
    for method, template, path, body in calls:
        r = await api(method, path, body=body)
        _check_against_openapi(method, template, r)
        statuses.append(r.code)
    assert statuses == [200, 201, 409, 400, 200, 200, 403, 200, 200, 404, 200, 400, 200, 200, 404]


async def test_aws_failures_per_model_and_for_the_whole_request(api, sm, private_hub, faults):
    hub = (await private_hub())["name"]
    models = sorted(reference_names(sm, "CompanyHub"))[:3]

    # One CreateHubContentReference hits a quota: that model fails with an actionable message, the rest go in.
    faults(action="CreateHubContentReference", code="ResourceLimitExceeded", message="Hub content limit reached.")
    r = await api("POST", f"hubs/{hub}/references", body={"models": models})
    assert r.code == 200, r.body
    result = r.json()
    assert (result["added"], result["failed"]) == (2, 1)
    failed = next(x for x in result["results"] if x["status"] == "failed")
    assert failed["code"] == "QuotaExceeded" and "Hub content limit reached." in failed["message"]
    assert reference_names(sm, hub) == set(models) - {failed["model_id"]}

    # Throttling is retried (adaptive retries), so the user sees success; re-running adds the missing one.
    faults(action="CreateHubContentReference", code="ThrottlingException", count=2)
    again = (await api("POST", f"hubs/{hub}/references", body={"models": models})).json()
    assert (again["added"], again["already_present"], again["failed"]) == (1, 2, 0)
    assert reference_names(sm, hub) == set(models)

    # AWS refusing the caller is a 403 with the AWS reason, not a 500.
    faults(action="CreateHub", code="AccessDeniedException", message="not allowed to sagemaker:CreateHub")
    denied = await api("POST", "hubs", body={"name": unique("Denied"), "display_name": "d", "description": "x"})
    assert denied.code == 403 and denied.json()["code"] == "AccessDenied"
    assert "sagemaker:CreateHub" in denied.json()["message"]


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
    _check_against_openapi("GET", "/hubs/{hub}/contents", r)
    contents = r.json()
    assert contents["references"] == refs
    owned = {"content_type": "Model", "model_id": "in-house-model", "versions": ["1.0.0", "1.1.0"]}
    assert contents["owned"] == [owned]
    assert {p["principal"] for s in contents["shares"] for p in s["principals"]} == set(accounts)
    assert contents["warnings"] == []

    public = await api("GET", "hubs/SageMakerPublicHub/contents")
    assert public.code == 403 and public.json()["code"] == "PublicHubReadOnly"
    assert (await api("GET", "hubs/NoSuchHubAnywhere/contents")).code == 404


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
    _check_against_openapi("DELETE", "/hubs/{hub}", r)
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
    _check_against_openapi("DELETE", "/hubs/{hub}", r)
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
    _check_against_openapi("DELETE", "/hubs/{hub}", r)
    assert r.json()["removed"] == [] and "remaining" not in r.json() and r.json()["deleted"] is False
    assert hub_exists(sm, name)


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


async def test_hub_quota_says_what_to_do(api, faults):
    faults(action="CreateHub", code="ResourceLimitExceeded", message="You have reached the limit of 50 hubs.", count=1)
    r = await api("POST", "hubs", body={"name": "OverQuotaHub", "display_name": "x", "description": "y"})
    assert r.code == 400 and r.json()["code"] == "QuotaExceeded"
    assert "limit of 50 hubs" in r.json()["message"] and "Service Quotas" in r.json()["message"]
    assert "instance type" not in r.json()["message"]


def streamed(response) -> list[dict]:
    """The lines of an ``application/x-ndjson`` answer."""
    assert response.headers["Content-Type"].startswith("application/x-ndjson"), response.headers["Content-Type"]
    return [json.loads(line) for line in response.body.decode().splitlines() if line]


def ndjson() -> dict[str, str]:
    return {"Accept": "application/x-ndjson"}  # a new dict each time: jp_fetch adds the server's token to it


async def test_adding_and_deleting_stream_their_progress(api, sm, private_hub):
    """Asked for ``application/x-ndjson``, the server reports each model it adds and each item it removes as it
    goes, then the result; without it the answer is the plain JSON result."""
    name = (await private_hub())["name"]
    meta = reference_names(sm, "CompanyHub")
    r = await api("POST", f"hubs/{name}/references", body={"filter": {"framework": "meta"}}, headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == list(range(1, len(meta) + 1))
    assert {s["progress"]["total"] for s in steps} == {len(meta)}
    assert {s["progress"]["what"] for s in steps} == {f"added {m}" for m in meta}
    assert last["result"]["added"] == len(meta) and reference_names(sm, name) == meta

    r = await api("POST", f"hubs/{name}/references", body={"models": sorted(meta)[:1]})  # no Accept: plain JSON
    assert r.headers["Content-Type"].startswith("application/json") and r.json()["already_present"] == 1

    r = await api("DELETE", f"hubs/{name}", headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == list(range(1, len(meta) + 2))  # each reference, the hub
    assert steps[-1]["progress"]["what"] == f"deleted hub {name}"
    assert last["result"]["deleted"] is True and len(last["result"]["removed"]) == len(meta)
    assert not hub_exists(sm, name)


async def test_a_streamed_delete_ends_with_the_error_and_what_was_done(api, sm, private_hub, faults):
    """An error after the first progress line is the stream's last line: its status, code, message and the
    report of what was removed and what is left; an error before it is an ordinary error response."""
    name = (await private_hub())["name"]
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    assert (await api("POST", f"hubs/{name}/references", body={"models": refs})).json()["added"] == 3
    faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")
    r = await api("DELETE", f"hubs/{name}", headers=ndjson())
    assert r.code == 200, r.body
    *steps, last = streamed(r)
    assert [s["progress"]["done"] for s in steps] == [1, 2]
    error = last["error"]
    assert (error["status"], error["code"]) == (403, "AccessDenied") and "no delete for you" in error["message"]
    assert len(error["removed"]) == 2 and [x["model_id"] for x in error["remaining"]] == list(reference_names(sm, name))
    assert hub_exists(sm, name)

    r = await api("DELETE", "hubs/NoSuchHubAnywhere", headers=ndjson())
    assert r.code == 404 and r.headers["Content-Type"].startswith("application/json") and r.json()["code"]


async def test_the_client_follows_the_streamed_progress(jumpstart_client, sm, private_hub, faults):
    """``JumpStartClient.add_references`` / ``delete_hub`` with ``progress``: one call per step, then the result;
    an error in the stream raises ApiError with the server's status, code and report."""
    import asyncio

    from jumpstart_lab.client import ApiError

    name = (await private_hub())["name"]
    refs = sorted(reference_names(sm, "CompanyHub"))[:3]
    steps: list[tuple[str, int, int]] = []
    added = await asyncio.to_thread(
        jumpstart_client.add_references, name, refs, progress=lambda *step: steps.append(step)
    )
    assert added["added"] == 3 and [s[1:] for s in steps] == [(1, 3), (2, 3), (3, 3)]

    faults(action="DeleteHubContentReference", code="AccessDeniedException", message="no delete for you")
    with pytest.raises(ApiError) as failed:
        await asyncio.to_thread(jumpstart_client.delete_hub, name, progress=lambda *step: None)
    assert failed.value.status == 403 and failed.value.code == "AccessDenied"
    assert len(failed.value.details["removed"]) == 2 and len(failed.value.details["remaining"]) == 1

    steps.clear()
    done = await asyncio.to_thread(jumpstart_client.delete_hub, name, progress=lambda *step: steps.append(step))
    assert done["deleted"] is True and steps[-1] == (f"deleted hub {name}", 2, 2)
    assert not hub_exists(sm, name)
