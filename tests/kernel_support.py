"""Run generated notebooks headless in a kernel of a chosen Python (nbclient), and check their AWS effects."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

REPO = Path(__file__).resolve().parents[1]
GATED = {"hub": "CompanyHub", "model_id": "meta-textgeneration-llama-2-7b-f"}
HUB_CONTENT_PREFIX = "arn:aws:sagemaker:us-west-2:123456789012:hub-content/CompanyHub/ModelReference/"


def kernel(python: Path, tmp_path: Path, local_service: str | None = None) -> KernelManager:
    """A kernel manager running ``python`` with the source tree importable; ``local_service``: exported as the
    server extension exports it to the kernels it starts (generated notebooks find the service by it)."""
    spec_dir = tmp_path / "kernels" / "sdk"
    spec_dir.mkdir(parents=True)
    env = {
        "PYTHONPATH": str(REPO),
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "HOME": str(tmp_path),  # no ~/.aws of the developer
        **({"JUMPSTART_LAB_LOCAL_ENDPOINT": local_service} if local_service else {}),
    }
    (spec_dir / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "sdk",
                "language": "python",
                "env": env,
            }
        )
    )
    ksm = KernelSpecManager(kernel_dirs=[str(tmp_path / "kernels")])
    return KernelManager(kernel_name="sdk", kernel_spec_manager=ksm)


def run(nb: nbformat.NotebookNode, km: KernelManager, cwd: Path, before_cleanup=None) -> dict:
    """Execute every cell; call ``before_cleanup(namespace)`` before the first clean-up cell."""
    client = NotebookClient(nb, km=km, timeout=600, resources={"metadata": {"path": str(cwd)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code":
                continue
            if "cleanup" in cell.metadata.get("tags", []) and before_cleanup is not None:
                before_cleanup(namespace(client))
                before_cleanup = None
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as error:  # show the kernel's error, not only the cell
                trace = "\n".join(line for o in cell.outputs if o.output_type == "error" for line in o.traceback)
                raise AssertionError(f"cell {index} failed: {error.ename}: {error.evalue}\n{trace[-4000:]}") from error
        return namespace(client)


def namespace(client: NotebookClient) -> dict:
    """A few variables of the running kernel, as JSON."""
    probe = nbformat.v4.new_code_cell(
        "import json as _j\nprint(_j.dumps({k: globals().get(k) for k in "
        "('ENDPOINT_NAME', 'TRAINING_JOB_NAME', 'ACCEPT_EULA', 'result')}, default=str))"
    )
    out = client.execute_cell(probe, 0, store_history=False)
    text = "".join(o.get("text", "") for o in out.outputs if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


async def make_notebook(api, root: Path, action: str, sdk: str, **extra) -> nbformat.NotebookNode:
    accepted = await api("POST", f"hubs/{GATED['hub']}/models/{GATED['model_id']}/eula", body={"action": action})
    assert accepted.code == 201, accepted.body
    r = await api("POST", "notebooks", body={**GATED, "action": action, "sdk": sdk, **extra})
    assert r.code == 201, r.body
    return nbformat.read(root / r.json()["path"], as_version=4)


def assert_gated_model_deployed(boto, endpoint_name: str) -> None:
    sm = boto("sagemaker")
    endpoint = sm.describe_endpoint(EndpointName=endpoint_name)
    assert endpoint["EndpointStatus"] in ("InService", "Creating")
    config = sm.describe_endpoint_config(EndpointConfigName=endpoint["EndpointConfigName"])
    model = sm.describe_model(ModelName=config["ProductionVariants"][0]["ModelName"])
    source = model["PrimaryContainer"]["ModelDataSource"]["S3DataSource"]
    assert source["ModelAccessConfig"] == {"AcceptEula": True}
    assert source["HubAccessConfig"]["HubContentArn"].startswith(HUB_CONTENT_PREFIX + GATED["model_id"] + "/")


def assert_deleted(boto, endpoint_name: str) -> None:
    names = [e["EndpointName"] for e in boto("sagemaker").list_endpoints(MaxResults=100)["Endpoints"]]
    assert endpoint_name not in names
