"""Notebook rendering and writing, without a server: every template variant is valid, escaped and safe."""

from __future__ import annotations

import ast
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import nbformat
import pytest

from jumpstart_lab.browse.models import ModelDocument
from jumpstart_lab.errors import AccessDenied, InvalidInput
from jumpstart_lab.eula.models import Acceptance
from jumpstart_lab.notebooks.context import build_context
from jumpstart_lab.notebooks.render import render_notebook
from jumpstart_lab.notebooks.writer import notebook_folder, write_new

FIXTURE = Path("/work/shared/reference/data/sdk-fixtures/hub-document-v3-llama-2-13b-f.json")
HUB_ARN = "arn:aws:sagemaker:us-west-2:123456789012:hub/my-private-hub"
CONTENT_ARN = f"{HUB_ARN.replace(':hub/', ':hub-content/')}/ModelReference/meta-textgeneration-llama-2-13b-f/4.19.0"


def document() -> dict:
    if FIXTURE.exists():
        return json.loads(FIXTURE.read_text())
    return {
        "HostingEulaUri": "s3://jumpstart-cache-prod-us-west-2/fmhMetadata/eula/llamaEula.txt",
        "DefaultInferenceInstanceType": "ml.g5.12xlarge",
        "SupportedInferenceInstanceTypes": ["ml.g5.12xlarge"],
        "TrainingSupported": True,
        "Task": "Text Generation",
    }


def model_doc(content_type: str = "ModelReference", **doc_changes) -> ModelDocument:
    d = document() | doc_changes
    return ModelDocument(
        hub_name="my-private-hub",
        hub_arn=HUB_ARN,
        model_id="meta-textgeneration-llama-2-13b-f",
        version="4.19.0",
        content_type=content_type,
        hub_content_arn=CONTENT_ARN,
        display_name='Llama <img src=x onerror="alert(1)"> ```\nimport os',
        description="# Heading\n<script>alert(1)</script> [link](javascript:alert(1))",
        document=d,
    )


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
    local: str | None = "http://127.0.0.1:9",
    endpoint_name: str | None = None,
    acceptance: bool = True,
) -> nbformat.NotebookNode:
    doc = doc or model_doc()
    ctx = build_context(
        doc,
        action=action,
        sdk=sdk,
        region="us-west-2",
        acceptance=accepted(doc) if acceptance else None,
        endpoint_name=endpoint_name,
        local_endpoint_url=local,
    )
    return render_notebook(ctx)


def code(nb: nbformat.NotebookNode) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


@pytest.mark.parametrize("action", ["deploy", "train", "evaluate"])
@pytest.mark.parametrize("sdk", ["v3", "v2"])
@pytest.mark.parametrize("content_type", ["ModelReference", "Model"])
@pytest.mark.parametrize("local", [None, "http://127.0.0.1:5000"])
def test_every_variant_is_valid_python_and_nbformat(action, sdk, content_type, local) -> None:
    nb = render(action, sdk, model_doc(content_type), local=local)
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
        assert (
            len(local_cells) == 1 and "Local demo service: remove this cell to run against AWS" in local_cells[0].source
        )
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
    nb = render("deploy", "v3", model_doc("Model"))
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
    doc = model_doc(HostingEulaUri=None, GatedBucket=False)
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
