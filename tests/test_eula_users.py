"""EULA acceptances belong to the user who accepted: on a server whose identity provider names users
(JupyterHub, a custom one), one user's acceptance never unlocks a model for another."""

from __future__ import annotations

import pytest
from eula_support import GATED, HeaderIdentity, as_user, eula_path


@pytest.fixture
def server_app_settings():
    return {"identity_provider_class": HeaderIdentity}


async def test_one_users_acceptance_does_not_unlock_the_model_for_another(api) -> None:
    alice, bob = as_user(api, "alice"), as_user(api, "bob")
    notebook = {"hub": GATED[0], "model_id": GATED[1], "action": "deploy"}

    r = await alice("POST", eula_path(*GATED), body={"action": "deploy"})
    assert r.code == 201, r.body
    assert (await alice("GET", eula_path(*GATED))).json()["accepted"] is True
    assert (await alice("POST", "notebooks", body=notebook)).code == 201

    assert (await bob("GET", eula_path(*GATED))).json()["accepted"] is False
    refused = await bob("POST", "notebooks", body=notebook)
    assert refused.code == 403 and refused.json()["code"] == "EulaNotAccepted"
    refused = await bob("POST", "deployments", body={"hub": GATED[0], "model_id": GATED[1]})
    assert refused.code == 403 and refused.json()["code"] == "EulaNotAccepted"

    assert (await bob("POST", eula_path(*GATED), body={"action": "notebook"})).code == 201
    assert (await bob("POST", "notebooks", body=notebook)).code == 201
    log = (await alice("GET", "eula-acceptances")).json()["acceptances"]
    assert [(row["username"], row["action"]) for row in log] == [("alice", "deploy"), ("bob", "notebook")]
