"""EULA acceptances belong to the user who accepted: on a server whose identity provider names users
(JupyterHub, a custom one), one user's acceptance never unlocks a model for another."""

from __future__ import annotations

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from test_eula import GATED, eula_path


class HeaderIdentity(IdentityProvider):
    """The shared token authenticates; the ``X-Test-User`` header names the user (as a hub would)."""

    def get_user(self, handler):
        if self.get_token(handler) != self.token:
            return None
        name = handler.request.headers.get("X-Test-User")
        handler._token_authenticated = True  # as jupyter-server marks token requests (no XSRF check)
        return User(username=name) if name else None


@pytest.fixture
def jp_server_config(jp_server_config):
    jp_server_config["ServerApp"]["identity_provider_class"] = HeaderIdentity
    return jp_server_config


def as_user(api, name: str):
    async def call(method: str, path: str, **kwargs):
        return await api(method, path, headers={"X-Test-User": name}, **kwargs)

    return call


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
