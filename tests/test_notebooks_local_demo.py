"""The demo's notebooks, run as a demo user (no AWS credentials) would: a generated notebook still runs after
JupyterLab restarted (its embedded service then listens on another port) and says what to start when no
service runs; every example notebook of notebooks/ runs from the demo's file browser (demo/examples)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_process import get_json, local_mode_server, stop
from kernel_support import kernel
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from jumpstart_lab.local.demo import copy_examples

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]

OPEN_MODEL = {"hub": "SageMakerPublicHub", "model_id": "huggingface-text2text-flan-t5-base", "action": "deploy"}


def outputs(nb: nbformat.NotebookNode) -> str:
    """Everything the cells printed or displayed as text."""
    parts = []
    for cell in nb.cells:
        for o in cell.get("outputs", []) if cell.cell_type == "code" else []:
            parts.append(o.get("text", "") or (o.get("data") or {}).get("text/plain", ""))
    return "\n".join(parts)


def execute(nb: nbformat.NotebookNode, tmp_path: Path, runtime: Path) -> None:
    """Run every cell in a kernel of our own (not one the server started: it knows nothing of the service)."""
    km = kernel(Path(sys.executable), tmp_path / f"k{len(list(tmp_path.glob('k*')))}")
    km.kernel_spec.env.update(JUPYTER_RUNTIME_DIR=str(runtime))  # the same user's runtime directory
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        km.kernel_spec.env.pop(key, None)  # a demo user: no AWS credentials
    NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(tmp_path)}}).execute()


def test_a_notebook_written_before_a_restart_runs_after_it(tmp_path: Path) -> None:
    runtime = tmp_path / "runtime"
    with local_mode_server(tmp_path) as (base, proc, _):
        code, created = get_json(f"{base}/notebooks", "POST", OPEN_MODEL)
        assert code == 201, created
        first_port = re.search(r"local demo service at http://127\.0\.0\.1:(\d+)", _.read_text())[1]
        stop(proc)
    path = tmp_path / "root" / created["path"]
    nb = nbformat.read(path, as_version=4)
    assert first_port not in "".join(c.source for c in nb.cells)  # no port baked into the file

    with local_mode_server(tmp_path) as (base, proc, log):
        second_port = re.search(r"local demo service at http://127\.0\.0\.1:(\d+)", log.read_text())[1]
        assert second_port != first_port
        execute(nb, tmp_path, runtime)  # deploys, invokes and deletes on the service running now
        printed = outputs(nb)
        assert f"Local demo service: http://127.0.0.1:{second_port}" in printed
        assert "Deleted" in printed  # ran to its clean-up
        stop(proc)

    # no service running any more: the first cell that needs it says what to start
    nb = nbformat.read(path, as_version=4)
    with pytest.raises(CellExecutionError) as failure:
        execute(nb, tmp_path, runtime)
    assert "LocalServiceNotRunning" in str(failure.value)
    assert "No jumpstart-lab local demo service is running on this computer" in str(failure.value)
    assert "jumpstart-lab local" in str(failure.value)


def test_every_example_notebook_runs_from_the_demo_file_browser_without_aws(tmp_path: Path) -> None:
    examples = sorted(p.name for p in (REPO / "notebooks").glob("*.ipynb"))
    assert {"tour.ipynb", "deploy-huggingface-llm-mistral-7b-instruct.ipynb"} <= set(examples)
    root = tmp_path / "root"
    assert copy_examples(REPO / "notebooks", root) == examples  # what scripts/demo.sh does
    mine = root / "examples" / "tour.ipynb"
    mine.write_text(mine.read_text().replace("A tour of jumpstart-lab", "My tour"))
    assert copy_examples(REPO / "notebooks", root) == [] and "My tour" in mine.read_text()  # never overwritten

    with local_mode_server(tmp_path):
        for name in examples:
            nb = nbformat.read(root / "examples" / name, as_version=4)
            execute(nb, tmp_path, tmp_path / "runtime")
            printed = outputs(nb)
            if name == "tour.ipynb":
                assert "SageMakerPublicHub" in printed and "CompanyHub" in printed, printed[-2000:]
            else:
                assert "Local demo service: http://127.0.0.1:" in printed, (name, printed[-2000:])
            if name.startswith(("deploy-", "evaluate-")):
                assert "Deleted" in printed, (name, printed[-2000:])  # ran to its clean-up
