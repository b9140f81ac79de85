"""Generated notebooks run for users whose role denies the public hub (the private-hubs blog's policy).

Such users reach models only through their organisation's private hub; the notebook for a model
reference in ``CompanyHub`` must deploy without a single call on ``SageMakerPublicHub``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from kernel_support import (
    assert_deleted,
    assert_gated_model_deployed,
    make_notebook,
    run,
)
from service_support import aws_calls, clear_aws_calls, own_service

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def local_service() -> Iterator[str]:
    """Every fixture of this module (server, boto3, kernels) talks to a deny-public-hub service of its own: the
    test asserts that none of its calls was refused, so no other module's refused call may be in the log."""
    yield from own_service(JUMPSTART_LAB_LOCAL_DENY_PUBLIC_HUB="1")


def refused_calls(service: str) -> list[dict]:
    calls = aws_calls(service)
    return [c for c in calls if c["status"] >= 400 and c["service"] == "sagemaker"]


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_deploy_notebook_runs_with_the_public_hub_denied(api, boto, jp_root_dir, local_service, request, sdk):
    km = request.getfixturevalue(f"{sdk}_kernel")
    hubs = (await api("GET", "hubs")).json()
    assert [u["name"] for u in hubs["unavailable"]] == ["SageMakerPublicHub"]  # the policy is in force
    nb = await make_notebook(api, jp_root_dir, "deploy", sdk)
    clear_aws_calls(local_service)
    seen: dict = {}

    def check(ns: dict) -> None:
        seen.update(ns)
        assert_gated_model_deployed(boto, ns["ENDPOINT_NAME"])

    final = run(nb, km, jp_root_dir, before_cleanup=check)
    assert seen, "the clean-up cell was never reached"
    assert final["result"]  # the invoke cell printed the endpoint's answer
    assert_deleted(boto, seen["ENDPOINT_NAME"])
    assert refused_calls(local_service) == [], "a call of the notebook was refused (the denied public hub?)"
