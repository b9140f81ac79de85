"""Saved deployments: a deleted deployment stays listed as deleted and redeploys with its settings, still
gated by the EULA of the user who redeploys and checked against the quota before any Create call."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from economics_support import (
    LLAMA,
    PRIVATE_HUB,
    create_calls,
    foreign_endpoint,
    remove_foreign,
    start_service,
    wait_status,
)
from eula_support import HeaderIdentity, as_user
from hub_support import unique
from service_support import clear_aws_calls

from jumpstart_lab.db import Database
from jumpstart_lab.deployments.records import DeploymentRecord, DeploymentRecords


@pytest.fixture(scope="module")
def local_service():
    yield from start_service()


@pytest.fixture
def server_app_settings():
    return {"identity_provider_class": HeaderIdentity}


def names(body: dict) -> dict[str, dict]:
    return {d["endpoint_name"]: d for d in body["deployments"]}


async def test_deleted_deployment_is_listed_and_redeploys_with_its_settings(api, local_service, sm):
    alice, bob = as_user(api, "alice"), as_user(api, "bob")
    assert (await alice("POST", f"hubs/{PRIVATE_HUB}/models/{LLAMA}/eula", body={"action": "deploy"})).code == 201
    name = unique("llama")
    settings = {"hub": PRIVATE_HUB, "model_id": LLAMA, "endpoint_name": name, "instance_count": 2}
    r = await alice("POST", "deployments", body=settings)
    assert r.code == 202, r.body
    first = r.json()
    await wait_status(alice, name)
    assert (await alice("DELETE", f"deployments/{name}")).code == 200

    assert name not in names((await alice("GET", "deployments")).json())
    listed = names((await bob("GET", "deployments", params={"include": "deleted"})).json())
    deleted = listed[name]
    assert (deleted["status"], deleted["redeployable"]) == ("Deleted", True)
    assert (deleted["hub"], deleted["model_id"], deleted["version"]) == (PRIVATE_HUB, LLAMA, first["version"])
    assert (deleted["instance_type"], deleted["instance_count"]) == ("ml.g5.12xlarge", 2)
    assert datetime.fromisoformat(deleted["deleted_at"]) <= datetime.now(timezone.utc)
    assert deleted["price_per_hour"] == pytest.approx(7.09 * 2) and deleted["cost_so_far"] >= 0

    # bob never accepted this gated model's EULA: his redeploy is refused before anything is created
    clear_aws_calls(local_service)
    r = await bob("POST", f"deployments/{name}/redeploy")
    assert r.code == 403 and r.json()["code"] == "EulaNotAccepted", r.body
    assert create_calls(local_service) == []

    # the quota is taken by someone else's endpoints meanwhile: refused with the figures, nothing created
    other = foreign_endpoint(sm, "ml.g5.12xlarge", 1)
    clear_aws_calls(local_service)
    try:
        r = await alice("POST", f"deployments/{name}/redeploy")
        assert r.code == 400 and r.json()["code"] == "QuotaExceeded", r.body
        assert (r.json()["quota"], r.json()["in_use"], r.json()["requested"]) == (2, 1, 2)
        assert create_calls(local_service) == []
    finally:
        remove_foreign(sm, other)

    clear_aws_calls(local_service)
    r = await alice("POST", f"deployments/{name}/redeploy")
    assert r.code == 202, r.body
    again = r.json()
    assert (again["endpoint_name"], again["status"]) == (name, "Creating")
    assert (again["instance_type"], again["instance_count"], again["version"]) == (
        "ml.g5.12xlarge",
        2,
        first["version"],
    )
    assert create_calls(local_service) == ["CreateModel", "CreateEndpointConfig", "CreateEndpoint"]
    listed = names((await alice("GET", "deployments", params={"include": "deleted"})).json())
    assert listed[name]["status"] != "Deleted" and listed[name]["redeployable"] is False

    r = await alice("POST", f"deployments/{name}/redeploy")
    assert r.code == 409 and r.json()["code"] == "EndpointExists"  # it exists again
    assert (await alice("DELETE", f"deployments/{name}")).code == 200


async def test_redeploy_of_an_unknown_or_invalid_name(api):
    alice = as_user(api, "alice")
    r = await alice("POST", "deployments/never-deployed-here/redeploy")
    assert r.code == 404 and r.json()["code"] == "NotFound"
    assert (await alice("POST", "deployments/bad_name!/redeploy")).code == 400


def test_records_store_round_trip(db_url):
    """On a SQLite file and on PostgreSQL (conftest ``db_url``), after the migrations."""
    db = Database(db_url)
    records, elsewhere = DeploymentRecords(db, "us-west-2"), DeploymentRecords(db, "eu-west-1")
    when = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    record = DeploymentRecord("ep-1", "CompanyHub", "m", "1.0.0", "ml.g5.2xlarge", 3, "alice", when, "arn:x")
    records.save(record)
    assert records.get("ep-1") == record
    records.mark_deleted("ep-1", "bob", when)
    saved = records.get("ep-1")
    assert (saved.deleted_at, saved.deleted_by) == (when, "bob")
    records.save(record)  # deployed again: no longer deleted
    assert records.get("ep-1").deleted_at is None
    assert [r.endpoint_name for r in records.all()] == ["ep-1"] and records.get("nope") is None
    assert elsewhere.all() == [] and elsewhere.get("ep-1") is None  # one region's endpoints only
    db.dispose()
