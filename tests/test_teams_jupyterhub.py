"""A team on a real JupyterHub with one PostgreSQL: alice accepts in her server, bob is still gated and
sees none of her rows, the auditor reads both through the audit service (a hub-managed service with
HubOAuth) where alice is refused; only the user holding the curate scope is offered curation."""

from __future__ import annotations

import csv
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from eula_support import GATED, eula_path
from jupyterhub_process import Hub, proxy_command

AUDIT = "services/jumpstart-lab-audit/"
NOTEBOOK = {"hub": GATED[0], "model_id": GATED[1], "action": "deploy"}


@pytest.fixture(scope="module")
def hub(local_service, postgres, tmp_path_factory):

    if proxy_command() is None:
        pytest.skip("configurable-http-proxy is not installed (scripts/setup.sh installs it from npm)")
    hub = Hub(tmp_path_factory.mktemp("hub"), endpoint_url=local_service, db_url=postgres.new_database())
    hub.start()
    hub.tokens = {name: hub.add_user(name) for name in ("alice", "bob", "auditor")}
    for name in ("alice", "bob"):
        hub.start_server(name)
    with ThreadPoolExecutor(2) as pool:
        hub.servers = dict(zip(("alice", "bob"), pool.map(hub.wait_server, ("alice", "bob")), strict=True))
    yield hub
    hub.stop()


def call(hub: Hub, user: str, method: str, path: str, **kwargs) -> requests.Response:
    """``user``'s request, with their own token, to their server's jumpstart-lab API (or a hub path)."""
    url = f"{hub.servers[user]}jumpstart-lab/api/{path}" if not path.startswith("services/") else f"{hub.url}/{path}"
    headers = {"Authorization": f"token {hub.tokens[user]}"}
    return requests.request(method, url, headers=headers, timeout=60, allow_redirects=False, **kwargs)


def test_alice_accepts_bob_is_still_gated_sees_none_of_her_rows_and_the_auditor_reads_both(hub) -> None:
    assert call(hub, "alice", "POST", eula_path(*GATED), json={"action": "deploy"}).status_code == 201
    assert call(hub, "alice", "POST", "notebooks", json=NOTEBOOK).status_code == 201
    assert call(hub, "bob", "GET", eula_path(*GATED)).json()["accepted"] is False
    refused = call(hub, "bob", "POST", "notebooks", json=NOTEBOOK)
    assert refused.status_code == 403 and refused.json()["code"] == "EulaNotAccepted"
    assert call(hub, "bob", "GET", "eula-acceptances").json()["acceptances"] == []
    mine = call(hub, "alice", "GET", "eula-acceptances").json()["acceptances"]
    assert [(r["username"], r["model_id"]) for r in mine] == [("alice", GATED[1])]
    # bob accepts for himself: his row, not alice's
    assert call(hub, "bob", "POST", eula_path(*GATED), json={"action": "notebook"}).status_code == 201
    assert [r["username"] for r in call(hub, "bob", "GET", "eula-acceptances").json()["acceptances"]] == ["bob"]
    # a user's token does not open another user's server
    assert call(hub, "bob", "GET", "status").status_code == 200
    other = requests.get(
        f"{hub.servers['alice']}jumpstart-lab/api/status",
        headers={"Authorization": f"token {hub.tokens['bob']}"},
        timeout=30,
        allow_redirects=False,
    )
    assert other.status_code in (302, 403)

    # the auditor reads everybody's rows through the audit service; alice and bob are refused there
    r = call(hub, "auditor", "GET", AUDIT + "acceptances")
    assert r.status_code == 200, r.text
    rows = r.json()["acceptances"]
    assert {(row["username"], row["action"]) for row in rows} == {("alice", "deploy"), ("bob", "notebook")}
    assert r.json()["count"] == 2
    only_bob = call(hub, "auditor", "GET", AUDIT + "acceptances", params={"user": "bob"}).json()["acceptances"]
    assert [row["username"] for row in only_bob] == ["bob"]
    by_model = call(hub, "auditor", "GET", AUDIT + "acceptances", params={"model": GATED[1], "hub": GATED[0]})
    assert by_model.json()["count"] == 2
    later = call(hub, "auditor", "GET", AUDIT + "acceptances", params={"since": "2999-01-01T00:00:00Z"})
    assert later.json()["acceptances"] == []
    bad = call(hub, "auditor", "GET", AUDIT + "acceptances", params={"since": "yesterday"})
    assert bad.status_code == 400 and bad.json()["code"] == "InvalidInput"
    r = call(hub, "auditor", "GET", AUDIT + "acceptances", params={"format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(row["username"] for row in table) == ["alice", "bob"]
    page = call(hub, "auditor", "GET", AUDIT)
    assert page.status_code == 200 and "auditor" in page.text and GATED[1] in page.text
    # alice (no audit scope) and bob are refused, with a reason
    for user in ("alice", "bob"):
        refused = call(hub, user, "GET", AUDIT + "acceptances")
        assert refused.status_code == 403, refused.text
        assert "custom:jumpstart-lab:audit" in refused.json()["message"]
    anonymous = requests.get(f"{hub.url}/{AUDIT}acceptances", timeout=30, allow_redirects=False)
    assert anonymous.status_code == 302 and "/hub/api/oauth2/authorize" in anonymous.headers["Location"]


def test_only_the_user_with_the_curate_scope_gets_curation(hub) -> None:
    assert call(hub, "alice", "GET", "curation").json() == {"allowed": True, "reason": None}
    status = call(hub, "bob", "GET", "curation").json()
    assert status["allowed"] is False and "custom:jumpstart-lab:curate" in status["reason"]
    for method, path, body in (
        ("GET", "hubs/CompanyHub/references", None),
        ("POST", "hubs", {"name": "BobsHub", "display_name": "x", "description": "y"}),
        ("GET", "hubs/CompanyHub/shares", None),
    ):
        r = call(hub, "bob", method, path, json=body)
        assert r.status_code == 403 and r.json()["code"] == "CurationScopeMissing", (path, r.text)
    assert call(hub, "alice", "GET", "hubs/CompanyHub/references").status_code == 200
    assert call(hub, "bob", "GET", "hubs").status_code == 200  # browsing stays open to everyone


def browser_login(hub: Hub, user: str) -> requests.Session:
    """A browser session signed in to the hub (DummyAuthenticator: any password)."""
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30).raise_for_status()
    xsrf = session.cookies.get("_xsrf", path="/hub/") or session.cookies.get("_xsrf")
    r = session.post(
        f"{hub.url}/hub/login?next=", data={"username": user, "password": "any", "_xsrf": xsrf}, timeout=60
    )
    assert r.status_code == 200, r.text[:500]
    return session


def test_the_audit_page_through_a_browser_login(hub) -> None:
    """OAuth through the hub (no token): the auditor sees the page, alice is refused after her login."""
    auditor = browser_login(hub, "auditor")
    page = auditor.get(f"{hub.url}/{AUDIT}", timeout=60)  # redirects: authorize -> oauth_callback -> page
    assert page.status_code == 200, page.text[:500]
    assert "Signed in as <b>auditor</b>" in page.text and page.headers["Content-Type"].startswith("text/html")
    assert auditor.get(f"{hub.url}/{AUDIT}acceptances", timeout=60).json()["count"] >= 0
    alice = browser_login(hub, "alice")
    refused = alice.get(f"{hub.url}/{AUDIT}acceptances", timeout=60)
    assert refused.status_code == 403
