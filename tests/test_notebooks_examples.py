"""The example notebooks in notebooks/ are exactly what scripts/regenerate_notebooks.py produces."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]


def load_script():
    spec = importlib.util.spec_from_file_location("regenerate_notebooks", REPO / "scripts" / "regenerate_notebooks.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_example_notebooks_are_up_to_date(local_service) -> None:
    script = load_script()
    wanted = script.examples(local_service)
    assert set(wanted) == {
        "tour.ipynb",
        *(f"{action}-{script.DEMO_MODEL}.ipynb" for action in ("deploy", "train", "evaluate")),
    }
    for name, text in wanted.items():
        on_disk = REPO / "notebooks" / name
        assert on_disk.exists(), f"missing notebooks/{name}: run scripts/regenerate_notebooks.py"
        assert on_disk.read_text() == text, f"notebooks/{name} is out of date: run scripts/regenerate_notebooks.py"
        nbformat.validate(nbformat.reads(text, as_version=4))
    # AWS, or the local demo service when there are no AWS credentials (found at run time: no port in the file);
    # against AWS the role comes from get_execution_role(); a second run is identical
    deploy = wanted[f"deploy-{script.DEMO_MODEL}.ipynb"]
    assert "use_local_service_without_aws()" in deploy and "get_execution_role()" in deploy
    assert "127.0.0.1" not in deploy
    assert script.examples(local_service) == wanted


def test_tour_uses_the_browser_and_the_python_api() -> None:
    source = "\n".join(c.source for c in load_script().tour().cells)
    for call in ("HubBrowser()", "jumpstart_lab.hubs()", "jumpstart_lab.models(", "jumpstart_lab.model("):
        assert call in source
