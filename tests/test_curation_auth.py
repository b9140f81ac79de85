"""Curation can be refused while browsing stays allowed: by the authorizer or by JumpStartLab.allow_curation."""

from __future__ import annotations

import pytest

CURATION_CALLS = [
    ("POST", "hubs", {"name": "DeniedHub", "display_name": "x", "description": "y"}),
    ("DELETE", "hubs/CompanyHub", None),
    ("GET", "hubs/CompanyHub/contents", None),
    ("GET", "hubs/CompanyHub/references", None),
    ("POST", "hubs/CompanyHub/references", {"models": ["huggingface-text2text-flan-t5-base"]}),
    ("DELETE", "hubs/CompanyHub/references/meta-textgeneration-llama-2-13b-f", None),
    ("GET", "hubs/CompanyHub/shares", None),
    ("POST", "hubs/CompanyHub/shares", {"account_ids": ["444455556666"], "permission": "Read"}),
    ("DELETE", "hubs/CompanyHub/shares/444455556666", None),
]


def company_hub_refs(boto) -> set[str]:
    sm = boto("sagemaker")
    page = sm.list_hub_contents(HubName="CompanyHub", HubContentType="ModelReference", MaxResults=100)
    return {i["HubContentName"] for i in page["HubContentSummaries"]}


@pytest.mark.parametrize("curation_mode", ["deny"])
async def test_authorizer_denies_curation_but_not_browsing(api, boto):
    before = company_hub_refs(boto)
    assert (await api("GET", "status")).code == 200  # browsing-level resource still allowed
    status = await api("GET", "curation")
    assert status.code == 200 and status.json()["allowed"] is False and status.json()["reason"]
    for method, path, body in CURATION_CALLS:
        r = await api(method, path, body=body)
        assert r.code == 403, (method, path, r.body)
        assert "jumpstart_lab.curation" in r.json()["message"]
    assert company_hub_refs(boto) == before
    assert boto("sagemaker").list_hubs(NameContains="DeniedHub")["HubSummaries"] == []


@pytest.mark.parametrize("curation_mode", ["disabled"])
async def test_allow_curation_false_refuses_with_a_clear_message(api, boto):
    before = company_hub_refs(boto)
    status = await api("GET", "curation")
    assert status.code == 200 and status.json()["allowed"] is False
    assert "allow_curation" in status.json()["reason"]
    for method, path, body in CURATION_CALLS:
        r = await api(method, path, body=body)
        assert r.code == 403, (method, path, r.body)
        assert r.json()["code"] == "CurationDisabled" and "allow_curation" in r.json()["message"]
    assert company_hub_refs(boto) == before


async def test_curation_allowed_by_default(api):
    status = await api("GET", "curation")
    assert status.code == 200 and status.json() == {"allowed": True, "reason": None}
