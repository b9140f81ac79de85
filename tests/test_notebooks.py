"""POST notebooks against the real server and the local service."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

GATED = {"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f"}
OPEN = {"hub": "SageMakerPublicHub", "model_id": "huggingface-llm-mistral-7b-instruct"}
NOT_TRAINABLE = {"hub": "SageMakerPublicHub", "model_id": "huggingface-llm-phi-3-mini-4k-instruct"}
IMPORTED = {"hub": "ResearchHub", "model_id": "acme-custom-llm"}


def code_of(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "code")


async def test_opens_the_notebook_written_for_the_action_or_a_fresh_copy(api, jp_root_dir: Path, local_service) -> None:
    r1 = await api("POST", "notebooks", body={**OPEN, "action": "deploy"})
    assert r1.code == 201, r1.body
    path1 = r1.json()["path"]
    assert path1 == "jumpstart/huggingface-llm-mistral-7b-instruct-deploy-v3.ipynb"  # sdk: installed sagemaker 3
    file1 = jp_root_dir / path1
    nb = nbformat.read(file1, as_version=4)
    nbformat.validate(nb)
    src = code_of(nb)
    assert "MODEL_ID = 'huggingface-llm-mistral-7b-instruct'" in src and "ACCEPT_EULA = False" in src
    assert "HUB_ARN = 'arn:aws:sagemaker:us-west-2:aws:hub/SageMakerPublicHub'" in src
    assert "LOCAL_ENDPOINT = use_local_service()" in src and local_service not in src  # no port baked in
    assert r1.json()["reused"] is False
    # the same action again opens that notebook (not a -1 copy), with the user's edits intact
    nb.cells[0].source += "\n\nmy edits"
    nbformat.write(nb, file1)
    before = file1.read_bytes()
    r2 = await api("POST", "notebooks", body={**OPEN, "action": "deploy"})
    assert r2.code == 200 and r2.json() == {"path": path1, "reused": True}
    assert file1.read_bytes() == before
    # asked for a fresh one: a new file, nothing overwritten
    r3 = await api("POST", "notebooks", body={**OPEN, "action": "deploy", "fresh": True})
    assert r3.code == 201 and r3.json()["path"] == path1.replace(".ipynb", "-1.ipynb")
    assert file1.read_bytes() == before
    # then the newest of them is the one reopened; another version or action is another notebook
    r4 = await api("POST", "notebooks", body={**OPEN, "action": "deploy"})
    assert r4.json() == {"path": r3.json()["path"], "reused": True}
    r5 = await api("POST", "notebooks", body={**OPEN, "action": "train"})
    assert r5.code == 201 and "-train-" in r5.json()["path"]
    # a file with the name but not written for this model is never taken for it
    (jp_root_dir / "jumpstart/huggingface-llm-mistral-7b-instruct-evaluate-v3.ipynb").write_text("my own notes")
    r6 = await api("POST", "notebooks", body={**OPEN, "action": "evaluate"})
    assert r6.code == 201 and r6.json()["path"].endswith("-evaluate-v3-1.ipynb")


@pytest.mark.parametrize("action", ["train", "deploy", "evaluate"])
async def test_gated_model_without_acceptance_is_403_for_every_action(api, jp_root_dir: Path, action) -> None:
    r = await api("POST", "notebooks", body={**GATED, "action": action})
    assert r.code == 403, r.body
    body = r.json()
    assert body["code"] == "EulaNotAccepted" and body["eula_uri"].startswith("s3://") and action in body["message"]
    assert not (jp_root_dir / "jumpstart").exists() or not list((jp_root_dir / "jumpstart").iterdir())


async def test_after_acceptance_the_notebook_accepts_the_eula_with_its_time(api, jp_root_dir: Path) -> None:
    accepted = await api("POST", f"hubs/{GATED['hub']}/models/{GATED['model_id']}/eula", body={"action": "notebook"})
    assert accepted.code == 201
    for sdk in ("v3", "v2"):
        r = await api("POST", "notebooks", body={**GATED, "action": "train", "sdk": sdk})
        assert r.code == 201, r.body
        assert r.json()["path"].endswith(f"-train-{sdk}.ipynb")
        src = code_of(nbformat.read(jp_root_dir / r.json()["path"], as_version=4))
        assert "ACCEPT_EULA = True" in src and accepted.json()["accepted_at"][:19] in src
        assert "HUB_ARN = 'arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub'" in src


async def test_imported_private_model_notebook_explains_the_boto3_path(api, jp_root_dir: Path) -> None:
    r = await api("POST", "notebooks", body={**IMPORTED, "action": "deploy", "sdk": "v3"})
    assert r.code == 201, r.body
    nb = nbformat.read(jp_root_dir / r.json()["path"], as_version=4)
    text = "\n".join(c.source for c in nb.cells)
    assert "sagemaker_client.create_model(" in text and "only resolves models that are" in text
    assert "hub-content/ResearchHub/Model/acme-custom-llm/" in text


@pytest.mark.parametrize(
    "body",
    [
        {**OPEN, "action": "destroy"},
        {**OPEN, "action": "deploy", "sdk": "v1"},
        {**OPEN, "action": "deploy", "version": "latest"},
        {**OPEN, "action": "deploy", "endpoint_name": "bad_name!"},
        {**OPEN, "action": "deploy", "endpoint_name": "x" * 64},
        {**OPEN, "action": "deploy", "path": "/etc/passwd"},
        {"hub": "SageMakerPublicHub", "model_id": "../../etc/passwd", "action": "deploy"},
        {"hub": "../../tmp", "model_id": OPEN["model_id"], "action": "deploy"},
        {"hub": "SageMakerPublicHub", "model_id": "a\nimport os", "action": "deploy"},
        {"hub": OPEN["hub"], "action": "deploy"},
        {**NOT_TRAINABLE, "action": "train"},
        {**IMPORTED, "action": "train"},  # an imported Model without training support is refused the same way
    ],
)
async def test_bad_requests_are_400_and_write_nothing(api, jp_root_dir: Path, body) -> None:
    r = await api("POST", "notebooks", body=body)
    assert r.code == 400, r.body
    assert r.json()["code"] and r.json()["message"]
    assert not (jp_root_dir / "jumpstart").exists() or not list((jp_root_dir / "jumpstart").iterdir())
    assert not any(jp_root_dir.parent.glob("*.ipynb"))


async def test_non_json_body_is_400(api) -> None:
    assert (await api("POST", "notebooks", body="[1, 2]")).code == 400
    assert (await api("POST", "notebooks", body="nope")).code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"hub": "NoSuchHub", "model_id": OPEN["model_id"], "action": "deploy"},
        {"hub": OPEN["hub"], "model_id": "no-such-model", "action": "deploy"},
        {**OPEN, "version": "9.9.9", "action": "deploy"},
    ],
)
async def test_unknown_hub_model_or_version_is_404(api, body) -> None:
    r = await api("POST", "notebooks", body=body)
    assert r.code == 404, r.body


async def test_symlinked_notebook_folder_out_of_the_root_is_refused(api, jp_root_dir: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside")
    (jp_root_dir / "jumpstart").symlink_to(outside, target_is_directory=True)
    r = await api("POST", "notebooks", body={**OPEN, "action": "deploy"})
    assert r.code == 403 and r.json()["code"] == "OutsideRoot"
    assert not list(outside.iterdir())


async def test_directory_names_the_folder_inside_the_root(api, jp_root_dir: Path) -> None:
    """The sidebar's "Notebook directory" setting arrives as ``directory``: nested folders are created."""
    r = await api("POST", "notebooks", body={**OPEN, "action": "deploy", "directory": "projects/llm demo/"})
    assert r.code == 201, r.body
    assert r.json()["path"] == "projects/llm demo/huggingface-llm-mistral-7b-instruct-deploy-v3.ipynb"
    assert (jp_root_dir / r.json()["path"]).is_file()
    assert not (jp_root_dir / "jumpstart").exists()  # the server default is not used


@pytest.mark.parametrize(
    "directory",
    ["../outside", "/tmp", "a/../../b", "~root", ".hidden", "a/./b", "a\\b", "a\nb", "", "x" * 256, "a./b", 7],
)
async def test_directory_outside_the_root_or_malformed_is_400(api, jp_root_dir: Path, directory) -> None:
    r = await api("POST", "notebooks", body={**OPEN, "action": "deploy", "directory": directory})
    assert r.code == 400, r.body
    body = r.json()
    assert body["code"] in ("ValidationError", "InvalidInput") and "directory" in body["message"].lower()
    assert not any(p.suffix == ".ipynb" for p in jp_root_dir.parent.rglob("*"))


async def test_directory_symlinked_out_of_the_root_is_refused(api, jp_root_dir: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("outside-dir")
    (jp_root_dir / "linked").symlink_to(outside, target_is_directory=True)
    r = await api("POST", "notebooks", body={**OPEN, "action": "deploy", "directory": "linked/deeper"})
    assert r.code == 403 and r.json()["code"] == "OutsideRoot"
    assert not list(outside.iterdir())


@pytest.mark.parametrize("model", [NOT_TRAINABLE, IMPORTED])
async def test_train_for_a_model_without_training_support_says_so(api, model) -> None:
    r = await api("POST", "notebooks", body={**model, "action": "train"})
    assert r.code == 400 and r.json()["code"] == "TrainingNotSupported", r.body
