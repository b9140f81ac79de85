"""Generated deploy and train notebooks state the on-demand price per hour of their instance types and
carry a quota check, whose code is run here against a local service with known quotas."""

from __future__ import annotations

import re

import boto3
import nbformat
import pytest
from economics_support import LLAMA, PRIVATE_HUB, accept, foreign_endpoint, remove_foreign, start_service

TRAINABLE = "huggingface-llm-mistral-7b-instruct"


@pytest.fixture(scope="module")
def local_service():
    yield from start_service()


async def generate(api, jp_root_dir, hub: str, model_id: str, action: str) -> nbformat.NotebookNode:
    r = await api("POST", "notebooks", body={"hub": hub, "model_id": model_id, "action": action})
    assert r.code == 201, r.body
    return nbformat.read(jp_root_dir / r.json()["path"], as_version=4)


def quota_cell(nb: nbformat.NotebookNode) -> str:
    (cell,) = [c for c in nb.cells if c.cell_type == "code" and "def check_quota" in c.source]
    return cell.source


async def test_deploy_notebook_states_the_price_and_checks_the_quota(api, jp_root_dir, local_service, sm, monkeypatch):
    await accept(api)
    nb = await generate(api, jp_root_dir, PRIVATE_HUB, LLAMA, "deploy")
    intro = nb.cells[0].source
    assert "ml.g5.12xlarge" in intro
    assert "USD 7.09 per instance-hour (on-demand; a demo price of the local service)" in intro
    assert "quota check below" in intro
    source = quota_cell(nb)
    assert source.rstrip().endswith("check_quota(INSTANCE_TYPE, INSTANCE_COUNT)")
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "ml.g5.12xlarge for endpoint usage" in markdown

    # the cell's code, as the notebook runs it, against the local service (quota g5.12xlarge 2, p4d 0)
    monkeypatch.setenv("AWS_ENDPOINT_URL", local_service)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    namespace = {"boto3": boto3, "REGION": "us-west-2", "sagemaker_client": sm}
    exec(compile(source.replace("check_quota(INSTANCE_TYPE, INSTANCE_COUNT)", ""), "quota-cell", "exec"), namespace)
    check = namespace["check_quota"]
    check("ml.g5.12xlarge", 2)  # fits: nothing raised
    with pytest.raises(RuntimeError, match=r"Not enough quota for 1 x ml\.p4d\.24xlarge \(0 free of 0\)") as err:
        check("ml.p4d.24xlarge", 1)
    console = r"https://us-west-2\.console\.aws\.amazon\.com/servicequotas/.+/quotas/L-[0-9A-F]{8}"
    assert re.search(console, str(err.value))
    other = foreign_endpoint(sm, "ml.g5.12xlarge", 2)  # the quota is used up by someone else's endpoint
    try:
        with pytest.raises(RuntimeError, match=r"0 free of 2"):
            check("ml.g5.12xlarge", 1)
    finally:
        remove_foreign(sm, other)


async def test_train_notebook_states_training_and_hosting_prices(api, jp_root_dir):
    nb = await generate(api, jp_root_dir, "SageMakerPublicHub", TRAINABLE, "train")
    intro = nb.cells[0].source
    prices = re.findall(r"USD ([\d.]+) per instance-hour on demand", intro)
    assert len(prices) == 2 and "(demo prices of the local service)" in intro
    source = quota_cell(nb)
    assert 'check_quota(TRAINING_INSTANCE_TYPE, 1, "training job")' in source
