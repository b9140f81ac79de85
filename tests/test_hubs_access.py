"""Hubs the caller cannot use, extra_hubs, AWS refusals, throttling and missing credentials.

Each test picks a server configuration with ``@pytest.mark.parametrize("setup", [...], indirect=True)``.
"""

from __future__ import annotations

import pytest
from hubs_api_support import complete_page

PUBLIC = "SageMakerPublicHub"
PARTNER_ARN = "arn:aws:sagemaker:us-west-2:111122223333:hub/PartnerHub"
GONE_ARN = "arn:aws:sagemaker:us-west-2:111122223333:hub/GoneHub"
DENIED = "Your role is denied access to the public JumpStart hub; ask your administrator."


@pytest.fixture
def setup(request):
    return getattr(request, "param", "default")


@pytest.fixture
def aws_endpoint(request, setup, local_service):
    return request.getfixturevalue("deny_service") if setup == "deny_public_hub" else local_service


@pytest.fixture
def jumpstart_settings(setup, monkeypatch, tmp_path):
    if setup == "extra_hubs":
        return {"extra_hubs": [PARTNER_ARN, GONE_ARN, "NoSuchHub"]}
    if setup == "aws_without_credentials":
        for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
        monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-west-2")
        return {"mode": "aws", "region": "us-west-2"}
    return {}


@pytest.mark.parametrize("setup", ["extra_hubs"], indirect=True)
async def test_extra_hubs_listed_or_explained(api):
    body = (await api("GET", "hubs")).json()
    partner = [h for h in body["hubs"] if h["arn"] == PARTNER_ARN]
    assert len(partner) == 1 and partner[0]["kind"] == "shared"  # RAM and extra_hubs: listed once
    gone = {u["name"]: u for u in body["unavailable"]}
    assert set(gone) == {"GoneHub", "NoSuchHub"}
    assert gone["GoneHub"]["arn"] == GONE_ARN and gone["GoneHub"]["code"] == "ResourceNotFound"
    assert "extra_hubs" in gone["GoneHub"]["message"] and "not shared with your account" in gone["GoneHub"]["message"]
    assert {h["name"] for h in body["hubs"]} >= {PUBLIC, "CompanyHub", "ResearchHub", "PartnerHub"}


@pytest.mark.parametrize("setup", ["deny_public_hub"], indirect=True)
async def test_deny_public_hub_policy(api):
    body = (await api("GET", "hubs")).json()
    assert [u["name"] for u in body["unavailable"]] == [PUBLIC]
    denied = body["unavailable"][0]
    assert denied["message"] == DENIED and denied["code"] == "AccessDeniedException"
    assert denied["arn"] == "arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub"
    assert {h["name"] for h in body["hubs"]} == {"CompanyHub", "ResearchHub", "PartnerHub"}
    r = await api("GET", f"hubs/{PUBLIC}/models")
    assert r.code == 403 and r.json()["code"] == "AccessDenied" and r.json()["message"] == DENIED
    r = await api("GET", f"hubs/{PUBLIC}/models/huggingface-text2text-flan-t5-base")
    assert r.code == 403
    # the allowlisted models stay browsable, with facts from their documents
    page = (await api("GET", "hubs/CompanyHub/models", params={"gated": "true"})).json()
    assert page["total"] > 0 and all(m["gated"] and m["license"] for m in page["models"])
    d = (await api("GET", "hubs/CompanyHub/models/meta-textgeneration-llama-2-13b-f")).json()
    assert d["content_type"] == "ModelReference" and d["eula"]["required"] is True and d["versions"]


async def test_access_denied_is_403(api, faults):
    faults(action="ListHubContents", code="AccessDeniedException", message="not authorized", count=2)
    r = await api("GET", "hubs/ResearchHub/models")
    assert r.code == 403
    assert r.json() == {
        "code": "AccessDenied",
        "message": "Your role is denied access to hub ResearchHub; ask your administrator.",
        "aws_code": "AccessDeniedException",
    }


async def test_throttling_is_retried_then_reported_503(api, faults):
    faults(action="ListHubContents", code="ThrottlingException", message="Rate exceeded", count=1)
    r = await api("GET", "hubs/ResearchHub/models")
    assert r.code == 200  # retried with backoff
    # the hub's documents read first: a throttled read still in backoff would outlive this test
    await complete_page(api, "ResearchHub")
    faults(action="DescribeHubContent", code="ThrottlingException", message="Rate exceeded", count=-1)
    r = await api("GET", "hubs/ResearchHub/models/acme-custom-llm")
    assert r.code == 503
    assert r.json()["code"] == "Throttled" and "try again" in r.json()["message"]


async def test_aws_server_errors_are_503(api, faults):
    faults(action="ListHubContents", code="ServiceUnavailable", status=503, count=-1)
    r = await api("GET", "hubs/CompanyHub/models")
    assert r.code == 503 and r.json()["message"]


@pytest.mark.parametrize("setup", ["aws_without_credentials"], indirect=True)
async def test_missing_credentials_in_aws_mode(api):
    for path in ("hubs", f"hubs/{PUBLIC}/models", f"hubs/{PUBLIC}/models/huggingface-text2text-flan-t5-base"):
        r = await api("GET", path)
        assert r.code == 503, path
        assert r.json()["code"] == "NoCredentials"
        assert "aws configure" in r.json()["message"]
