"""``sdk`` defaults to the major version of the installed ``sagemaker`` distribution, else v3.

The detection is monkeypatched (``importlib.metadata.version``): this environment has sagemaker 3, which is also
the fallback, so only a faked sagemaker 2 or a missing distribution tells the rule apart from a constant.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import nbformat
import pytest
from doc_support import hostile_llama_doc

from jumpstart_lab.notebooks import service as notebook_service
from jumpstart_lab.notebooks.models import NotebookRequest
from jumpstart_lab.notebooks.service import NotebookService, installed_sdk_major


class Catalog:
    def model_document(self, hub, model_id, version=None):
        return hostile_llama_doc()


class Eula:
    def require(self, doc, action, user):
        return None  # the renderer then writes ACCEPT_EULA = False


def fake_sagemaker(monkeypatch, version: str | None) -> None:
    real = importlib.metadata.version

    def version_of(name: str) -> str:
        if name != "sagemaker":
            return real(name)
        if version is None:
            raise importlib.metadata.PackageNotFoundError(name)
        return version

    monkeypatch.setattr(notebook_service.importlib.metadata, "version", version_of)


@pytest.mark.parametrize(
    ("installed", "expected"),
    [("2.257.7", "v2"), ("2.0.0", "v2"), (None, "v3"), ("3.27.0", "v3"), ("not-a-version", "v3")],
)
def test_installed_sdk_major(monkeypatch, installed, expected) -> None:
    fake_sagemaker(monkeypatch, installed)
    assert installed_sdk_major() == expected


@pytest.mark.parametrize(("installed", "expected"), [("2.257.7", "v2"), (None, "v3")])
def test_notebook_without_sdk_follows_the_installed_sagemaker(monkeypatch, tmp_path: Path, installed, expected) -> None:
    fake_sagemaker(monkeypatch, installed)
    service = NotebookService(Catalog(), Eula(), root_dir=tmp_path, notebook_dir="nb", region="us-west-2")
    request = NotebookRequest(hub="my-private-hub", model_id="meta-textgeneration-llama-2-13b-f", action="deploy")
    path = service.create(request, "alice")
    assert path == f"nb/meta-textgeneration-llama-2-13b-f-deploy-{expected}.ipynb"
    nb = nbformat.read(tmp_path / path, as_version=4)
    source = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert nb.metadata["jumpstart_lab"]["sdk"] == expected
    if expected == "v2":
        assert "JumpStartModel(" in source and "from_jumpstart_config" not in source
    else:
        assert "ModelBuilder.from_jumpstart_config" in source and "JumpStartModel(" not in source


def test_an_explicit_sdk_wins_over_the_installed_one(monkeypatch, tmp_path: Path) -> None:
    fake_sagemaker(monkeypatch, "2.257.7")
    service = NotebookService(Catalog(), Eula(), root_dir=tmp_path, notebook_dir="nb", region="us-west-2")
    request = NotebookRequest(
        hub="my-private-hub", model_id="meta-textgeneration-llama-2-13b-f", action="deploy", sdk="v3"
    )
    assert service.render(request, "alice").metadata["jumpstart_lab"]["sdk"] == "v3"
