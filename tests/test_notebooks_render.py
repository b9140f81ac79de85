"""Notebook rendering and writing, without a server: every template variant is valid, escaped and safe."""

from __future__ import annotations

import ast
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest
from doc_support import CONTENT_ARN, HUB_ARN, hostile_llama_doc

from jumpstart_lab.browse.models import ModelDocument
from jumpstart_lab.errors import AccessDenied, InvalidInput
from jumpstart_lab.eula.models import Acceptance
from jumpstart_lab.notebooks.context import build_context
from jumpstart_lab.notebooks.render import render_notebook
from jumpstart_lab.notebooks.writer import notebook_folder, write_new


def accepted(doc: ModelDocument) -> Acceptance:
    return Acceptance(
        username="alice",
        hub=doc.hub_name,
        hub_arn=doc.hub_arn,
        model_id=doc.model_id,
        version=doc.version,
        eula_uri=doc.eula_uri,
        sha256="c" * 64,
        action="notebook",
        accepted_at=datetime(2026, 11, 21, 20, 0, tzinfo=timezone.utc),
    )


def render(
    action: str,
    sdk: str,
    doc: ModelDocument | None = None,
    *,
    local: str | None = "local",
    endpoint_name: str | None = None,
    acceptance: bool = True,
) -> nbformat.NotebookNode:
    doc = doc or hostile_llama_doc()
    ctx = build_context(
        doc,
        action=action,
        sdk=sdk,
        region="us-west-2",
        acceptance=accepted(doc) if acceptance else None,
        endpoint_name=endpoint_name,
        run_on=local or "aws",
    )
    return render_notebook(ctx)


def code(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("action", ["deploy", "train", "evaluate"])
@pytest.mark.parametrize("sdk", ["v3", "v2"])
@pytest.mark.parametrize("content_type", ["ModelReference", "Model"])
@pytest.mark.parametrize("local", [None, "local", "aws-or-local"])
def test_every_variant_is_valid_python_and_nbformat(action, sdk, content_type, local) -> None:
    nb = render(action, sdk, hostile_llama_doc(content_type), local=local)
    nbformat.validate(nb)
    assert nb.nbformat == 4 and nb.nbformat_minor >= 5 and all(c.get("id") for c in nb.cells)
    for cell in nb.cells:
        if cell.cell_type == "code":
            ast.parse(cell.source)  # every code cell compiles
    src = code(nb)
    assert f"HUB_ARN = {HUB_ARN!r}" in src and "MODEL_VERSION = '4.19.0'" in src and "REGION = 'us-west-2'" in src
    assert "ACCEPT_EULA = True" in src and "accepted by alice at 2026-11-21T20:00:00+00:00" in src
    local_cells = [c for c in nb.cells if "use_local_service" in c.source]
    if local:
        assert len(local_cells) == 1
        marker = "use_local_service()" if local == "local" else "use_local_service_without_aws()"
        assert marker in local_cells[0].source and "127.0.0.1" not in src  # found at run time, no port baked in
        index = nb.cells.index(local_cells[0])
        assert not any("import sagemaker" in c.source or "from sagemaker" in c.source for c in nb.cells[:index])
        assert "arn:aws:iam::123456789012:role/SageMakerRole" in local_cells[0].source
    else:
        assert not local_cells and "get_execution_role()" in src
    assert "delete_endpoint(ENDPOINT_NAME)" in src or (action == "evaluate")


def test_deploy_v3_uses_jumpstart_config_and_v2_uses_jumpstart_model() -> None:
    v3, v2 = code(render("deploy", "v3")), code(render("deploy", "v2"))
    assert "ModelBuilder.from_jumpstart_config" in v3 and "JumpStartConfig(" in v3 and "hub_name=SDK_HUB" in v3
    assert "JumpStartModel(" in v2 and "hub_name=SDK_HUB" in v2 and "accept_eula=ACCEPT_EULA" in v2
    assert "# Supported instance types: ml.g5.12xlarge" in v3 and "INSTANCE_TYPE = 'ml.g5.12xlarge'" in v3


def test_imported_private_model_gets_boto3_with_a_reason_under_v3() -> None:
    nb = render("deploy", "v3", hostile_llama_doc("Model"))
    text = "\n".join(c.source for c in nb.cells)
    assert "from_jumpstart_config" not in text and "sagemaker_client.create_model(" in text
    assert "only resolves models that are" in text  # the sentence saying why
    assert CONTENT_ARN in text and '"AcceptEula": True' in text


def test_train_has_dataset_format_hyperparameters_and_fine_tuned_deploy() -> None:
    src = code(render("train", "v3"))
    assert "ModelTrainer.from_jumpstart_config" in src and 'InputData(channel_name="training"' in src
    assert "'epoch': 1,  # int; 1 to 1000" in src
    assert "TRAIN_DATA_S3_URI = 's3://" in src and "#   A train and an optional validation directories" in src
    assert 'describe_training_job(TrainingJobName=TRAINING_JOB_NAME)["ModelArtifacts"]' in src
    assert "fine_tuned_container" in src and "ModelAccessConfig" not in src.split("fine_tuned_container", 1)[1]
    assert "JumpStartEstimator(" in code(render("train", "v2"))


def test_evaluate_has_sdk_evaluation_and_plain_python_fallback() -> None:
    v3, v2 = code(render("evaluate", "v3")), code(render("evaluate", "v2"))
    assert "InspectAIEvaluator(" in v3 and "JumpStartModelRunner(" in v2
    for src in (v3, v2):
        assert "token_f1" in src and "exact_match" in src and "RUN_SDK_EVALUATION" in src
    existing = render("evaluate", "v3", endpoint_name="my-endpoint")
    assert "ENDPOINT_NAME = 'my-endpoint'" in code(existing) and "from_jumpstart_config" not in code(existing)
    assert "delete_endpoint(ENDPOINT_NAME)" not in code(existing)  # it did not create the endpoint


def test_document_text_is_escaped_in_markdown_and_never_reaches_code() -> None:
    nb = render("deploy", "v3")
    intro = nb.cells[0].source
    assert "<img" not in intro and "<script>" not in intro and "&lt;script&gt;" in intro
    assert "\\[link\\]\\(javascript:alert\\(1\\)\\)" in intro
    assert "```" not in intro and "\nimport os" not in intro
    assert "alert(1)" not in code(nb)


def test_not_gated_model_never_gets_accept_eula_true() -> None:
    doc = hostile_llama_doc(HostingEulaUri=None, GatedBucket=False)
    src = code(render("deploy", "v3", doc, acceptance=False))
    assert "ACCEPT_EULA = False" in src and "ACCEPT_EULA = True" not in src


def test_rendering_is_deterministic() -> None:
    assert nbformat.writes(render("train", "v2")) == nbformat.writes(render("train", "v2"))


# -- writer --------------------------------------------------------------------------------------
def test_writer_never_overwrites_and_stays_in_root(tmp_path: Path) -> None:
    nb = render("deploy", "v3")
    folder = notebook_folder(tmp_path, "jumpstart/generated")
    first = write_new(nb, folder, "m-deploy-v3", tmp_path)
    (tmp_path / first).write_text("user edits")
    second = write_new(nb, folder, "m-deploy-v3", tmp_path)
    assert (first, second) == ("jumpstart/generated/m-deploy-v3.ipynb", "jumpstart/generated/m-deploy-v3-1.ipynb")
    assert (tmp_path / first).read_text() == "user edits"
    assert nbformat.read(tmp_path / second, as_version=4).cells[0].source == nb.cells[0].source


@pytest.mark.parametrize("bad", ["../outside", "/etc", "a/../../b", "~root", "..\\x"])
def test_notebook_dir_outside_the_root_is_refused(tmp_path: Path, bad: str) -> None:
    with pytest.raises((InvalidInput, AccessDenied)):
        notebook_folder(tmp_path / "root", bad)


def test_symlinked_folder_out_of_root_is_refused(tmp_path: Path) -> None:
    root, outside = tmp_path / "root", tmp_path / "outside"
    root.mkdir()
    outside.mkdir()
    (root / "jumpstart").symlink_to(outside)
    with pytest.raises(AccessDenied):
        notebook_folder(root, "jumpstart")
    assert not list(outside.iterdir())


def test_planted_symlink_file_is_not_written_through(tmp_path: Path) -> None:
    folder = notebook_folder(tmp_path, "nb")
    target = tmp_path / "victim.txt"
    target.write_text("keep")
    os.symlink(target, folder / "m-deploy-v3.ipynb")
    path = write_new(render("deploy", "v3"), folder, "m-deploy-v3", tmp_path)
    assert path == "nb/m-deploy-v3-1.ipynb" and target.read_text() == "keep"


@pytest.mark.parametrize("stem", ["../x", "a/b", "", ".hidden"])
def test_unsafe_file_stems_are_refused(tmp_path: Path, stem: str) -> None:
    with pytest.raises(InvalidInput):
        write_new(render("deploy", "v3"), tmp_path, stem, tmp_path)


@pytest.mark.parametrize("action", ["deploy", "train", "evaluate"])
def test_sparse_document_still_renders_valid_notebooks(action) -> None:
    sparse = {
        "TrainingSupported": True,
        "Task": "Text Classification",
        "DefaultPayloads": {"a": {"Body": "plain text"}},
    }
    doc = ModelDocument(
        hub_name="SageMakerPublicHub",
        hub_arn="arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub",
        model_id="tiny-model",
        version="1.0.0",
        content_type="Model",
        hub_content_arn="arn:aws:sagemaker:us-west-2:aws:hub-content/SageMakerPublicHub/Model/tiny-model/1.0.0",
        document=sparse,
    )
    nb = render(action, "v3", doc, acceptance=False)
    for cell in nb.cells:
        if cell.cell_type == "code":
            ast.parse(cell.source)
    src = code(nb)
    assert 'INSTANCE_TYPE = "ml.<family>.<size>"' in src and "ACCEPT_EULA = False" in src
    assert "SDK_HUB = 'SageMakerPublicHub'" in src and "None" not in nb.cells[0].source
    assert ("PROMPT_TEMPLATE = 'plain text'" if action == "evaluate" else "payload = 'plain text'") in src


# -- EULA: accept_eula follows a recorded acceptance, not the gate -------------------------------------
@pytest.mark.parametrize("action", ["deploy", "train", "evaluate"])
@pytest.mark.parametrize("sdk", ["v3", "v2"])
@pytest.mark.parametrize("content_type", ["ModelReference", "Model"])
def test_gated_model_without_an_acceptance_never_accepts_the_eula(action, sdk, content_type) -> None:
    doc = hostile_llama_doc(content_type)
    assert doc.gated
    nb = render(action, sdk, doc, acceptance=False)
    src = code(nb)
    assert "ACCEPT_EULA = False" in src and "ACCEPT_EULA = True" not in src
    assert "no recorded acceptance" in src and "accepted by" not in src
    assert "not accepted yet" in nb.cells[0].source and "None" not in nb.cells[0].source
    accepted = code(render(action, sdk, doc, acceptance=True))
    assert "ACCEPT_EULA = True" in accepted and "accepted by alice at 2026-11-21T20:00:00+00:00" in accepted


def test_an_acceptance_of_another_version_or_model_does_not_accept_the_eula() -> None:
    doc = hostile_llama_doc()
    for other in ({"version": "4.18.0"}, {"model_id": "meta-textgeneration-llama-2-7b"}, {"hub_arn": HUB_ARN + "-x"}):
        acceptance = accepted(doc).model_copy(update=other)
        ctx = build_context(
            doc,
            action="deploy",
            sdk="v3",
            region="us-west-2",
            acceptance=acceptance,
            endpoint_name=None,
        )
        assert "ACCEPT_EULA = False" in code(render_notebook(ctx)), other


# -- train: imported private Models get a boto3 CreateTrainingJob -----------------------------------------
class _TrainingClient:
    """A sagemaker client that records CreateTrainingJob and reports the job Completed."""

    def __init__(self) -> None:
        self.jobs: list[dict] = []

    def create_training_job(self, **kwargs):
        self.jobs.append(kwargs)
        return {"TrainingJobArn": "arn:aws:sagemaker:us-west-2:123456789012:training-job/x"}

    def describe_training_job(self, TrainingJobName):
        return {"TrainingJobStatus": "Completed", "SecondaryStatus": "Completed"}


@pytest.mark.parametrize("sdk", ["v3", "v2"])
@pytest.mark.parametrize("eula", [True, False])
def test_imported_trainable_model_trains_with_boto3_built_from_its_document(sdk, eula) -> None:
    doc = hostile_llama_doc("Model", GatedBucket=eula, **({} if eula else {"HostingEulaUri": None}))
    nb = render("train", sdk, doc, local=None, acceptance=eula)
    text = "\n".join(c.source for c in nb.cells)
    src = code(nb)
    assert "JumpStartEstimator" not in src and "ModelTrainer" not in src and "from_jumpstart_config" not in src
    assert "sagemaker_client.create_training_job(" in src and "TRAINING_OUTPUT_S3_URI = None" in src
    assert "only resolves models that are also in the public JumpStart catalog" in text  # the sentence saying why
    # run the settings and fine-tune cells against a recording client
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    settings = next(s for s in cells if "HYPERPARAMETERS = {" in s)
    fine_tune = next(s for s in cells if "create_training_job(" in s)
    client = _TrainingClient()
    namespace = {"sagemaker_client": client, "role": "arn:aws:iam::123456789012:role/R", "json": json}
    exec(settings + "\nTRAINING_OUTPUT_S3_URI = 's3://bucket/out/'\nPOLL_SECONDS = 0", namespace)
    exec(fine_tune, namespace)
    (job,) = client.jobs
    d = doc.document
    assert job["AlgorithmSpecification"]["TrainingImage"] == d["TrainingEcrUri"]
    assert job["ResourceConfig"]["InstanceType"] == d["DefaultTrainingInstanceType"]
    assert job["OutputDataConfig"] == {"S3OutputPath": "s3://bucket/out/"}
    assert job["HyperParameters"]["epoch"] == "1"
    assert job["HyperParameters"]["sagemaker_program"] == '"transfer_learning.py"'
    channels = {c["ChannelName"]: c for c in job["InputDataConfig"]}
    assert channels["training"]["DataSource"]["S3DataSource"]["S3Uri"] == d["DefaultTrainingDatasetUri"]
    model = channels["model"]["DataSource"]["S3DataSource"]
    assert model["S3Uri"] == d["TrainingArtifactUri"] and model["HubAccessConfig"] == {"HubContentArn": CONTENT_ARN}
    assert (model.get("ModelAccessConfig") == {"AcceptEula": True}) is eula
    assert channels["code"]["DataSource"]["S3DataSource"]["S3Uri"] == d["TrainingScriptUri"]
    assert job["EnableNetworkIsolation"] is d["TrainingEnableNetworkIsolation"]
    assert namespace["TRAINING_JOB_NAME"] == job["TrainingJobName"]


def test_hub_models_that_the_sdk_resolves_keep_the_sdk_training_path() -> None:
    assert "ModelTrainer.from_jumpstart_config" in code(render("train", "v3", hostile_llama_doc("ModelReference")))
    assert "JumpStartEstimator(" in code(render("train", "v2", hostile_llama_doc("ModelReference")))
    public = ModelDocument(**{**hostile_llama_doc("Model").model_dump(), "hub_name": "SageMakerPublicHub"})
    assert "create_training_job(" not in code(render("train", "v3", public))


# -- evaluate: SDK step only when it can run, fallback per task family, clean-up always reached --------------
def _family_doc(task: str | None, payloads: dict | None = None) -> ModelDocument:
    d = {"Task": task} if task else {}
    if payloads is not None:
        d["DefaultPayloads"] = payloads
    return ModelDocument(
        hub_name="SageMakerPublicHub",
        hub_arn="arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub",
        model_id="some-model",
        version="1.0.0",
        content_type="Model",
        hub_content_arn="arn:aws:sagemaker:us-west-2:aws:hub-content/SageMakerPublicHub/Model/some-model/1.0.0",
        document={"DefaultInferenceInstanceType": "ml.g5.2xlarge", **d},
    )


@pytest.mark.parametrize(
    ("task", "marker", "sdk_step"),
    [
        ("Text Generation", "What is the capital of France?", True),
        (None, "What is the capital of France?", True),  # no task stated: text generation
        ("Text2Text Generation", "Translate English to German", True),
        ("Summarization", "Translate English to German", True),
        ("Text Embedding", "ranking_accuracy", False),
        ("Text Classification", "LABEL_MAP = {}", False),
        ("Image Classification", "for _ in range(3):", False),
    ],
)
@pytest.mark.parametrize("sdk", ["v3", "v2"])
def test_evaluation_suits_the_task(task, marker, sdk_step, sdk) -> None:
    src = code(render("evaluate", sdk, _family_doc(task), local=None, acceptance=False))
    assert marker in src and '"success_rate"' in src and "latency_p50_s" in src
    if sdk_step:
        assert "RUN_SDK_EVALUATION = True" in src
        assert ("InspectAIEvaluator(" in src) is (sdk == "v3") and ("JumpStartModelRunner(" in src) is (sdk == "v2")
    else:
        assert "InspectAIEvaluator" not in src and "fmeval" not in src.replace("Skipped the fmeval evaluation", "")
        assert "it evaluates generative text models and this model's task is " + task in src


def test_embedding_requests_use_the_documents_prompt_key() -> None:
    payloads = {"Example": {"Body": {"TextInputs": ["a sentence"]}, "PromptKey": "text_inputs"}}
    src = code(render("evaluate", "v3", _family_doc("Text Embedding", payloads), acceptance=False))
    assert "PROMPT_TEMPLATE = {'text_inputs': ['a sentence']}" in src
    assert "request['text_inputs'] = [prompt] if isinstance(request['text_inputs'], list) else prompt" in src


def _sdk_step(nb) -> tuple[str, str]:
    """The settings cell and the SDK evaluation cell."""
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    settings = next(s for s in cells if "RUN_SDK_EVALUATION = True" in s)
    step = next(s for s in cells if s.startswith("if not RUN_SDK_EVALUATION:"))
    return settings, step


def _run(settings: str, step: str, capsys, extra: str = "") -> str:
    namespace = {"role": "arn:aws:iam::123456789012:role/R"}
    exec(settings + "\n" + extra, namespace)
    exec(step, namespace)
    return capsys.readouterr().out


def test_v3_sdk_evaluation_is_skipped_with_a_reason_until_its_settings_are_filled(capsys) -> None:
    settings, step = _sdk_step(render("evaluate", "v3", local=None))
    assert "EVAL_S3_OUTPUT = None" in settings and "BENCHMARKS_S3_PATH = None" in settings
    assert "<your-bucket>" not in "\n".join(line.split("#")[0] for line in settings.splitlines())
    out = _run(settings, step, capsys)
    assert "Skipped the SageMaker evaluation job: set EVAL_S3_OUTPUT and BENCHMARKS_S3_PATH" in out
    out = _run(settings, step, capsys, "RUN_SDK_EVALUATION = False")
    assert "Skipped the SageMaker evaluation job: RUN_SDK_EVALUATION is False." in out


def test_v3_sdk_evaluation_failure_is_reported_not_raised(capsys, monkeypatch) -> None:
    import types

    class Failing:
        def __init__(self, **kwargs):
            raise RuntimeError("no such benchmark")

    monkeypatch.setitem(sys.modules, "sagemaker.train.evaluate", types.SimpleNamespace(InspectAIEvaluator=Failing))
    settings, step = _sdk_step(render("evaluate", "v3", local=None))
    filled = "EVAL_S3_OUTPUT = 's3://b/eval/'\nBENCHMARKS_S3_PATH = 's3://b/bench/'\nENDPOINT_NAME = 'x'"
    out = _run(settings, step, capsys, filled)
    assert "The SageMaker evaluation job failed: RuntimeError: no such benchmark" in out


def test_v3_sdk_evaluation_is_skipped_when_its_library_does_not_import(capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "sagemaker.train.evaluate", None)  # import raises ImportError
    settings, step = _sdk_step(render("evaluate", "v3", local=None))
    out = _run(settings, step, capsys, "EVAL_S3_OUTPUT = 's3://b/eval/'\nBENCHMARKS_S3_PATH = 's3://b/bench/'")
    assert "Skipped the SageMaker evaluation job: sagemaker.train.evaluate cannot be imported" in out


def test_v2_fmeval_is_skipped_when_not_installed_and_failures_are_reported(capsys, monkeypatch) -> None:
    import types

    settings, step = _sdk_step(render("evaluate", "v2", local=None))
    monkeypatch.setitem(sys.modules, "fmeval", None)
    assert "Skipped the fmeval evaluation: fmeval cannot be imported" in _run(settings, step, capsys)

    class Failing:
        def __init__(self, **kwargs):
            raise RuntimeError("cannot reach the JumpStart bucket")

    fake = {
        "fmeval": types.ModuleType("fmeval"),
        "fmeval.eval_algorithms": types.ModuleType("fmeval.eval_algorithms"),
        "fmeval.eval_algorithms.factual_knowledge": types.SimpleNamespace(
            FactualKnowledge=Failing, FactualKnowledgeConfig=Failing
        ),
        "fmeval.model_runners": types.ModuleType("fmeval.model_runners"),
        "fmeval.model_runners.sm_jumpstart_model_runner": types.SimpleNamespace(JumpStartModelRunner=Failing),
    }
    for name, module in fake.items():
        monkeypatch.setitem(sys.modules, name, module)
    out = _run(settings, step, capsys, "ENDPOINT_NAME = 'x'")
    assert "The fmeval evaluation failed: RuntimeError: cannot reach the JumpStart bucket" in out


def test_v2_fmeval_does_not_apply_to_imported_models() -> None:
    src = code(render("evaluate", "v2", hostile_llama_doc("Model")))
    assert "JumpStartModelRunner" not in src and "RUN_SDK_EVALUATION" not in src
    assert "Skipped the fmeval evaluation: {reason}." in src and "public JumpStart model ids" in src
