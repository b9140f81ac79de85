"""Faults through the local service's knobs (issue 7): throttling, AWS 5xx bursts, connection
refused, slow calls, the deny-public-hub policy, and a process killed while writing the
acceptance store.

Each scenario runs its own local service (``LocalServiceProcess(env=...)``) and points the
pytest-jupyter server at it. "Bounded time" is enforced as a hang detector (the HTTP client's
``request_timeout``), never as a speed assertion.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from service_support import add_fault, aws_calls, clear_faults
from tornado.httpclient import HTTPClientError

from jumpstart_lab.eula.store import AcceptanceStore
from jumpstart_lab.local.process import LocalServiceProcess

GATED = ("CompanyHub", "meta-textgeneration-llama-2-7b-f")
OPEN = ("ResearchHub", "acme-custom-llm")
PUBLIC = "SageMakerPublicHub"
HANG_LIMIT = 120.0  # seconds: a request still open after this is a hang, whatever the scenario


def start_service(env: dict[str, str], port: int = 0) -> LocalServiceProcess:
    proc = LocalServiceProcess(port=port, env=env)
    proc.start()
    return proc


@pytest.fixture
def call(jp_fetch):
    """``await call(method, path, body=None, params=None)`` -> (status, json) with a hang limit."""

    async def fetch(method: str, path: str, *, body: object = None, params: dict | None = None) -> tuple[int, dict]:
        kwargs: dict = {"method": method, "request_timeout": HANG_LIMIT}
        if body is not None or method == "POST":
            kwargs["body"] = json.dumps(body if body is not None else {})
        if params:
            kwargs["params"] = params
        try:
            r = await jp_fetch("jumpstart-lab", "api", *path.split("/"), **kwargs)
            code, raw = r.code, r.body
        except HTTPClientError as e:
            assert e.code != 599, f"{method} {path}: no answer within {HANG_LIMIT}s"
            code, raw = e.code, e.response.body if e.response else b""
        assert r_is_json(raw), (method, path, code, raw[:300])
        return code, json.loads(raw)

    return fetch


def r_is_json(raw: bytes) -> bool:
    try:
        json.loads(raw)
    except ValueError:
        return False
    return True


def assert_error(code: int, body: dict, status: int, *codes: str) -> None:
    assert code == status, (code, body)
    assert set(body) >= {"code", "message"} and body["message"], body
    if codes:
        assert body["code"] in codes, body
    assert "Traceback" not in body["message"]


async def browse_eula_notebook(call, jp_root_dir: Path, hub: str, model_id: str) -> str:
    """The user's path through a gated model: list, details, EULA, accept, notebook."""
    code, hubs = await call("GET", "hubs")
    assert code == 200, hubs
    assert hub in {h["name"] for h in hubs["hubs"]}
    code, page = await call("GET", f"hubs/{hub}/models")
    assert code == 200, page
    assert model_id in {m["model_id"] for m in page["models"]} or page["total"] > 0
    code, detail = await call("GET", f"hubs/{hub}/models/{model_id}")
    assert code == 200, detail
    code, eula = await call("GET", f"hubs/{hub}/models/{model_id}/eula")
    assert code == 200, eula
    assert eula["required"] is True and eula["text"]
    code, accepted = await call("POST", f"hubs/{hub}/models/{model_id}/eula", body={"action": "deploy"})
    assert code == 201, accepted
    code, created = await call("POST", "notebooks", body={"hub": hub, "model_id": model_id, "action": "deploy"})
    assert code == 201, created
    assert (jp_root_dir / created["path"]).is_file()
    return created["path"]


# --- throttling -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def throttled_30() -> Iterator[str]:
    proc = start_service({"JUMPSTART_LAB_LOCAL_THROTTLE_RATE": "0.3"})
    yield proc.url or ""
    proc.stop()


@pytest.fixture(scope="module")
def throttled_100() -> Iterator[str]:
    proc = start_service({"JUMPSTART_LAB_LOCAL_THROTTLE_RATE": "1.0"})
    yield proc.url or ""
    proc.stop()


class TestThrottleRate30:
    @pytest.fixture
    def aws_endpoint(self, throttled_30):
        return throttled_30

    async def test_browse_eula_and_notebook_succeed(self, call, jp_root_dir, throttled_30) -> None:
        await browse_eula_notebook(call, jp_root_dir, *GATED)
        calls = aws_calls(throttled_30)
        throttled = [c for c in calls if c["status"] in (400, 503)]  # ThrottlingException / Throttling; S3 SlowDown
        assert throttled, "the service throttled nothing: the scenario did not exercise retries"


class TestThrottleRate100:
    @pytest.fixture
    def aws_endpoint(self, throttled_100):
        return throttled_100

    @pytest.mark.parametrize(
        "path",
        [
            f"hubs/{GATED[0]}/models",
            f"hubs/{GATED[0]}/models/{GATED[1]}",
            f"hubs/{GATED[0]}/models/{GATED[1]}/eula",
        ],
    )
    async def test_clean_503(self, call, path: str) -> None:
        code, body = await call("GET", path)
        assert_error(code, body, 503, "Throttled")
        assert "try again" in body["message"]

    async def test_hub_list_reports_throttling(self, call) -> None:
        code, body = await call("GET", "hubs")
        if code == 200:  # discovery degrades per hub: every hub is listed as unavailable, with the reason
            assert not body["hubs"] and body["unavailable"], body
            assert all("throttl" in u["message"].lower() for u in body["unavailable"]), body
        else:
            assert_error(code, body, 503, "Throttled")

    async def test_notebook_creation_is_503_and_writes_nothing(self, call, jp_root_dir) -> None:
        code, body = await call("POST", "notebooks", body={"hub": OPEN[0], "model_id": OPEN[1], "action": "deploy"})
        assert_error(code, body, 503, "Throttled")
        assert not list(jp_root_dir.rglob("*.ipynb"))


# --- AWS 5xx bursts and cache poisoning ---------------------------------------------------------


@pytest.fixture(scope="module")
def faulty() -> Iterator[str]:
    proc = start_service({})
    yield proc.url or ""
    proc.stop()


@pytest.fixture
def inject(faulty):
    def add(**rule) -> None:
        add_fault(faulty, rule)

    yield add
    clear_faults(faulty)


class TestServerErrors:
    @pytest.fixture
    def aws_endpoint(self, faulty):
        return faulty

    async def test_short_burst_is_retried(self, call, inject) -> None:
        inject(action="ListHubContents", code="InternalFailure", status=500, count=2)
        code, page = await call("GET", f"hubs/{OPEN[0]}/models")
        assert code == 200 and page["total"] > 0

    @pytest.mark.parametrize(
        ("action", "path"),
        [
            ("ListHubContents", f"hubs/{OPEN[0]}/models"),
            ("DescribeHubContent", f"hubs/{OPEN[0]}/models/{OPEN[1]}"),
            ("GetObject", f"hubs/{GATED[0]}/models/{GATED[1]}/eula"),
        ],
    )
    async def test_lasting_5xx_is_503_then_recovers(self, call, inject, faulty, action, path) -> None:
        clear_faults(faulty)

        async def other_users_search() -> tuple[int, dict]:
            return await call("GET", "hubs/CompanyHub/models", params={"q": "llama", "gated": "true"})

        for _ in range(100):  # that hub's catalog is loaded before AWS starts failing
            code, before = await other_users_search()
            if code == 200 and before["complete"]:
                break
            await asyncio.sleep(0.1)
        assert before["complete"] and before["total"] > 0
        inject(action=action, code="ServiceUnavailable", status=503, count=-1)
        code, body = await call("GET", path)
        assert_error(code, body, 503)
        # a second user is served meanwhile: status, and a search over a hub already loaded
        assert (await call("GET", "status"))[0] == 200
        code, during = await other_users_search()
        assert code == 200 and [m["model_id"] for m in during["models"]] == [m["model_id"] for m in before["models"]]
        clear_faults(faulty)
        # the failure was not cached: the same request now succeeds
        code, body = await call("GET", path)
        assert code == 200, body

    async def test_failed_notebook_creation_then_success(self, call, inject, faulty, jp_root_dir) -> None:
        inject(action="DescribeHubContent", code="InternalFailure", status=500, count=-1)
        body = {"hub": OPEN[0], "model_id": OPEN[1], "action": "deploy"}
        code, err = await call("POST", "notebooks", body=body)
        assert_error(code, err, 503)
        assert not list(jp_root_dir.rglob("*.ipynb"))
        clear_faults(faulty)
        code, created = await call("POST", "notebooks", body=body)
        assert code == 201, created


# --- connection refused: the service dies mid-run -----------------------------------------------


@pytest.fixture
def dying_service() -> Iterator[LocalServiceProcess]:
    proc = start_service({})
    yield proc
    proc.stop()


class TestConnectionRefused:
    @pytest.fixture
    def aws_endpoint(self, dying_service):
        return dying_service.url or ""

    async def test_unreachable_is_503_and_recovers(self, call, dying_service) -> None:
        code, _ = await call("GET", f"hubs/{OPEN[0]}/models")
        assert code == 200
        assert (await call("GET", "status"))[0] == 200  # caches the caller identity
        port = int((dying_service.url or "").rsplit(":", 1)[1])
        dying_service.stop()
        for path in (f"hubs/{GATED[0]}/models", f"hubs/{OPEN[0]}/models/{OPEN[1]}"):
            code, body = await call("GET", path)
            assert_error(code, body, 503, "AwsUnreachable")
        code, body = await call("POST", "notebooks", body={"hub": GATED[0], "model_id": GATED[1], "action": "train"})
        assert_error(code, body, 503, "AwsUnreachable")
        assert (await call("GET", "status"))[0] == 200  # other users are still served
        # the service comes back on the same port: nothing failed was cached
        dying_service.port = port
        dying_service.start()
        code, page = await call("GET", f"hubs/{GATED[0]}/models")
        assert code == 200 and page["total"] > 0
        code, detail = await call("GET", f"hubs/{OPEN[0]}/models/{OPEN[1]}")
        assert code == 200, detail


# --- slow AWS: every call has a timeout, the server stays responsive ----------------------------


@pytest.fixture(scope="module")
def slow_service() -> Iterator[str]:
    proc = start_service({"JUMPSTART_LAB_LOCAL_LATENCY_MS": "5000"})
    yield proc.url or ""
    proc.stop()


class TestSlowCalls:
    @pytest.fixture
    def aws_endpoint(self, slow_service, monkeypatch):
        # read in AwsSettings when the server builds its services
        monkeypatch.setenv("JUMPSTART_LAB_AWS_READ_TIMEOUT", "1")
        monkeypatch.setenv("JUMPSTART_LAB_AWS_MAX_ATTEMPTS", "1")
        return slow_service

    async def test_timeouts_give_503_while_status_answers(self, call) -> None:
        slow = [
            asyncio.ensure_future(call("GET", f"hubs/{hub}/models")) for hub in ("CompanyHub", "ResearchHub", PUBLIC)
        ]
        slow.append(asyncio.ensure_future(call("GET", f"hubs/{OPEN[0]}/models/{OPEN[1]}/eula")))
        await asyncio.sleep(0.2)
        code, status = await call("GET", "status")
        assert code == 200 and status["mode"] == "local"
        assert not all(t.done() for t in slow), "status should answer while the AWS calls are in flight"
        for code, body in await asyncio.gather(*slow):
            assert_error(code, body, 503, "AwsUnreachable")


# --- deny public hub: private hubs end to end ---------------------------------------------------


class TestDenyPublicHub:
    @pytest.fixture
    def aws_endpoint(self, deny_service):
        return deny_service

    async def test_private_hub_end_to_end(self, call, jp_root_dir) -> None:
        path = await browse_eula_notebook(call, jp_root_dir, "CompanyHub", "meta-textgeneration-llama-2-13b-f")
        notebook = json.loads((jp_root_dir / path).read_text())
        assert "CompanyHub" in json.dumps(notebook)
        code, hubs = await call("GET", "hubs")
        (public,) = [u for u in hubs["unavailable"] if u["name"] == PUBLIC]
        assert public["code"] == "AccessDeniedException" and "denied" in public["message"]
        code, body = await call("GET", f"hubs/{PUBLIC}/models")
        assert_error(code, body, 403, "AccessDenied")
        code, body = await call("POST", "notebooks", body={"hub": PUBLIC, "model_id": OPEN[1], "action": "deploy"})
        assert_error(code, body, 403, "AccessDenied")


# --- acceptance store: a writer killed mid-write --------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from datetime import datetime, timezone
    from pathlib import Path
    from jumpstart_lab.eula.models import Acceptance
    from jumpstart_lab.eula.store import AcceptanceStore

    store = AcceptanceStore(Path(sys.argv[1]))
    n = start = int(sys.argv[2])  # each writer its own models: the same acceptance twice is one row
    while True:
        store.record(Acceptance(
            username="killed", hub="CompanyHub", hub_arn="arn:aws:sagemaker:us-west-2:123456789012:hub/CompanyHub",
            model_id="m" + str(n), version="1.0.0", eula_uri="s3://b/k", sha256="0" * 64, action="deploy",
            accepted_at=datetime.now(timezone.utc)))
        n += 1
        print(n - start, flush=True)
    """
)


def test_store_survives_a_writer_killed_mid_write(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    AcceptanceStore(path).all()  # created
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    reported = 0
    for round_ in range(3):
        argv = [sys.executable, "-c", WRITER, str(path), str(round_ * 100_000)]
        child = subprocess.Popen(argv, stdout=subprocess.PIPE, env=env, text=True)
        assert child.stdout is not None
        committed = 0
        deadline = time.monotonic() + 60
        while committed < 50 and time.monotonic() < deadline:
            committed = int(child.stdout.readline() or committed)
        child.send_signal(signal.SIGKILL)  # no cleanup, likely inside a write
        child.wait()
        child.stdout.close()
        assert committed >= 50, "the writer did not get going"
        reported += committed
        rows = AcceptanceStore(path).all()  # readable by a fresh process-level store
        killed = [r for r in rows if r.username == "killed"]
        # every record the writer saw committed is there (it may have committed a few more unreported)
        assert len(killed) >= reported, (reported, len(killed))
        reported = len(killed)
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT COUNT(*) FROM jumpstart_lab_acceptances").fetchone()[0] == len(rows)
    # the store keeps working after the crashes
    store = AcceptanceStore(path)
    store.record(rows[0].model_copy(update={"username": "after"}))
    assert [r.username for r in store.all()][-1] == "after"
    assert len(store.all()) == len(rows) + 1


# --- every AWS client has timeouts and adaptive retries -------------------------------------------


def test_every_client_has_timeouts_and_adaptive_retries(monkeypatch) -> None:
    from jumpstart_lab.aws.session import AwsContext, AwsSettings

    aws = AwsContext(AwsSettings(local=True, endpoint_url="http://127.0.0.1:9"))
    for service in ("sagemaker", "sagemaker-runtime", "s3", "sts", "iam", "ram"):
        config = aws.client(service).meta.config
        assert config.connect_timeout == 5.0 and config.read_timeout == 30.0, service
        assert config.retries["mode"] == "adaptive" and config.retries["total_max_attempts"] == 6, service
    assert aws.client("sagemaker") is aws.client("sagemaker"), "clients are shared, not rebuilt per call"
    assert aws.client("sagemaker-runtime", read_timeout=70).meta.config.read_timeout == 70
    monkeypatch.setenv("JUMPSTART_LAB_AWS_READ_TIMEOUT", "2.5")
    monkeypatch.setenv("JUMPSTART_LAB_AWS_MAX_ATTEMPTS", "1")
    tuned = AwsContext(AwsSettings(local=True, endpoint_url="http://127.0.0.1:9")).client("sagemaker").meta.config
    assert tuned.read_timeout == 2.5 and tuned.retries["total_max_attempts"] == 2
    monkeypatch.setenv("JUMPSTART_LAB_AWS_READ_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="JUMPSTART_LAB_AWS_READ_TIMEOUT"):
        AwsSettings()
