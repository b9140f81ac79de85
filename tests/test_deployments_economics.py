"""Deploy economics through the real server and a local service with known quotas
(``JUMPSTART_LAB_LOCAL_QUOTAS``): prices and quotas per instance type, instances in use across the account's
endpoints, the QuotaExceeded refusal before any Create call, denied APIs degrading to null, cost so far."""

from __future__ import annotations

import re
import time
from datetime import datetime

import pytest
from economics_support import (
    LLAMA,
    PRIVATE_HUB,
    accept,
    create_calls,
    foreign_endpoint,
    options,
    remove_foreign,
    start_service,
)
from hub_support import unique
from service_support import aws_calls, clear_aws_calls

OPEN_MODEL = "huggingface-text2text-flan-t5-base"
PUBLIC_HUB = "SageMakerPublicHub"
CONSOLE = re.compile(
    r"^https://us-west-2\.console\.aws\.amazon\.com/servicequotas/home/services/sagemaker/quotas/L-[0-9A-F]{8}$"
)


@pytest.fixture(scope="module")
def local_service():
    """This module's own local service: g5.12xlarge quota 2, p4d.24xlarge 0, nothing deployed yet."""
    yield from start_service()


async def test_deploy_options_name_price_quota_use_and_sources(api, local_service):
    clear_aws_calls(local_service)
    r = await api("GET", f"hubs/{PRIVATE_HUB}/models/{LLAMA}/deploy-options")
    assert r.code == 200, r.body
    body = r.json()
    assert (body["hub"], body["model_id"], body["region"]) == (PRIVATE_HUB, LLAMA, "us-west-2")
    rows = {row["name"]: row for row in body["instance_types"]}
    assert {"ml.g5.12xlarge", "ml.p4d.24xlarge"} <= set(rows)
    g5 = rows["ml.g5.12xlarge"]
    assert g5["default"] is True and sum(row["default"] for row in rows.values()) == 1
    assert (g5["price_per_hour"], g5["currency"], g5["price_reason"]) == (7.09, "USD", None)  # Hosting, not Training
    assert (g5["quota"], g5["in_use"], g5["available"]) == (2, 0, 2)
    assert CONSOLE.match(g5["request_increase_url"]) and g5["request_increase_url"].endswith(g5["quota_code"])
    p4d = rows["ml.p4d.24xlarge"]
    assert (p4d["price_per_hour"], p4d["quota"], p4d["available"]) == (37.688, 0, 0)
    assert p4d["request_increase_url"] != g5["request_increase_url"]
    for source in ("price", "quota", "in_use"):
        assert body["sources"][source]["demo"] is True
        assert 0 <= body["sources"][source]["age_seconds"] < 60
        assert datetime.fromisoformat(body["sources"][source]["fetched_at"])
    assert "pricing:GetProducts" in body["sources"]["price"]["source"]
    assert "Demo figures" in body["note"] and body["marketplace"] is False

    pricing = aws_calls(local_service, "pricing")
    assert {c["action"] for c in pricing} == {"GetProducts"}
    assert {c["region"] for c in pricing} == {"us-east-1"}  # the Price List API's own endpoint region
    assert len(pricing) == len(rows)
    assert [c["action"] for c in aws_calls(local_service, "servicequotas")] == ["ListServiceQuotas"]

    clear_aws_calls(local_service)
    again = await api("GET", f"hubs/{PRIVATE_HUB}/models/{LLAMA}/deploy-options", params={"version": body["version"]})
    assert again.code == 200
    assert aws_calls(local_service, "pricing") == []  # prices are cached (a day)
    assert again.json()["sources"]["price"]["fetched_at"] == body["sources"]["price"]["fetched_at"]


async def test_in_use_counts_every_active_endpoint_and_quota_exceeded_sends_nothing(api, local_service, sm):
    await accept(api)
    other = foreign_endpoint(sm, "ml.g5.12xlarge")
    ours = unique("llama")
    try:
        rows = await options(api)
        assert (rows["ml.g5.12xlarge"]["in_use"], rows["ml.g5.12xlarge"]["available"]) == (1, 1)

        clear_aws_calls(local_service)
        body = {"hub": PRIVATE_HUB, "model_id": LLAMA, "endpoint_name": ours, "instance_count": 2}
        r = await api("POST", "deployments", body=body)
        assert r.code == 400, r.body
        refused = r.json()
        assert refused["code"] == "QuotaExceeded"
        assert (refused["instance_type"], refused["quota"], refused["in_use"], refused["requested"]) == (
            "ml.g5.12xlarge",
            2,
            1,
            2,
        )
        assert "ml.g5.12xlarge" in refused["message"] and "2" in refused["message"]
        assert CONSOLE.match(refused["request_increase_url"])
        assert create_calls(local_service) == []  # refused before CreateModel / CreateEndpointConfig / CreateEndpoint

        r = await api("POST", "deployments", body={**body, "instance_count": 1})
        assert r.code == 202, r.body
        assert create_calls(local_service) == ["CreateModel", "CreateEndpointConfig", "CreateEndpoint"]
        rows = await options(api)
        assert (rows["ml.g5.12xlarge"]["in_use"], rows["ml.g5.12xlarge"]["available"]) == (2, 0)

        r = await api("POST", "deployments", body={**body, "endpoint_name": unique("llama"), "instance_count": 1})
        assert r.code == 400 and r.json()["code"] == "QuotaExceeded" and r.json()["in_use"] == 2
    finally:
        await api("DELETE", f"deployments/{ours}")
        remove_foreign(sm, other)
    rows = await options(api)
    assert (rows["ml.g5.12xlarge"]["in_use"], rows["ml.g5.12xlarge"]["available"]) == (0, 2)


async def test_a_type_without_quota_is_refused_with_the_increase_link(api, local_service):
    await accept(api)
    clear_aws_calls(local_service)
    body = {"hub": PRIVATE_HUB, "model_id": LLAMA, "instance_type": "ml.p4d.24xlarge", "endpoint_name": unique("p4d")}
    r = await api("POST", "deployments", body=body)
    assert r.code == 400, r.body
    refused = r.json()
    assert (refused["code"], refused["quota"], refused["in_use"], refused["requested"]) == ("QuotaExceeded", 0, 0, 1)
    assert refused["field"] == "instance_type"
    assert CONSOLE.match(refused["request_increase_url"])
    assert create_calls(local_service) == []


async def test_denied_pricing_and_quotas_degrade_to_null_and_deploying_still_works(api, local_service, faults):
    faults(action="GetProducts", service="pricing", code="AccessDeniedException", message="not allowed", count=-1)
    faults(action="ListServiceQuotas", code="AccessDeniedException", message="not allowed", count=-1)
    rows = await options(api, PUBLIC_HUB, OPEN_MODEL)
    for row in rows.values():
        assert row["price_per_hour"] is None and row["currency"] is None
        assert "pricing:GetProducts" in row["price_reason"]
        assert row["quota"] is None and row["available"] is None and row["request_increase_url"] is None
        assert "servicequotas:ListServiceQuotas" in row["quota_reason"]
        assert row["in_use"] == 0  # still counted: only the quota is unknown

    name = unique("flan")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name})
    assert r.code == 202, r.body  # an unknown quota does not block
    try:
        assert r.json()["price_per_hour"] is None and r.json()["cost_so_far"] is None
        assert "pricing:GetProducts" in r.json()["price_reason"]
    finally:
        assert (await api("DELETE", f"deployments/{name}")).code == 200


async def test_quota_api_failing_does_not_block(api, local_service, faults):
    faults(action="ListServiceQuotas", code="ServiceException", status=500, count=-1)
    rows = await options(api, PUBLIC_HUB, OPEN_MODEL)
    assert all(row["quota"] is None and "did not answer" in row["quota_reason"] for row in rows.values())
    assert all(row["price_per_hour"] is not None for row in rows.values())
    name = unique("flan")
    r = await api("POST", "deployments", body={"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name})
    assert r.code == 202, r.body
    assert (await api("DELETE", f"deployments/{name}")).code == 200


async def test_price_and_cost_so_far_of_running_deployments(api, local_service):
    rows = await options(api, PUBLIC_HUB, OPEN_MODEL)
    default = next(row for row in rows.values() if row["default"])
    name = unique("flan")
    body = {"hub": PUBLIC_HUB, "model_id": OPEN_MODEL, "endpoint_name": name, "instance_count": 2}
    r = await api("POST", "deployments", body=body)
    assert r.code == 202, r.body
    try:
        assert r.json()["price_per_hour"] == pytest.approx(default["price_per_hour"] * 2)
        before = time.time()
        got = (await api("GET", f"deployments/{name}")).json()
        after = time.time()
        created = datetime.fromisoformat(got["created_at"]).timestamp()
        assert got["price_per_hour"] == pytest.approx(default["price_per_hour"] * 2) and got["currency"] == "USD"
        low, high = (got["price_per_hour"] * (t - created) / 3600 for t in (before, after))
        assert low - 1e-4 <= got["cost_so_far"] <= high + 1e-4
        assert got["cost_note"].startswith("Estimate") and "infrastructure only" in got["cost_note"]

        listed = (await api("GET", "deployments")).json()
        mine = next(d for d in listed["deployments"] if d["endpoint_name"] == name)
        assert mine["price_per_hour"] == got["price_per_hour"] and mine["cost_so_far"] >= got["cost_so_far"]
        running = [d for d in listed["deployments"] if d["status"] in ("Creating", "Updating", "InService")]
        assert listed["running"] == len(running) >= 1
        assert listed["total_price_per_hour"] == pytest.approx(sum(d["price_per_hour"] for d in running))
        assert listed["total_cost_so_far"] == pytest.approx(sum(d["cost_so_far"] for d in listed["deployments"]))
    finally:
        assert (await api("DELETE", f"deployments/{name}")).code == 200


async def test_marketplace_models_say_the_software_price_comes_on_top(api):
    r = await api("GET", f"hubs/{PUBLIC_HUB}/models/ai21-jurassic-2-light/deploy-options")
    assert r.code == 200, r.body
    assert r.json()["marketplace"] is True and "Marketplace" in r.json()["note"]


async def test_bad_input(api):
    assert (await api("GET", "deployments", params={"include": "everything"})).code == 400
    r = await api("GET", f"hubs/{PUBLIC_HUB}/models/no-such-model/deploy-options")
    assert r.code == 404 and r.json()["code"]
    assert (await api("POST", "deployments/never-made/redeploy")).code == 404
