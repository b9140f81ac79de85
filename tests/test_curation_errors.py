"""Curation requests that go wrong: bad input, AWS failures per model and for the whole request, quotas;
every answer (errors included) matches the OpenAPI document."""

from __future__ import annotations

import pytest
from hub_support import hub_exists, reference_names, unique
from openapi_support import assert_documented


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
        assert_documented(method, template, r)
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


async def test_hub_quota_says_what_to_do(api, faults):
    faults(action="CreateHub", code="ResourceLimitExceeded", message="You have reached the limit of 50 hubs.", count=1)
    r = await api("POST", "hubs", body={"name": "OverQuotaHub", "display_name": "x", "description": "y"})
    assert r.code == 400 and r.json()["code"] == "QuotaExceeded"
    assert "limit of 50 hubs" in r.json()["message"] and "Service Quotas" in r.json()["message"]
    assert "instance type" not in r.json()["message"]
