"""Execute generated notebooks headless (nbclient) against the local service, for SDK v3 and v2.

v3 runs in this environment (sagemaker 3.x); v2 runs in its own cached virtual environment
(``~/.cache/jumpstart-lab/sdk-v2-venv``, or ``JUMPSTART_LAB_SDK_V2_VENV``) with sagemaker 2.257.7.
The AWS side effects are checked with boto3 before the notebook's clean-up cell runs, and after.
"""

from __future__ import annotations

import json

import nbformat
import pytest
from kernel_support import (
    HUB_CONTENT_PREFIX,
    assert_deleted,
    assert_gated_model_deployed,
    make_notebook,
    run,
)

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_deploy_notebook_runs_and_deploys_with_the_acceptance(api, boto, jp_root_dir, tmp_path, request, sdk):
    km = request.getfixturevalue(f"{sdk}_kernel")
    nb = await make_notebook(api, jp_root_dir, "deploy", sdk)
    seen = {}

    def check(ns):
        seen.update(ns)
        assert ns["ACCEPT_EULA"] is True
        assert_gated_model_deployed(boto, ns["ENDPOINT_NAME"])

    final = run(nb, km, jp_root_dir, before_cleanup=check)
    assert seen, "the clean-up cell was never reached"
    assert final["result"]  # the invoke cell printed the endpoint's answer
    assert_deleted(boto, seen["ENDPOINT_NAME"])


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_train_notebook_runs_with_the_acceptance(api, boto, jp_root_dir, tmp_path, request, sdk):
    km = request.getfixturevalue(f"{sdk}_kernel")
    nb = await make_notebook(api, jp_root_dir, "train", sdk)
    seen = {}

    def check(ns):
        seen.update(ns)
        job = boto("sagemaker").describe_training_job(TrainingJobName=ns["TRAINING_JOB_NAME"])
        gated = [
            c["DataSource"]["S3DataSource"]
            for c in job["InputDataConfig"]
            if "ModelAccessConfig" in c["DataSource"].get("S3DataSource", {})
        ]
        assert gated and all(s["ModelAccessConfig"] == {"AcceptEula": True} for s in gated)
        assert any(s.get("HubAccessConfig", {}).get("HubContentArn", "").startswith(HUB_CONTENT_PREFIX) for s in gated)
        boto("sagemaker").describe_endpoint(EndpointName=ns["ENDPOINT_NAME"])  # the fine-tuned model is deployed

    run(nb, km, jp_root_dir, before_cleanup=check)
    assert seen, "the clean-up cell was never reached"
    assert_deleted(boto, seen["ENDPOINT_NAME"])


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_evaluate_notebook_runs_the_plain_python_evaluation(api, boto, jp_root_dir, tmp_path, request, sdk):
    """What cannot run offline: a v3 evaluation job runs AWS-hosted containers on benchmark data, so the local
    cell makes it a dry run (the SDK validates role, model and configuration against the local service); fmeval
    (v2) reads the public JumpStart bucket over HTTPS, so the local cell skips it. Deploy, the plain-Python
    evaluation and clean-up run for real."""
    km = request.getfixturevalue(f"{sdk}_kernel")
    nb = await make_notebook(api, jp_root_dir, "evaluate", sdk)
    seen = {}
    run(nb, km, jp_root_dir, before_cleanup=seen.update)
    outputs = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    expected = "Validated the evaluation job (dry run)" if sdk == "v3" else "Skipped the fmeval evaluation"
    assert expected in outputs
    assert_fallback_metrics_and_cleanup(nb, seen["ENDPOINT_NAME"])
    assert_deleted(boto, seen["ENDPOINT_NAME"])


def cell_output(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []))


def assert_fallback_metrics_and_cleanup(nb: nbformat.NotebookNode, endpoint_name: str) -> None:
    """The plain-Python metrics were printed (every request answered) and the clean-up cell ran."""
    metrics_cell = next(c for c in nb.cells if c.cell_type == "code" and c.source.startswith("latencies = "))
    metrics = json.loads(cell_output(metrics_cell))
    assert metrics["success_rate"] == 1.0 and metrics["latency_p50_s"] is not None
    assert 0.0 <= metrics["exact_match"] <= 1.0 and 0.0 <= metrics["token_f1"] <= 1.0
    cleanup = next(c for c in nb.cells if "cleanup" in c.metadata.get("tags", []))
    assert cleanup.get("execution_count") and f"Deleted {endpoint_name}" in cell_output(cleanup)


async def test_evaluate_notebook_cleans_up_after_a_failed_sdk_evaluation(api, boto, jp_root_dir, v3_kernel):
    """ "Run All" reaches the clean-up even when the SDK evaluation fails: the failure is reported, the plain-Python
    metrics are still computed and the endpoint is deleted. The failure is injected by a cell placed before the
    evaluation that replaces ``InspectAIEvaluator``."""
    nb = await make_notebook(api, jp_root_dir, "evaluate", "v3")
    index = next(i for i, c in enumerate(nb.cells) if c.source.startswith("if not RUN_SDK_EVALUATION:"))
    sabotage = nbformat.v4.new_code_cell(
        "import sagemaker.train.evaluate as _evaluate\n\n\n"
        "class _Broken:\n"
        "    def __init__(self, **kwargs):\n"
        "        raise RuntimeError('injected evaluation failure')\n\n\n"
        "_evaluate.InspectAIEvaluator = _Broken"
    )
    nb.cells.insert(index, sabotage)
    seen = {}
    run(nb, v3_kernel, jp_root_dir, before_cleanup=seen.update)
    step = nb.cells[index + 1]
    assert "The SageMaker evaluation job failed: RuntimeError: injected evaluation failure" in cell_output(step)
    assert_fallback_metrics_and_cleanup(nb, seen["ENDPOINT_NAME"])
    assert_deleted(boto, seen["ENDPOINT_NAME"])


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_imported_private_model_deploys_through_boto3(api, boto, jp_root_dir, request, sdk):
    """A hub-only Model is deployed with plain boto3 from its hub document under either SDK major, with the
    HubAccessConfig of its hub content. No EULA: nothing claims an acceptance."""
    km = request.getfixturevalue(f"{sdk}_kernel")
    r = await api(
        "POST", "notebooks", body={"hub": "ResearchHub", "model_id": "acme-custom-llm", "action": "deploy", "sdk": sdk}
    )
    assert r.code == 201, r.body
    nb = nbformat.read(jp_root_dir / r.json()["path"], as_version=4)
    seen = {}

    def check(ns):
        seen.update(ns)
        assert ns["ACCEPT_EULA"] is False
        sm = boto("sagemaker")
        endpoint = sm.describe_endpoint(EndpointName=ns["ENDPOINT_NAME"])
        config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
        model = sm.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
        container = model["PrimaryContainer"]
        source = container.get("ModelDataSource", {}).get("S3DataSource", {})
        assert source.get("ModelAccessConfig", {}).get("AcceptEula") is not True
        assert source["HubAccessConfig"]["HubContentArn"].startswith(
            "arn:aws:sagemaker:us-west-2:123456789012:hub-content/ResearchHub/Model/acme-custom-llm/"
        )
        assert "acme-custom-llm" in (source.get("S3Uri") or container.get("ModelDataUrl") or "")

    final = run(nb, km, jp_root_dir, before_cleanup=check)
    assert seen and final["result"]
    assert_deleted(boto, seen["ENDPOINT_NAME"])


TRAINABLE_IMPORTED = "acme-trainable-llm"


@pytest.fixture
def hub_with_a_trainable_imported_model(boto):
    """A private hub holding an imported ``Model`` with training support (the demo catalog has none)."""
    from jumpstart_lab.local import seed

    sm = boto("sagemaker")
    hub = "NotebookTrainHub"
    bucket = "s3://sagemaker-us-west-2-123456789012/models/acme-trainable-llm/1.0.0"
    ecr = "763104351884.dkr.ecr.us-west-2.amazonaws.com"
    document = {
        **seed.ACME_DOCUMENT,
        "TrainingSupported": True,
        "HostingEcrUri": f"{ecr}/huggingface-pytorch-tgi-inference:2.1.1-tgi2.0.0-gpu-py310-cu121-ubuntu22.04",
        "HostingArtifactUri": f"{bucket}/inference/",
        "TrainingEcrUri": f"{ecr}/huggingface-pytorch-training:2.0.0-transformers4.28.1-gpu-py310-cu118-ubuntu20.04",
        "TrainingArtifactUri": f"{bucket}/training/",
        "TrainingScriptUri": f"{bucket}/sourcedir.tar.gz",
        "DefaultTrainingInstanceType": "ml.g5.2xlarge",
        "SupportedTrainingInstanceTypes": ["ml.g5.2xlarge"],
        "DefaultTrainingDatasetUri": f"{bucket}/example-dataset/",
        "Hyperparameters": [{"Name": "epochs", "Type": "int", "Default": 1, "Min": 1, "Max": 10, "Scope": "algorithm"}],
    }
    sm.create_hub(HubName=hub, HubDescription="Notebook tests: an imported trainable model")
    content = sm.import_hub_content(
        HubName=hub,
        HubContentName=TRAINABLE_IMPORTED,
        HubContentVersion="1.0.0",
        HubContentType="Model",
        DocumentSchemaVersion="2.3.0",
        HubContentDisplayName="Acme trainable LLM",
        HubContentDocument=json.dumps(document),
    )
    yield hub, content["HubContentArn"]
    sm.delete_hub_content(
        HubName=hub, HubContentType="Model", HubContentName=TRAINABLE_IMPORTED, HubContentVersion="1.0.0"
    )
    sm.delete_hub(HubName=hub)


@pytest.mark.parametrize("sdk", ["v3", "v2"])
async def test_imported_trainable_model_trains_through_boto3(
    api, boto, jp_root_dir, request, sdk, hub_with_a_trainable_imported_model
):
    """The SDKs' JumpStart training classes cannot resolve an imported Model: the notebook's CreateTrainingJob,
    built from the document, carries the Model's HubAccessConfig on its model channel; the fine-tuned model is
    deployed, invoked and deleted."""
    hub, content_arn = hub_with_a_trainable_imported_model
    km = request.getfixturevalue(f"{sdk}_kernel")
    r = await api("POST", "notebooks", body={"hub": hub, "model_id": TRAINABLE_IMPORTED, "action": "train", "sdk": sdk})
    assert r.code == 201, r.body
    nb = nbformat.read(jp_root_dir / r.json()["path"], as_version=4)
    seen = {}

    def check(ns):
        seen.update(ns)
        job = boto("sagemaker").describe_training_job(TrainingJobName=ns["TRAINING_JOB_NAME"])
        channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"] for c in job["InputDataConfig"]}
        assert channels["model"]["HubAccessConfig"] == {"HubContentArn": content_arn}
        assert "ModelAccessConfig" not in channels["model"]  # no EULA: nothing claims an acceptance
        assert channels["training"]["S3Uri"].endswith("/example-dataset/")
        assert job["HyperParameters"]["epochs"] == "1"
        boto("sagemaker").describe_endpoint(EndpointName=ns["ENDPOINT_NAME"])  # the fine-tuned model is deployed

    final = run(nb, km, jp_root_dir, before_cleanup=check)
    assert seen and final["result"]
    assert_deleted(boto, seen["ENDPOINT_NAME"])
