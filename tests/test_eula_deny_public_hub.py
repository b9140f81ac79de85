"""Under the private-hubs deny-public-hub user policy the EULA of a private hub's model is still readable
(its text is in the JumpStart content bucket, which SDK users can read) and the gate still works."""

from __future__ import annotations

import pytest

GATED = "hubs/CompanyHub/models/meta-textgeneration-llama-2-7b-f/eula"


@pytest.fixture
def aws_endpoint(deny_service):
    return deny_service


async def test_private_hub_eula_readable_and_enforced_under_deny_public_hub(api) -> None:
    info = await api("GET", GATED)
    assert info.code == 200, info.body
    assert info.json()["required"] is True and info.json()["text"]
    body = {"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f", "action": "deploy"}
    assert (await api("POST", "notebooks", body=body)).code == 403
    assert (await api("POST", GATED, body={"action": "deploy", "sha256": info.json()["sha256"]})).code == 201
    assert (await api("POST", "notebooks", body=body)).code == 201
    public = await api("GET", "hubs/SageMakerPublicHub/models/meta-textgeneration-llama-2-7b-f/eula")
    assert public.code == 403 and public.json()["code"] == "AccessDenied"
