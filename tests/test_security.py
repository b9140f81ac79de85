"""Every route in the OpenAPI document refuses the unauthenticated, the XSRF-less
cookie request and the authorizer's "no" (issue 7, security)."""

from __future__ import annotations

import re

import pytest
from jupyter_server.auth.authorizer import Authorizer

from jumpstart_lab.server.handlers.openapi import document

PATH_VALUES = {
    "hub": "CompanyHub",
    "model_id": "meta-textgeneration-llama-2-13b-f",
    "name": "no-such-endpoint",
    "endpoint_name": "no-such-endpoint",
}


def operations() -> list[tuple[str, str]]:
    ops = []
    for path, item in document()["paths"].items():
        for method in item:
            if method.upper() in {"GET", "POST", "PUT", "PATCH", "DELETE"}:
                ops.append((method.upper(), path))
    return sorted(ops)


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m[1], "x"), path)


OPERATIONS = operations()
MUTATING = [op for op in OPERATIONS if op[0] != "GET"]


def test_openapi_lists_the_api() -> None:
    paths = {p for _, p in OPERATIONS}
    assert {"/status", "/openapi.json"} <= paths


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
async def test_no_token_is_refused(api, method: str, path: str) -> None:
    r = await api(method, concrete(path), headers={"Authorization": ""})
    assert r.code == 403, (method, path, r.code)
    assert r.json()["code"] == "Forbidden"


async def login_cookie(api) -> str:
    """The login cookie the server sets for a token-authenticated request."""
    r = await api("GET", "status")
    assert r.code == 200
    cookies = [c.split(";", 1)[0] for c in r.headers.get_list("Set-Cookie")]
    login = [c for c in cookies if c.startswith("username-")]
    assert login, cookies
    return login[0]


@pytest.mark.parametrize(("method", "path"), MUTATING)
async def test_cookie_without_xsrf_is_refused(api, method: str, path: str) -> None:
    cookie = await login_cookie(api)
    # The cookie alone authenticates a GET ...
    ok = await api("GET", "status", headers={"Authorization": "", "Cookie": cookie})
    assert ok.code == 200
    # ... but a mutating call without the XSRF token is refused.
    r = await api(method, concrete(path), headers={"Authorization": "", "Cookie": cookie})
    assert r.code == 403, (method, path, r.code)


class DenyJumpStartLab(Authorizer):
    """An authorizer (as JupyterHub deployments configure) that denies every jumpstart_lab resource."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return not resource.startswith("jumpstart_lab")


class DenyDeploymentsAndCuration(Authorizer):
    """Browsing allowed, deploying and curating not."""

    def is_authorized(self, handler, user, action, resource) -> bool:
        return resource not in {"jumpstart_lab.deployments", "jumpstart_lab.curation"}


class TestDenyingAuthorizer:
    @pytest.fixture
    def server_app_settings(self):
        return {"authorizer_class": DenyJumpStartLab}

    @pytest.mark.parametrize(("method", "path"), OPERATIONS)
    async def test_denied(self, api, method: str, path: str) -> None:
        r = await api(method, concrete(path))
        assert r.code == 403, (method, path, r.code)
        assert r.json()["code"] == "Forbidden"


class TestBrowseButNotDeploy:
    @pytest.fixture
    def server_app_settings(self):
        return {"authorizer_class": DenyDeploymentsAndCuration}

    async def test_browse_allowed_deploy_denied(self, api) -> None:
        assert (await api("GET", "hubs")).code == 200
        r = await api(
            "POST", "deployments", body={"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-13b-f"}
        )
        assert r.code == 403
        assert r.json()["code"] == "Forbidden"

    async def test_one_path_two_areas(self, api) -> None:
        # GET hubs is browsing (allowed); POST hubs is curation (denied) although both share the path.
        assert (await api("GET", "hubs")).code == 200
        r = await api("POST", "hubs", body={"name": "DeniedHub", "display_name": "x", "description": "x"})
        assert r.code == 403


async def test_status(api, local_service) -> None:
    r = await api("GET", "status")
    assert r.code == 200
    body = r.json()
    assert body["mode"] == "local"
    assert body["region"] == "us-west-2"
    assert body["identity"]["account"] == "123456789012"
    assert "token" not in r.body.decode().lower()


def test_every_verb_is_marked_authenticated(jp_serverapp) -> None:
    """jupyter_server refuses to load handlers whose verbs lack @web.authenticated when
    unauthenticated access is off (as on JupyterHub); none of ours may be reported."""
    from jumpstart_lab.server.handlers import ROUTES

    missing = [m for pattern, handler in ROUTES for m in jp_serverapp.web_app._check_handler_auth(pattern, handler)]
    assert missing == []


async def test_unknown_api_path_without_token_is_403(api) -> None:
    r = await api("GET", "no/such/thing", headers={"Authorization": ""})
    assert r.code == 403


async def test_unknown_api_path_is_json_404(api) -> None:
    r = await api("GET", "no/such/thing")
    assert r.code == 404
    assert r.json() == {"code": "NotFound", "message": "No such jumpstart-lab API endpoint."}
