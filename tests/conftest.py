"""Shared fixtures: one local AWS-compatible service per test session, and a Jupyter
server (pytest-jupyter) with the extension on it."""

from __future__ import annotations

import fcntl
import json
import os
import pwd
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from eula_support import DenyCuration
from hub_support import drop_hub, unique
from kernel_support import kernel
from service_support import add_fault, aws_client, clear_faults
from tornado.httpclient import HTTPClientError

pytest_plugins = ("pytest_jupyter.jupyter_server",)

ACCOUNT = "123456789012"
# Set by .ci/run: a test that skips (no Chromium, no SDK v2 environment, no built frontend) fails instead,
# so CI cannot pass without running everything.
NO_SKIPS = os.environ.get("JUMPSTART_LAB_NO_SKIPS") == "1"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if NO_SKIPS and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        report.outcome = "failed"
        report.longrepr = f"skipped, but JUMPSTART_LAB_NO_SKIPS=1 requires every test to run: {reason}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Groups for pytest-xdist's ``--dist loadgroup`` (scripts/test.sh runs two workers): a module's tests stay
    on one worker, so its module fixtures (a JupyterLab, a JupyterHub) start once; every browser test runs on
    one worker, so one Chromium and one JupyterLab at a time share the machine with the other worker's tests."""
    for item in items:
        if item.get_closest_marker("xdist_group") is None:
            group = "browser" if item.get_closest_marker("browser") else item.nodeid.split("::")[0]
            item.add_marker(pytest.mark.xdist_group(group))


@pytest.fixture(scope="session")
def local_service() -> Iterator[str]:
    """Endpoint URL of a local service started for the whole test session (quotas large enough for every
    test's endpoints; tests of the quota check start their own service with small ones)."""
    from jumpstart_lab.local.economics import HOSTING_PRICES
    from jumpstart_lab.local.process import LocalServiceProcess

    env = {
        "JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS": os.environ.get("JUMPSTART_LAB_LOCAL_ENDPOINT_SECONDS", "1"),
        "JUMPSTART_LAB_LOCAL_QUOTAS": ",".join(f"{name}=1000" for name in HOSTING_PRICES),
    }
    proc = LocalServiceProcess(env=env)
    url = proc.start()
    yield url
    proc.stop()


@pytest.fixture(scope="session")
def deny_service() -> Iterator[str]:
    """A second local service behaving as the private-hubs blog's deny-public-hub user policy."""
    from jumpstart_lab.local.process import LocalServiceProcess

    proc = LocalServiceProcess(env={"JUMPSTART_LAB_LOCAL_DENY_PUBLIC_HUB": "1"})
    url = proc.start()
    yield url
    proc.stop()


def server_config(endpoint_url: str, eula_store_path) -> dict[str, Any]:
    """pytest-jupyter config: the extension in local mode on the local service at ``endpoint_url``."""
    return {
        "ServerApp": {"jpserver_extensions": {"jumpstart_lab": True}, "allow_unauthenticated_access": False},
        "JumpStartLab": {
            "mode": "local",
            "endpoint_url": endpoint_url,
            "eula_store_path": str(eula_store_path),
            "catalog_snapshot_dir": str(Path(eula_store_path).parent / "catalog-snapshots"),
        },
    }


@pytest.fixture
def boto(local_service: str):
    """``boto("sagemaker")``: a plain boto3 client on the local service."""

    def make(service: str, **config: Any):
        return aws_client(local_service, service, **config)

    return make


@pytest.fixture
def eula_store_path(tmp_path):
    return tmp_path / "eula-acceptances.sqlite3"


@pytest.fixture
def aws_endpoint(local_service):
    """The local service the test's Jupyter server talks to; a module overrides it to use another one
    (``deny_service``, its own ``fuzz_service``, ...)."""
    return local_service


@pytest.fixture
def jumpstart_settings() -> dict[str, Any]:
    """Extra ``JumpStartLab`` traits for the test's Jupyter server; a module or class overrides it."""
    return {}


@pytest.fixture
def server_app_settings() -> dict[str, Any]:
    """Extra ``ServerApp`` traits (an identity provider, an authorizer); a module or class overrides it."""
    return {}


@pytest.fixture
def jp_server_config(aws_endpoint, eula_store_path, jumpstart_settings, server_app_settings, curation_mode):
    """The one server config: the extension on ``aws_endpoint``, with ``jumpstart_settings``,
    ``server_app_settings`` and ``curation_mode``. Modules override those fixtures, never this one."""
    config = server_config(aws_endpoint, eula_store_path)
    config["JumpStartLab"].update(jumpstart_settings)
    config["ServerApp"].update(server_app_settings)
    return with_curation_mode(config, curation_mode)


class ApiResponse:
    def __init__(self, code: int, body: bytes, headers: Any) -> None:
        self.code = code
        self.body = body
        self.headers = headers

    def json(self) -> Any:
        return json.loads(self.body)


@pytest.fixture
def api(jp_fetch):
    """``await api("GET", "hubs", params=..., body=...)`` -> ApiResponse (never raises on 4xx/5xx)."""

    async def call(
        method: str, path: str, *, body: Any = None, params: dict | None = None, headers: dict | None = None
    ):
        kwargs: dict[str, Any] = {"method": method}
        if body is not None:
            kwargs["body"] = body if isinstance(body, (str, bytes)) else json.dumps(body)
        elif method in ("POST", "PUT", "PATCH"):
            kwargs["body"] = "{}"
        if method == "DELETE":
            kwargs["allow_nonstandard_methods"] = True
        if params:
            kwargs["params"] = params
        if headers is not None:
            kwargs["headers"] = headers
        parts = ["jumpstart-lab", "api", *[p for p in path.split("/") if p]]
        try:
            r = await jp_fetch(*parts, **kwargs)
            return ApiResponse(r.code, r.body, r.headers)
        except HTTPClientError as e:
            return ApiResponse(e.code, e.response.body if e.response else b"", e.response.headers if e.response else {})

    return call


@pytest.fixture
def jumpstart_client(http_server_client, http_server_port, jp_serverapp, jp_base_url):
    """A kernel-side ``JumpStartClient`` on the test server's real listener.

    Its calls block: run them (and widget clicks that use it) through ``asyncio.to_thread``.
    """
    from jumpstart_lab.client import JumpStartClient

    url = f"http://127.0.0.1:{http_server_port[-1]}{jp_base_url}"
    return JumpStartClient(url, token=jp_serverapp.identity_provider.token, timeout=(5.0, 120.0))


@pytest.fixture
def make_browser(jumpstart_client):
    """``make_browser(**kwargs)``: a ``HubBrowser`` on the test server (no debounce, fast polls), closed after
    the test. Wait for its REST calls with ``widget_support.settle``."""
    from jumpstart_lab.widget.browser import HubBrowser

    made: list[HubBrowser] = []

    def make(**kwargs: Any) -> HubBrowser:
        kwargs.setdefault("client", jumpstart_client)
        kwargs.setdefault("locale", "en")
        kwargs.setdefault("debounce", 0)
        kwargs.setdefault("poll_interval", 0.2)
        browser = HubBrowser(**kwargs)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        browser.close()


@pytest.fixture
def bridge_messages(monkeypatch) -> list[dict]:
    """What the panels send to JupyterLab (``LabBridge.send``: open a notebook, a view, a dialog), in order."""
    from jumpstart_lab.lab.bridge import LabBridge

    sent: list[dict] = []
    monkeypatch.setattr(LabBridge, "send", lambda self, content, buffers=None: sent.append(content))
    return sent


# -- curation: browsing allowed, curation refused or disabled ------------------------------------------


@pytest.fixture
def curation_mode() -> str:
    """Overridden per test with ``@pytest.mark.parametrize("curation_mode", [...])``."""
    return "default"


def with_curation_mode(jp_server_config: dict[str, Any], curation_mode: str) -> dict[str, Any]:
    """The server config with curation refused by the authorizer (``deny``) or by the trait (``disabled``)."""
    config = {section: dict(values) for section, values in jp_server_config.items()}
    if curation_mode == "deny":
        config["ServerApp"]["authorizer_class"] = DenyCuration
    if curation_mode == "disabled":
        config["JumpStartLab"]["allow_curation"] = False
    return config


@pytest.fixture
def faults(local_service):
    """``faults(action=..., code=..., count=...)``: the local service fails the matching AWS calls
    (``/_emu/faults``); cleared after the test."""

    def inject(**rule: Any) -> None:
        add_fault(local_service, rule)

    yield inject
    clear_faults(local_service)


@pytest.fixture
def sm(boto):
    return boto("sagemaker")


@pytest.fixture
def boto_hub(sm):
    """A fresh private hub made through boto3 (dropped with whatever it holds afterwards); yields (name, arn)."""
    name = unique("test-hub")
    arn = sm.create_hub(HubName=name, HubDescription="test hub", HubDisplayName="Test hub")["HubArn"]
    yield name, arn
    drop_hub(sm, name)


@pytest.fixture
def private_hub(api, sm):
    """Create hubs through the API; whatever a test leaves behind is deleted through boto3."""
    created: list[str] = []

    async def make(name: str | None = None, **extra) -> dict:
        name = name or unique("CurationTest")
        body = {"name": name, "display_name": f"{name} display", "description": "Hub made by a curation test.", **extra}
        r = await api("POST", "hubs", body=body)
        assert r.code == 201, r.body
        created.append(name)
        return r.json()

    yield make
    for name in created:
        drop_hub(sm, name)


# -- SDK v2: its own cached virtual environment (sagemaker 2 and 3 cannot share one) ----------------
SDK_V2_VERSION = "2.257.7"


def _v2_ready(python: Path) -> bool:
    if not python.exists():
        return False
    check = f"import sagemaker, ipykernel, boto3; assert sagemaker.__version__ == {SDK_V2_VERSION!r}"
    result = subprocess.run([str(python), "-c", check], capture_output=True, timeout=300, env=_clean_env())
    return result.returncode == 0


def _clean_env() -> dict[str, str]:
    """This process's environment without PYTHONPATH (it points into this venv's site-packages)."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}


@pytest.fixture(scope="session")
def sdk_v2_python() -> Path:
    """Python of a cached venv with sagemaker 2 (created on first use; needs the package index once)."""
    home = Path(pwd.getpwuid(os.getuid()).pw_dir)  # the real home: pytest-jupyter points HOME at a temp folder
    venv = Path(os.environ.get("JUMPSTART_LAB_SDK_V2_VENV", home / ".cache" / "jumpstart-lab" / "sdk-v2-venv"))
    python = venv / "bin" / "python"
    venv.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / "sdk-v2-venv.lock", "w") as lock:  # pytest-xdist workers: one builds, the others wait
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _ensure_v2_venv(venv, python)


@pytest.fixture
def v3_kernel(tmp_path, local_service):
    """A kernel manager on this environment's Python (SDK v3), the service exported as the server exports it."""
    return kernel(Path(sys.executable), tmp_path, local_service)


@pytest.fixture
def v2_kernel(tmp_path, sdk_v2_python, local_service):
    """A kernel manager on the SDK v2 venv's Python."""
    return kernel(sdk_v2_python, tmp_path, local_service)


def _ensure_v2_venv(venv: Path, python: Path) -> Path:
    if not _v2_ready(python):
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=_clean_env())
        install = [str(python), "-m", "pip", "install", "-q", f"sagemaker=={SDK_V2_VERSION}", "ipykernel", "boto3"]
        result = subprocess.run(install, capture_output=True, text=True, timeout=1800, env=_clean_env())
        if result.returncode != 0 or not _v2_ready(python):
            pytest.skip(f"cannot build the SDK v2 environment in {venv} (no package index?): {result.stderr[-500:]}")
    return python


# -- teams: a real PostgreSQL (tests/postgres.py) ------------------------------------------------------


@pytest.fixture(scope="session")
def postgres():
    """One throwaway PostgreSQL cluster for the test session (PostgresCluster: url, stop(), start())."""
    from postgres import PostgresCluster

    try:
        cluster = PostgresCluster()
    except RuntimeError as exc:
        pytest.skip(str(exc))
    yield cluster
    cluster.destroy()


@pytest.fixture
def pg_url(postgres) -> str:
    return postgres.new_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """The same test on a SQLite file and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'db' / 'jumpstart-lab.sqlite3'}"
    return request.getfixturevalue("postgres").new_database()
